package main

import (
	"context"
	"fmt"
	"math"
	"math/big"
	mrand "math/rand/v2"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/market"
)

// The seeded marketplace: a few categories take most requests (weights), most requests are on
// BSC in USDT, most are open and public; titles and descriptions are drawn from a vocabulary in
// which a few words are common and most are rare, as in real text, so that full-text searches
// range from thousands of matches to a handful.
var (
	categories = []string{"electronics", "phones", "laptops", "photo", "furniture", "clothing", "shoes", "books",
		"toys", "auto-parts", "tools", "garden", "sports", "music", "art", "jewelry", "cosmetics", "software",
		"design", "translation", "legal", "tutoring", "repair", "travel"}
	productTypes = []string{"physical_product", "digital_product", "service", "consultation"}
	productW     = []int{50, 20, 20, 10}
	priced       = []struct {
		chain, token string
		decimals     int
	}{{"bsc", "USDT", 18}, {"bsc", "USDC", 18}, {"eth", "USDT", 6}, {"eth", "USDC", 6},
		{"polygon", "USDT", 6}, {"polygon", "USDC", 6}}
	pricedW   = []int{50, 10, 15, 10, 10, 5}
	urgencies = []string{"low", "normal", "high", "urgent"}
	urgencyW  = []int{15, 60, 20, 5}
	adjective = strings.Fields(`new used vintage refurbished original genuine wireless portable compact large small
		professional handmade custom rare modern classic mechanical digital analog waterproof lightweight heavy premium
		cheap fast silent electric manual organic leather wooden metal ceramic`)
	nouns = strings.Fields(`camera lens laptop phone tablet monitor keyboard mouse headphones speaker amplifier guitar
		piano violin drum bicycle scooter helmet tent backpack jacket sneakers boots watch ring necklace bracelet sofa
		chair desk lamp shelf mattress drill saw hammer printer router charger battery console controller drone
		projector microwave blender kettle vacuum heater fan painting poster sculpture book textbook novel manual
		course lesson translation contract logo website app plugin script template consultation audit repair
		installation tuning cleaning delivery ticket tour`)
	fillers = strings.Fields(`need looking for buy with without in good condition please send photos before offer
		delivery to city fast shipping preferred original box warranty receipt must work perfectly any brand color black
		white silver blue red green size small medium large budget flexible negotiable urgent weekend pickup possible
		invoice required compatible version model year recent older accepted also interested bundle spare parts`)
	cities    = strings.Fields("Almaty Astana Shymkent Karaganda Aktobe Taraz Pavlodar Oskemen Semey Atyrau")
	vocabSize = len(adjective) + len(nouns)
)

// generator draws the seeded data and the load's parameters from one seed, so runs repeat.
type generator struct {
	r   *mrand.Rand
	now time.Time
	// only, when set, draws the load's calls of that kind alone (-only: the CPU of one kind).
	only string
}

func newGenerator(seed uint64, now time.Time) *generator {
	return &generator{r: mrand.New(mrand.NewPCG(seed, seed^0x5eed)), now: now}
}

func (g *generator) weighted(w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := g.r.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

// zipf picks an index in [0, n) with P(i) ∝ 1/(i+1): index 0 is the most common.
func (g *generator) zipf(n int) int {
	// inverse of the harmonic CDF, near enough: exp(u·ln(n+1)) − 1.
	for {
		i := int(math.Exp(g.r.Float64()*math.Log(float64(n+1))) - 1)
		if i >= 0 && i < n {
			return i
		}
	}
}

func (g *generator) pick(words []string) string { return words[g.zipf(len(words))] }

func (g *generator) category() string { return categories[g.zipf(len(categories))] }

// word is a searchable word: an adjective or a noun, common ones often.
func (g *generator) word() string {
	i := g.zipf(vocabSize)
	if i%2 == 0 && i/2 < len(adjective) {
		return adjective[i/2]
	}
	return nouns[i%len(nouns)]
}

func (g *generator) text(n int) string {
	ws := make([]string, n)
	for i := range ws {
		if g.r.IntN(3) == 0 {
			ws[i] = g.word()
		} else {
			ws[i] = fillers[g.r.IntN(len(fillers))]
		}
	}
	return strings.Join(ws, " ")
}

// budget is a range in the token's base units: a minimum between 5 and 5,000 whole tokens
// (log-uniform) and a maximum up to three times it.
func (g *generator) budget(decimals int) (string, string) {
	whole := int64(5 * math.Exp(g.r.Float64()*math.Log(float64(1000))))
	unit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil)
	lo := new(big.Int).Mul(big.NewInt(whole), unit)
	hi := new(big.Int).Mul(big.NewInt(whole+int64(g.r.IntN(int(2*whole)+1))), unit)
	return lo.String(), hi.String()
}

