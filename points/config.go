package points

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"regexp"
	"slices"
	"time"
)

// Band is the points a completed deal earns when its amount is at least MinTokens whole tokens
// (compared in base units: MinTokens × 10^decimals, never as a float).
type Band struct {
	MinTokens int64 `json:"minTokens"`
	Buyer     int64 `json:"buyer"`
	Seller    int64 `json:"seller"`
}

// Level is a step of the loyalty ladder: reached at Threshold points earned (Balance.Total).
type Level struct {
	Name      string   `json:"name"`
	Threshold int64    `json:"threshold"`
	Perks     []string `json:"perks"`
}

// LevelConfig is the ladder, lowest first; the first level's threshold is 0.
type LevelConfig struct {
	Levels []Level `json:"levels"`
}

// Config is the rules of points: they are configuration, not code.
type Config struct {
	// Bands, by ascending MinTokens: a deal earns the highest band it reaches (nothing below the
	// first).
	Bands []Band `json:"bands"`
	// ReferralReward is the points a referrer earns when a referred user's first deal completes.
	ReferralReward int64 `json:"referralReward"`
	// ReferralsPerDay caps the referrals a referrer may earn from per UTC day; later sign-ups with
	// the code that day are recorded but never rewarded.
	ReferralsPerDay int         `json:"referralsPerDay"`
	Levels          LevelConfig `json:"levelConfig"`
	// ExpiryDays is how long a grant's points last unspent (365); 0 keeps them for ever. Spends
	// use the oldest grants' points first (docs/points.md, "Expiry").
	ExpiryDays int `json:"expiryDays"`
	// SpendPurposes are what points may be spent on (POST /v1/points/spend's purpose): lowercase
	// words the consumer of a spend recognises. None turns spending off.
	SpendPurposes []string `json:"spendPurposes"`
}

// maxExpiryDays bounds ExpiryDays (a century), so that it always fits a time.Duration.
const maxExpiryDays = 36_500

var purposeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Expiry is how long a grant's points last; 0 is for ever.
func (c Config) Expiry() time.Duration { return time.Duration(c.ExpiryDays) * 24 * time.Hour }

// Spendable reports whether points may be spent on purpose.
func (c Config) Spendable(purpose string) bool { return slices.Contains(c.SpendPurposes, purpose) }

// DefaultConfig is the rules amn dev plays and production starts from.
func DefaultConfig() Config {
	return Config{
		Bands: []Band{
			{MinTokens: 1, Buyer: 10, Seller: 10},
			{MinTokens: 100, Buyer: 50, Seller: 50},
			{MinTokens: 1_000, Buyer: 200, Seller: 200},
			{MinTokens: 10_000, Buyer: 1_000, Seller: 1_000},
		},
		ReferralReward:  100,
		ReferralsPerDay: 10,
		Levels: LevelConfig{Levels: []Level{
			{Name: "bronze", Threshold: 0},
			{Name: "silver", Threshold: 500, Perks: []string{"priority_support"}},
			{Name: "gold", Threshold: 2_000, Perks: []string{"priority_support", "featured_offers"}},
			{Name: "platinum", Threshold: 10_000, Perks: []string{"priority_support", "featured_offers", "reduced_commission"}},
		}},
		ExpiryDays:    365,
		SpendPurposes: []string{"fee_discount", "featured_offer"},
	}
}

// LoadConfig reads a Config from a JSON file (the shape of DefaultConfig's JSON) and validates it.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("points: %w", err)
	}
	var c Config
	if err := json.Unmarshal(b, &c); err != nil {
		return Config{}, fmt.Errorf("points: %s: %w", path, err)
	}
	return c, c.Validate()
}

// Validate refuses rules that could not be applied: bands out of order, negative points, a
// ladder that does not start at 0 or does not climb.
func (c Config) Validate() error {
	for i, b := range c.Bands {
		switch {
		case b.MinTokens < 0 || b.Buyer < 0 || b.Seller < 0:
			return fmt.Errorf("points: band %d: negative", i)
		case i > 0 && b.MinTokens <= c.Bands[i-1].MinTokens:
			return fmt.Errorf("points: band %d: minTokens must grow", i)
		}
	}
	if c.ReferralReward < 0 || c.ReferralsPerDay < 0 {
		return errors.New("points: the referral reward and daily limit must not be negative")
	}
	if c.ExpiryDays < 0 || c.ExpiryDays > maxExpiryDays {
		return fmt.Errorf("points: expiryDays must be between 0 (never) and %d", maxExpiryDays)
	}
	for i, p := range c.SpendPurposes {
		if !purposeRE.MatchString(p) || slices.Index(c.SpendPurposes, p) != i {
			return fmt.Errorf("points: spend purpose %q: distinct lowercase words (a-z, 0-9, _; at most 40)", p)
		}
	}
	ls := c.Levels.Levels
	if len(ls) == 0 || ls[0].Threshold != 0 {
		return errors.New("points: the first level's threshold must be 0")
	}
	for i, l := range ls {
		if l.Name == "" {
			return fmt.Errorf("points: level %d has no name", i)
		}
		if i > 0 && l.Threshold <= ls[i-1].Threshold {
			return fmt.Errorf("points: level %q: thresholds must grow", l.Name)
		}
	}
	return nil
}

// DealPoints is what a completed deal of amount base units of a token with decimals earns its
// buyer and its seller.
func (c Config) DealPoints(amount *big.Int, decimals uint8) (buyer, seller int64) {
	if amount == nil || amount.Sign() <= 0 {
		return 0, 0
	}
	unit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil)
	for i := len(c.Bands) - 1; i >= 0; i-- {
		b := c.Bands[i]
		if amount.Cmp(new(big.Int).Mul(big.NewInt(b.MinTokens), unit)) >= 0 {
			return b.Buyer, b.Seller
		}
	}
	return 0, 0
}

// At returns the level total points reach, and the next one (nil at the top).
func (l LevelConfig) At(total int64) (Level, *Level) {
	cur := 0
	for i, x := range l.Levels {
		if total >= x.Threshold {
			cur = i
		}
	}
	if cur+1 < len(l.Levels) {
		next := l.Levels[cur+1]
		return l.Levels[cur], &next
	}
	return l.Levels[cur], nil
}
