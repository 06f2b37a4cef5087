// Package payment owns payment intents and the escrow state machine: what a buyer owes for an
// accepted offer, the HD-derived deposit address and Request Network reference it is paid to,
// and every transition from awaiting_payment to released, refunded or settled (a dispute's exact
// split, split.go), each written with its ledger transfers and a timeline row in one transaction.
//
// It works from the platform's account-level xpub only and never touches a private key. Only the
// chain (through the indexer) moves money state: webhooks and people can only ask.
package payment

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/ledger"
)

// Payment is one payment intent and where it stands.
type Payment struct {
	ID       ledger.ID
	BuyerRef string // the buyer (user id in the marketplace)
	// BuyerAddress is where refunds go: the wallet that signed the checkout (BuyerSignature), fixed
	// once; zero until the buyer has signed. Who paid never sets it (ProveBuyer).
	BuyerAddress   common.Address
	BuyerSignature hexutil.Bytes // the buyer's EIP-712 Checkout signature (CheckoutTerms)
	OfferRef       string        // the seller offer being paid
	// SellerAddress is the seller's payout address, proven by SellerSignature: the seller's
	// EIP-712 Offer signature (Offer), given at creation.
	SellerAddress   common.Address
	SellerSignature hexutil.Bytes
	ChainID         uint64
	Ledger          string // chain:token, e.g. bsc:USDT
	Token           common.Address
	Decimals        uint8
	Amount          *big.Int // due at the deposit address, base units
	Fee             *big.Int // Request Network fee, paid beside the amount to FeeAddress
	FeeAddress      common.Address
	Commission      *big.Int // taken from escrow on release
	Tolerance       *big.Int // underpayment accepted as paid
	Received        *big.Int // confirmed at finality
	PendingAmount   *big.Int // seen but not final
	PendingCount    int
	PaidLate        bool
	DepositIndex    uint32
	Deposit         common.Address
	RequestID       string
	Salt            string
	Reference       Reference
	State           State
	DisputedFrom    State
	// PayoutAttempt numbers the release or refund being reserved: a payout that failed (reverted,
	// rejected) is voided and the next one reserves under new transfer ids.
	PayoutAttempt int
	// SplitBuyerAmount is the buyer's part of a dispute settled by a split (ResolveSplit), nil
	// otherwise; the seller's part and the fee follow by SplitOf.
	SplitBuyerAmount *big.Int
	ExpiresAt        time.Time
	WatchUntil       time.Time
	DepositAcct      ledger.ID
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Deriver turns a deposit index into an address; hd.Deriver (xpub only) is one.
type Deriver interface {
	Address(i uint32) (common.Address, error)
}

// Service creates payments and moves them through the state machine.
type Service struct {
	pool    *pgxpool.Pool
	deriver Deriver
	jobs    *river.Client[pgx.Tx] // insert-only: enqueues the jobs transitions cause
	now     func() time.Time
	// LateWindow is how long after expiry a deposit address is still watched.
	LateWindow time.Duration
	// applier, when set, applies changes instead of the database (the exploration test runs the
	// state machine in memory through it, with decideChange).
	applier func(ctx context.Context, cs []change) ([]Result, error)
}

// New returns a service on pool deriving deposit addresses with d.
func New(pool *pgxpool.Pool, d Deriver) *Service {
	return &Service{pool: pool, deriver: d, jobs: insertOnly(pool), now: time.Now, LateWindow: 7 * 24 * time.Hour}
}

// insertOnly returns a River client that only inserts jobs (the worker role works them). With no
// queues or workers configured its construction cannot fail. Its own logger is silenced: an
// insert that fails (say, because the caller's context ended) returns its error to the
// transition, which reports it; River would log it a second time.
func insertOnly(pool *pgxpool.Pool) *river.Client[pgx.Tx] {
	c, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		panic(fmt.Sprintf("payment: an insert-only River client: %v", err))
	}
	return c
}

// WithClock replaces time.Now (tests).
func (s *Service) WithClock(now func() time.Time) *Service { c := *s; c.now = now; return &c }