// request is one purchase request: 85 % open, 8 % cancelled, 7 % expired; 90 % public.
func (g *generator) request(buyer uuid.UUID) market.Seeded {
	p := priced[g.weighted(pricedW)]
	lo, hi := g.budget(p.decimals)
	in := market.RequestInput{
		Title:       g.pick(adjective) + " " + g.word() + " " + g.pick(nouns),
		Description: g.text(20 + g.r.IntN(60)), Category: g.category(), ProductType: productTypes[g.weighted(productW)],
		BudgetMin: lo, BudgetMax: hi, ChainKey: p.chain, TokenSymbol: p.token, Urgency: urgencies[g.weighted(urgencyW)],
		Delivery: market.DeliveryTo{Kind: "online"}, Visibility: "public",
	}
	if in.ProductType == "physical_product" {
		in.Delivery = market.DeliveryTo{Kind: "physical", Address: &market.Address{Recipient: "Buyer " + buyer.String()[:8],
			Line1: fmt.Sprintf("%d Abay Ave", 1+g.r.IntN(300)), City: cities[g.r.IntN(len(cities))], Country: "KZ"}}
	}
	if g.r.IntN(10) == 0 {
		in.Visibility = "private"
	}
	day := 24 * time.Hour
	s := market.Seeded{ID: uuid.New(), Buyer: buyer, Input: in, Status: market.Active}
	switch n := g.r.IntN(100); {
	case n < 85: // open: created within the request's 30-day life
		s.CreatedAt = g.now.Add(-time.Duration(g.r.Int64N(int64(29 * day))))
	case n < 93:
		s.Status, s.CreatedAt = market.Cancelled, g.now.Add(-time.Duration(g.r.Int64N(int64(60*day))))
		s.ClosedAt = s.CreatedAt.Add(time.Duration(g.r.Int64N(int64(g.now.Sub(s.CreatedAt)))))
	default: // expired: its 30 days ran out
		s.Status, s.CreatedAt = market.Expired, g.now.Add(-31*day-time.Duration(g.r.Int64N(int64(30*day))))
		s.ClosedAt = s.CreatedAt.Add(30 * day)
	}
	return s
}

// seeded is what the load needs to know of the seeded rows.
type seeded struct {
	open []uuid.UUID // requests anyone may read by id (open, public or private)
}

// seed inserts buyers users (bench SQL: the users table is auth's, and auth has no bulk path)
// and n requests through market.Seed, in chunks, then vacuums and analyzes as autovacuum would.
func seed(ctx context.Context, pool *pgxpool.Pool, g *generator, n, buyers int) (*seeded, error) {
	users := make([]uuid.UUID, buyers)
	rows := make([][]any, buyers)
	for i := range users {
		users[i] = uuid.New()
		rows[i] = []any{users[i], fmt.Sprintf("buyer%d@bench.example", i), []string{"buyer", "seller"}}
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"users"}, []string{"id", "email", "roles"}, pgx.CopyFromRows(rows)); err != nil {
		return nil, fmt.Errorf("seeding users: %w", err)
	}
	m := market.New(pool, nil, chain.DefaultRegistry(), market.DefaultConfig())
	out := &seeded{}
	const chunk = 10000
	for done := 0; done < n; done += chunk {
		batch := make([]market.Seeded, 0, min(chunk, n-done))
		for range cap(batch) {
			s := g.request(users[g.r.IntN(len(users))])
			if s.Status == market.Active {
				out.open = append(out.open, s.ID)
			}
			batch = append(batch, s)
		}
		if err := m.Seed(ctx, batch); err != nil {
			return nil, err
		}
	}
	// VACUUM as autovacuum would after a bulk insert: besides the statistics, it moves the GIN
	// index's pending list (every row COPY added) into the index proper, which a search would
	// otherwise scan linearly.
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		return nil, err
	}
	return out, nil
}

// reopen opens the bench database name (on the server of rawURL) that an earlier run kept,
// migrates it up (a change under test may bring a migration), vacuums and analyzes it, and reads
// the open requests back.
func reopen(ctx context.Context, rawURL, name string) (*pgxpool.Pool, *seeded, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, nil, err
	}
	u.Path = "/" + name
	pool, err := db.Open(ctx, u.String())
	if err != nil {
		return nil, nil, err
	}
	out, err := reread(ctx, pool)
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return pool, out, nil
}

func reread(ctx context.Context, pool *pgxpool.Pool) (*seeded, error) {
	m, err := db.NewMigrator(pool)
	if err != nil {
		return nil, err
	}
	if _, err := m.Up(ctx); err != nil {
		return nil, err
	}
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		return nil, err
	}
	rows, err := pool.Query(ctx, "SELECT id FROM market_requests WHERE status = 'active' ORDER BY id")
	if err != nil {
		return nil, err
	}
	open, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return nil, err
	}
	if len(open) == 0 {
		return nil, fmt.Errorf("%s holds no open request: not a bench database", pool.Config().ConnConfig.Database)
	}
	return &seeded{open: open}, nil
}
