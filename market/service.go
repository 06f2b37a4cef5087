package market

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/market/internal/marketdb"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/realtime"
)

// Config is the marketplace's settings.
type Config struct {
	// Moderation holds new requests in pending until an admin publishes them; off (the default),
	// the platform publishes them at once.
	Moderation bool
	// RequestTTL is a request's life when the buyer gives no expiry (30 days).
	RequestTTL time.Duration
	// PaymentTTL is how long an accepted offer's payment awaits the buyer's money (24 hours).
	PaymentTTL time.Duration
	// FeeBps is Request Network's fee, paid beside the amount to FeeAddress, in basis points of
	// the price; CommissionBps the platform's, taken from escrow on release (amn dev's deal: 1%
	// and 2%).
	FeeBps, CommissionBps int64
	FeeAddress            common.Address
	// InspectionDays is the buyer's inspection period after delivery, in days (1 to 60), per
	// category; a category not listed gets DefaultInspectionDays. A request keeps the period it
	// was created with (market_requests.inspection_days).
	InspectionDays map[string]int
	// DeliveryGraceDays is how many days past the accepted offer's delivery time a shipped request
	// waits for someone to say it arrived before the platform says so (3).
	DeliveryGraceDays int
	// Day is the deal's unit of time: inspection periods, delivery times and reminders count in
	// it. 24 hours; shorter only in dev and tests (amn api --market-day), so that a silent buyer's
	// deal runs in seconds.
	Day time.Duration
}

// DefaultInspectionDays is the inspection period of a category Config.InspectionDays does not list.
const DefaultInspectionDays = 7

// DefaultConfig is the settings amn dev's deal plays: no moderation, 1% fee, 2% commission.
func DefaultConfig() Config {
	return Config{RequestTTL: 30 * 24 * time.Hour, PaymentTTL: 24 * time.Hour, FeeBps: 100, CommissionBps: 200,
		DeliveryGraceDays: 3, Day: 24 * time.Hour}
}

// inspectionDays is the inspection period of a new request in category.
func (c Config) inspectionDays(category string) int {
	if n, ok := c.InspectionDays[category]; ok {
		return n
	}
	return DefaultInspectionDays
}

// Validate refuses settings that would make bad payments.
func (c Config) Validate() error {
	switch {
	case c.RequestTTL <= 0 || c.PaymentTTL <= 0:
		return errors.New("market: request and payment lifetimes must be positive")
	case c.FeeBps < 0 || c.FeeBps >= 10_000 || c.CommissionBps < 0 || c.CommissionBps >= 10_000:
		return errors.New("market: fee and commission must be in [0, 10000) basis points")
	case c.FeeBps > 0 && c.FeeAddress == (common.Address{}):
		return errors.New("market: a fee needs a fee address")
	case c.Day <= 0:
		return errors.New("market: the deal's day must be positive")
	case c.DeliveryGraceDays < 0 || c.DeliveryGraceDays > maxDealDays:
		return fmt.Errorf("market: the delivery grace must be 0 to %d days", maxDealDays)
	}
	for cat, n := range c.InspectionDays {
		if !categoryRe.MatchString(cat) || n < 1 || n > maxDealDays {
			return fmt.Errorf("market: inspection period of %q: want a category matching %s and 1 to %d days", cat, categoryRe, maxDealDays)
		}
	}
	return nil
}

// maxDealDays bounds inspection periods and the delivery grace (market_requests.inspection_days
// checks the same).
const maxDealDays = 60

// Service runs the marketplace's requests, offers and templates. The API's service has payments
// and chains (accepting an offer creates its payment); the worker's runs the timers only.
type Service struct {
	pool     *pgxpool.Pool
	q        *marketdb.Queries
	payments *payment.Service
	chains   *chain.Registry
	cfg      Config
	now      func() time.Time
	// jobs inserts the deal's jobs (deliver, inspect, remind, release) in the transaction of the
	// status change that calls for them; the worker role works them.
	jobs *river.Client[pgx.Tx]
	// watcher hears of every deal Follow follows (chat's payment messages); nil: nobody.
	watcher PaymentWatcher
	// releases, when set (WithOpenReleases), lets Follow see a release stuck without an intent.
	releases OpenReleases
	// notifier hears of the deal's steps (notify: the parties' notifications); nil: nobody.
	notifier Notifier
}

// New returns a service on pool. payments and chains may be nil for the worker (timers only).
func New(pool *pgxpool.Pool, payments *payment.Service, chains *chain.Registry, cfg Config) *Service {
	return &Service{pool: pool, q: marketdb.New(pool), payments: payments, chains: chains, cfg: cfg, now: time.Now,
		jobs: insertOnly(pool)}
}

// insertOnly returns a River client that only inserts jobs. With no queues or workers its
// construction cannot fail; its own log is silenced (a failed insert fails the caller's
// transaction, which reports it).
func insertOnly(pool *pgxpool.Pool) *river.Client[pgx.Tx] {
	c, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		panic(fmt.Sprintf("market: an insert-only River client: %v", err))
	}
	return c
}

// WithClock replaces time.Now (tests).
func (s *Service) WithClock(now func() time.Time) *Service { c := *s; c.now = now; return &c }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Caller is who asks: a signed-in user, and whether they act as an admin.
type Caller struct {
	UserID uuid.UUID
	Admin  bool
}