// NewPayment is what the API asks for when a buyer accepts an offer.
type NewPayment struct {
	BuyerRef      string
	OfferRef      string
	SellerAddress common.Address
	// SellerSignature is the seller's payout wallet's EIP-712 signature over the offer (Offer):
	// it proves SellerAddress. The buyer's refund address is proven after creation, by ProveBuyer.
	SellerSignature []byte
	ChainID         uint64
	ChainKey        string // names the ledger: bsc in bsc:USDT
	Token           common.Address
	TokenSymbol     string
	Decimals        uint8
	Amount          *big.Int
	Fee             *big.Int
	FeeAddress      common.Address
	Commission      *big.Int
	Tolerance       *big.Int
	RequestID       string // the Request Network request id this payment settles
	Salt            string
	TTL             time.Duration // until expiry
}

func (n NewPayment) validate() error {
	bad := func(f string, a ...any) error { return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(f, a...)) }
	zero := common.Address{}
	switch {
	case strings.TrimSpace(n.BuyerRef) == "":
		return bad("buyer is required")
	case strings.TrimSpace(n.OfferRef) == "":
		return bad("offer is required")
	case n.SellerAddress == zero:
		return bad("seller address is required")
	case n.ChainID == 0:
		return bad("chain id is required")
	case n.Token == zero:
		return bad("token address is required")
	case !ledger.ValidLedger(n.ChainKey + ":" + n.TokenSymbol):
		return bad("chain key %q and token symbol %q do not make a ledger name", n.ChainKey, n.TokenSymbol)
	case n.Decimals > 36:
		return bad("token decimals %d out of range", n.Decimals)
	case n.Amount == nil || n.Amount.Sign() <= 0:
		return bad("amount must be positive")
	case n.Fee != nil && n.Fee.Sign() < 0:
		return bad("fee must not be negative")
	case n.Fee != nil && n.Fee.Sign() > 0 && n.FeeAddress == zero:
		return bad("a fee needs a fee address")
	case n.Commission != nil && (n.Commission.Sign() < 0 || n.Commission.Cmp(n.Amount) >= 0):
		return bad("commission must be at least 0 and less than the amount")
	case n.Tolerance != nil && (n.Tolerance.Sign() < 0 || n.Tolerance.Cmp(n.Amount) >= 0):
		return bad("tolerance must be at least 0 and less than the amount")
	case n.RequestID == "" || n.Salt == "":
		return bad("request id and salt are required")
	case n.TTL <= 0:
		return bad("time to live must be positive")
	case len(n.SellerSignature) == 0:
		return bad("the seller's offer signature is required (it proves the payout address)")
	}
	return nil
}

// provenSeller checks the seller's offer signature: it must recover the seller address. It
// returns the signature in the form stored (v = 27/28).
func (n NewPayment) provenSeller() ([]byte, error) {
	sig, err := typedDataSignature(n.SellerSignature)
	if err != nil {
		return nil, fmt.Errorf("%w: seller signature: %v", ErrInvalid, err)
	}
	o := n.Offer()
	signer, err := o.Signer(sig)
	if err != nil {
		return nil, fmt.Errorf("%w: seller signature: %v", ErrInvalid, err)
	}
	if signer != n.SellerAddress {
		return nil, fmt.Errorf("%w: the seller signature over (%s) recovers %s, not the seller address", ErrInvalid, o, signer.Hex())
	}
	return sig, nil
}

func orZero(x *big.Int) *big.Int {
	if x == nil {
		return new(big.Int)
	}
	return x
}

// Create allocates the next deposit index (never reused, shared by all chains), derives the
// deposit address and reference, opens the payment's ledger accounts and records the payment
// awaiting payment. A second Create for the same buyer, offer, chain and request id returns
// ErrDuplicate (one signed offer may be paid by several payments, each for its own request: a
// template's buyers and their repeat purchases).
func (s *Service) Create(ctx context.Context, n NewPayment) (*Payment, error) {
	var id ledger.ID
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		id, err = s.create(ctx, tx, n)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("payment: create: %w", err)
	}
	return s.Get(ctx, id)
}

// CreateTx is Create inside the caller's transaction: the payment, its accounts and its timeline
// row commit or roll back with the caller's own writes (the marketplace accepts an offer and
// creates its payment at once). The deposit index is the one thing a rollback does not give back:
// nextval is never rolled back, so an index, once handed out, is never handed out again. The
// caller retries its whole transaction on serialization failures (db.InTx does).
func (s *Service) CreateTx(ctx context.Context, tx pgx.Tx, n NewPayment) (*Payment, error) {
	id, err := s.create(ctx, tx, n)
	if err != nil {
		return nil, fmt.Errorf("payment: create: %w", err)
	}
	p, err := scanPayment(tx.QueryRow(ctx, `SELECT `+paymentColumns+` FROM payments WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("payment %s: %w", id, err)
	}
	return p, nil
}

// create validates n, proves its seller and writes the payment in tx.
func (s *Service) create(ctx context.Context, tx pgx.Tx, n NewPayment) (ledger.ID, error) {
	if err := n.validate(); err != nil {
		return ledger.ID{}, err
	}
	sellerSig, err := n.provenSeller()
	if err != nil {
		return ledger.ID{}, err
	}
	if s.deriver == nil {
		return ledger.ID{}, errors.New("this service has no deriver (no xpub configured)")
	}
	var idx int64
	// nextval is never rolled back: an index, once handed out, is never handed out again,
	// even if this transaction fails.
	if err := tx.QueryRow(ctx, `SELECT nextval('deposit_index_seq')`).Scan(&idx); err != nil {
		return ledger.ID{}, err
	}
	addr, err := s.deriver.Address(uint32(idx))
	if err != nil {
		return ledger.ID{}, fmt.Errorf("deriving deposit address %d: %w", idx, err)
	}
	ref := ComputeReference(n.RequestID, n.Salt, addr.Hex())
	id := ledger.NewID()
	name := n.ChainKey + ":" + n.TokenSymbol
	acct := chart.PaymentDeposit(id)
	if _, err := ledger.New(s.pool).WithTx(tx).CreateAccounts(ctx, paymentAccounts(name, id)...); err != nil {
		return ledger.ID{}, err
	}
	now := s.now()
	_, err = tx.Exec(ctx, `
		INSERT INTO payments (id, buyer_ref, offer_ref, seller_address, chain_id, ledger, token_address,
			token_decimals, amount, fee, fee_address, commission, tolerance, deposit_index, deposit_address,
			request_id, salt, reference, expires_at, watch_until, deposit_account, created_at, updated_at, seller_signature,
			escrow_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22, $23, $24)`,
		id, n.BuyerRef, n.OfferRef, hexAddr(n.SellerAddress), n.ChainID, name, hexAddr(n.Token), n.Decimals,
		db.Numeric(n.Amount), db.Numeric(orZero(n.Fee)), hexAddr(n.FeeAddress), db.Numeric(orZero(n.Commission)),
		db.Numeric(orZero(n.Tolerance)), idx,
		hexAddr(addr), n.RequestID, n.Salt, ref[:], now.Add(n.TTL), now.Add(n.TTL+s.LateWindow), acct, now,
		sellerSig, hexHash(EscrowID(addr, id)))
	if db.IsUniqueViolation(err, "payments_one_per_buyer_offer_chain") {
		return ledger.ID{}, ErrDuplicate
	}
	if err != nil {
		return ledger.ID{}, err
	}
	return id, appendTimeline(ctx, tx, id, "", AwaitingPayment, "create", "api", "")
}

// paymentAccounts are the accounts a new payment opens.
func paymentAccounts(ledgerName string, p ledger.ID) []ledger.Account {
	owner := "payment:" + p.String()
	return []ledger.Account{
		{ID: chart.PaymentOutside(p), Ledger: ledgerName, Code: ledger.CodeWorld, Owner: owner},
		{ID: chart.PaymentDeposit(p), Ledger: ledgerName, Code: ledger.CodeDeposit, Owner: owner, Flags: ledger.DebitsMustNotExceedCredits},
		{ID: chart.Escrow(ledgerName), Ledger: ledgerName, Code: ledger.CodeEscrow, Owner: "escrow", Flags: ledger.DebitsMustNotExceedCredits},
		{ID: chart.PlatformFees(ledgerName), Ledger: ledgerName, Code: ledger.CodePlatformFees, Owner: "platform", Flags: ledger.DebitsMustNotExceedCredits},
	}
}

func hexAddr(a common.Address) string { return strings.ToLower(a.Hex()) }

const paymentColumns = `id, buyer_ref, offer_ref, seller_address, chain_id, ledger, token_address, token_decimals,
	amount, fee, fee_address, commission, tolerance, received, pending_amount, pending_count, paid_late,
	deposit_index, deposit_address, request_id, salt, reference, state, disputed_from, expires_at,
	watch_until, deposit_account, created_at, updated_at, coalesce(buyer_address, ''), buyer_signature, seller_signature, payout_attempt,
	split_buyer_amount`

func scanPayment(row pgx.Row) (*Payment, error) {
	var (
		p                               Payment
		seller, token, feeAddr, deposit string
		buyer                           string
		amount, fee, commission, tol    db.Amount
		received, pending               db.Amount
		ref                             []byte
		idx                             int64
		decimals                        int16
		disputedFrom                    *string
		split                           nullAmount
	)
	err := row.Scan(&p.ID, &p.BuyerRef, &p.OfferRef, &seller, &p.ChainID, &p.Ledger, &token, &decimals,
		&amount, &fee, &feeAddr, &commission, &tol, &received, &pending, &p.PendingCount,
		&p.PaidLate, &idx, &deposit, &p.RequestID, &p.Salt, &ref, &p.State, &disputedFrom, &p.ExpiresAt,
		&p.WatchUntil, &p.DepositAcct, &p.CreatedAt, &p.UpdatedAt, &buyer, &p.BuyerSignature, &p.SellerSignature, &p.PayoutAttempt,
		&split)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	p.Amount, p.Fee, p.Commission, p.Tolerance = amount.V, fee.V, commission.V, tol.V
	p.Received, p.PendingAmount = received.V, pending.V
	p.SplitBuyerAmount = split.V
	p.SellerAddress, p.Token = common.HexToAddress(seller), common.HexToAddress(token)
	p.FeeAddress, p.Deposit = common.HexToAddress(feeAddr), common.HexToAddress(deposit)
	if buyer != "" {
		p.BuyerAddress = common.HexToAddress(buyer)
	}
	p.DepositIndex, p.Decimals = uint32(idx), uint8(decimals)
	copy(p.Reference[:], ref)
	if disputedFrom != nil {
		p.DisputedFrom = State(*disputedFrom)
	}
	return &p, nil
}

// Get returns one payment.
func (s *Service) Get(ctx context.Context, id ledger.ID) (*Payment, error) {
	p, err := scanPayment(s.pool.QueryRow(ctx, `SELECT `+paymentColumns+` FROM payments WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("payment %s: %w", id, err)
	}
	return p, nil
}

// GetMany returns the payments among ids that exist, keyed by id, in one query.
func (s *Service) GetMany(ctx context.Context, ids []ledger.ID) (map[ledger.ID]*Payment, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+paymentColumns+` FROM payments WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, err
	}
	return collectPayments(rows, len(ids))
}

// collectPayments reads rows of paymentColumns into a map by id, and closes them.
func collectPayments(rows pgx.Rows, n int) (map[ledger.ID]*Payment, error) {
	defer rows.Close()
	out := make(map[ledger.ID]*Payment, n)
	for rows.Next() {
		p, err := scanPayment(rows)
		if err != nil {
			return nil, err
		}
		out[p.ID] = p
	}
	return out, rows.Err()
}

// ByDeposit finds the payment that owns a deposit address (on any chain: indices are shared).
func (s *Service) ByDeposit(ctx context.Context, addr common.Address) (*Payment, error) {
	p, err := scanPayment(s.pool.QueryRow(ctx, `SELECT `+paymentColumns+` FROM payments WHERE deposit_address = $1`, hexAddr(addr)))
	if err != nil {
		return nil, fmt.Errorf("payment with deposit %s: %w", addr.Hex(), err)
	}
	return p, nil
}

// TimelineRow is one transition in a payment's history.
type TimelineRow struct {
	Seq    int
	From   State
	To     State
	Event  string
	Actor  string
	Reason string
	At     time.Time
}

// Timeline returns a payment's transitions, oldest first.
func (s *Service) Timeline(ctx context.Context, id ledger.ID) ([]TimelineRow, error) {
	rows, err := s.pool.Query(ctx, `SELECT seq, coalesce(from_state::text, ''), to_state, event, actor, reason, at
		FROM payment_timeline WHERE payment_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (TimelineRow, error) {
		var t TimelineRow
		err := r.Scan(&t.Seq, &t.From, &t.To, &t.Event, &t.Actor, &t.Reason, &t.At)
		return t, err
	})
}

func appendTimeline(ctx context.Context, tx pgx.Tx, id ledger.ID, from, to State, ev Event, actor, reason string) error {
	var fromArg any
	if from != "" {
		fromArg = string(from)
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO payment_timeline (payment_id, seq, from_state, to_state, event, actor, reason)
		SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6 FROM payment_timeline WHERE payment_id = $1`,
		id, fromArg, string(to), string(ev), actor, reason)
	return err
}