// The market's errors. Other users' requests, offers and templates are ErrNotFound: their
// existence never leaks.
var (
	ErrNotFound      = kind.New(kind.NotFound, "no such request")
	ErrOfferNotFound = kind.New(kind.NotFound, "no such offer")
	ErrTemplateNF    = kind.New(kind.NotFound, "no such template")
	ErrInvalid       = kind.New(kind.Invalid, "invalid")
	ErrOwnRequest    = kind.New(kind.Refused, "you cannot make an offer on your own request")
	ErrOfferExists   = kind.New(kind.Conflict, "you already have a live offer on this request")
	ErrOfferNotLive  = kind.New(kind.Conflict, "the offer is no longer pending")
	ErrOfferChanged  = kind.New(kind.Conflict, "the offer was revised since the revision you accepted: read it again")
	ErrPaymentMoved  = kind.New(kind.Conflict, "the request's payment has already seen money")
	ErrNoPayments    = kind.New(kind.Unavailable, "this service creates no payments (no xpub or chain config)")
	ErrNoFeeProxy    = kind.New(kind.Unavailable, "the request's chain has no ERC20FeeProxy configured: no checkout can be built")
)

func invalid(f string, a ...any) error { return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(f, a...)) }

// fire moves a locked request by ev (through Next: never otherwise) and writes its event row, in
// the caller's transaction. r is updated in place.
func (s *Service) fire(ctx context.Context, q *marketdb.Queries, r *marketdb.MarketRequest, ev Event, actor Actor,
	actorID uuid.UUID, detail map[string]any) error {
	from := Status(r.Status)
	to, err := Next(from, ev, actor, "")
	if err != nil {
		return err
	}
	now := s.clock()
	if err := q.SetRequestStatus(ctx, marketdb.SetRequestStatusParams{ID: r.ID, Status: string(to), UpdatedAt: now}); err != nil {
		return err
	}
	r.Status, r.UpdatedAt = string(to), now
	return s.event(ctx, q, r.ID, string(ev), actor, actorID, &from, to, detail)
}

// event appends one row to a request's timeline (the caller holds the request's row lock).
func (s *Service) event(ctx context.Context, q *marketdb.Queries, id uuid.UUID, ev string, actor Actor, actorID uuid.UUID,
	from *Status, to Status, detail map[string]any) error {
	if detail == nil {
		detail = map[string]any{}
	}
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	var fromArg *string
	if from != nil {
		f := string(*from)
		fromArg = &f
	}
	err = q.InsertEvent(ctx, marketdb.InsertEventParams{RequestID: id, Event: ev, Actor: string(actor),
		ActorID: uuid.NullUUID{UUID: actorID, Valid: actorID != uuid.Nil}, FromStatus: fromArg, ToStatus: string(to),
		Detail: b, CreatedAt: s.clock()})
	if err != nil {
		return err
	}
	// The request's parties hear of it when (and only if) this transaction commits; the detail
	// stays here (a seller's id is not for the other sellers): clients read the request again.
	_, err = realtime.Publish(ctx, q.DB(), realtime.RequestRoom(id), "request.status",
		map[string]any{"event": ev, "actor": actor, "from": fromArg, "to": to})
	return err
}

// inTx runs fn in one transaction with the queries bound to it.
func (s *Service) inTx(ctx context.Context, fn func(tx pgx.Tx, q *marketdb.Queries) error) error {
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error { return fn(tx, s.q.WithTx(tx)) })
}

// lockRequest locks a request's row; a missing one is ErrNotFound.
func lockRequest(ctx context.Context, q *marketdb.Queries, id uuid.UUID) (marketdb.MarketRequest, error) {
	r, err := q.LockRequest(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}

// parseAmount reads a decimal string of base units: digits only, at most 78 of them.
func parseAmount(field, v string, positive bool) (*big.Int, error) {
	if len(v) == 0 || len(v) > 78 {
		return nil, invalid("%s must be a decimal string of base units (1 to 78 digits)", field)
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return nil, invalid("%s must be a decimal string of base units (digits only)", field)
		}
	}
	n, _ := new(big.Int).SetString(v, 10)
	if positive && n.Sign() <= 0 {
		return nil, invalid("%s must be positive", field)
	}
	return n, nil
}

func bigOf(n pgtype.Numeric) *big.Int {
	v, err := db.BigFromNumeric(n)
	if err != nil {
		return new(big.Int)
	}
	return v
}

// token finds the chain and token a request is priced in; unknown ones are ErrInvalid.
func (s *Service) token(chainKey, symbol string) (chain.Config, chain.Token, error) {
	if s.chains == nil {
		return chain.Config{}, chain.Token{}, ErrNoPayments
	}
	c, err := s.chains.Get(chainKey)
	if err != nil || c.Key != chainKey {
		return chain.Config{}, chain.Token{}, invalid("unknown chain %q", chainKey)
	}
	for _, t := range c.Tokens {
		if t.Symbol == symbol {
			return c, t, nil
		}
	}
	return chain.Config{}, chain.Token{}, invalid("chain %s has no token %q", chainKey, symbol)
}
