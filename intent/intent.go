// Package intent is the signer's work queue as the rest of the platform sees it: the
// signer_intents table and the custodian approvals attached to intents. Worker jobs, admin
// commands and (later) the API create intents and add approvals here; the signer process reads
// them through its restricted role and decides on its own whether to act.
//
// This package holds no key and signs nothing. It never imports hd/keyring: the worker and the
// admin CLI link it.
package intent

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// Kind is what an intent asks the signer to do.
type Kind string

// Kinds.
const (
	Sweep    Kind = "sweep"     // top up gas, approve + AmnEscrow.fund from the deposit key
	Release  Kind = "release"   // AmnEscrow.release with custodian approvals
	Refund   Kind = "refund"    // AmnEscrow.refund with custodian approvals
	GasTopup Kind = "gas_topup" // native currency from the gas tank to an address
	Freeze   Kind = "freeze"    // AmnEscrow.freeze of a disputed payment's escrow (the operator is the arbiter)
	Unfreeze Kind = "unfreeze"  // AmnEscrow.unfreeze once the payment's dispute was resumed (the operator is the arbiter)
	Settle   Kind = "settle"    // AmnEscrow.settle with custodian approvals: a dispute's exact split
)

// Payout reports whether intents of kind k move money out of escrow on the custodians' approvals
// (release, refund, settle): they carry an EIP-712 message and take approvals.
func (k Kind) Payout() bool { return k == Release || k == Refund || k == Settle }

// Approvals expire in hours: an approval of an intent that is then rejected (a dispute, a limit)
// stays usable on chain until its deadline. DefaultTTL is the deadline of a release or refund
// asked without one; MaxTTL the furthest it may be (the signer refuses intents beyond its own
// maximum, by default the same).
const (
	DefaultTTL = 24 * time.Hour
	MaxTTL     = 24 * time.Hour
)

// State is where an intent stands.
type State string

// States (the signer_intent_state enum).
const (
	Pending           State = "pending"
	AwaitingApprovals State = "awaiting_approvals"
	Approved          State = "approved"
	Signing           State = "signing"
	Broadcast         State = "broadcast"
	Confirmed         State = "confirmed"
	Done              State = "done"
	Rejected          State = "rejected"
)

// Open reports whether the intent may still move.
func (s State) Open() bool { return s != Done && s != Rejected }

// Intent is one row of signer_intents.
type Intent struct {
	ID              uuid.UUID      `json:"id"`
	Kind            Kind           `json:"kind"`
	PaymentID       ledger.ID      `json:"payment_id"`
	EscrowID        common.Hash    `json:"escrow_id,omitzero"` // payment.EscrowID: what a sweep opens, a release or refund pays out
	ChainID         uint64         `json:"chain_id"`
	Contract        common.Address `json:"contract"`
	Token           common.Address `json:"token"`
	Seller          common.Address `json:"seller,omitzero"`
	SellerAmount    *big.Int       `json:"seller_amount,omitempty"`
	FeeRecipient    common.Address `json:"fee_recipient,omitzero"`
	FeeAmount       *big.Int       `json:"fee_amount,omitempty"`
	Buyer           common.Address `json:"buyer,omitzero"`
	BuyerAmount     *big.Int       `json:"buyer_amount,omitempty"` // settle: the buyer's part (Buyer receives it)
	Amount          *big.Int       `json:"amount,omitempty"`
	Recipient       common.Address `json:"recipient,omitzero"` // gas_topup: where Amount wei go
	ResolvesDispute bool           `json:"resolves_dispute"`
	Deadline        int64          `json:"deadline"` // unix seconds
	State           State          `json:"state"`
	Reason          string         `json:"reason,omitempty"`
	RequestedBy     string         `json:"requested_by"`
	CreatedAt       time.Time      `json:"created_at"`
	UpdatedAt       time.Time      `json:"updated_at"`
	SignedAt        *time.Time     `json:"signed_at,omitempty"`
	GasUsed         uint64         `json:"gas_used"`
	GasCost         *big.Int       `json:"gas_cost"` // wei
}

// Domain is the EIP-712 domain of the intent's contract.
func (in *Intent) Domain() escrow.Domain {
	return escrow.Domain{ChainID: in.ChainID, Contract: in.Contract}
}

// EscrowToken is the token as AmnEscrow records it: the zero address for the chain's own currency
// (chain.NativeToken in payments and intents), the token's address otherwise.
func EscrowToken(token common.Address) common.Address {
	if token == chain.NativeToken {
		return common.Address{}
	}
	return token
}

// Message is the EIP-712 struct custodians sign for a release, refund or settle: exactly the
// intent's fields (the token as the escrow records it; the escrow id in the struct's paymentId
// field). Other kinds need no approvals and have none.
func (in *Intent) Message() (escrow.Message, error) {
	if in.Kind.Payout() && in.EscrowID == (common.Hash{}) {
		return nil, fmt.Errorf("intent: %s intent %s names no escrow", in.Kind, in.ID)
	}
	dl := big.NewInt(in.Deadline)
	switch in.Kind {
	case Release:
		return escrow.Release{PaymentID: in.EscrowID, Token: EscrowToken(in.Token), Seller: in.Seller,
			SellerAmount: in.SellerAmount, FeeRecipient: in.FeeRecipient, FeeAmount: in.FeeAmount,
			ResolvesDispute: in.ResolvesDispute, Deadline: dl}, nil
	case Refund:
		return escrow.Refund{PaymentID: in.EscrowID, Token: EscrowToken(in.Token), Buyer: in.Buyer,
			Amount: in.Amount, ResolvesDispute: in.ResolvesDispute, Deadline: dl}, nil
	case Settle:
		return escrow.Settle{PaymentID: in.EscrowID, Token: EscrowToken(in.Token), Buyer: in.Buyer,
			BuyerAmount: in.BuyerAmount, Seller: in.Seller, SellerAmount: in.SellerAmount,
			FeeRecipient: in.FeeRecipient, FeeAmount: in.FeeAmount, ResolvesDispute: in.ResolvesDispute, Deadline: dl}, nil
	}
	return nil, fmt.Errorf("intent: a %s intent has no approval message", in.Kind)
}

// Digest is what custodians sign for a release, refund or settle intent.
func (in *Intent) Digest() (common.Hash, error) {
	m, err := in.Message()
	if err != nil {
		return common.Hash{}, err
	}
	return in.Domain().Digest(m)
}

// Errors.
var (
	ErrNotFound    = kind.New(kind.NotFound, "intent not found")
	ErrNotAllowed  = kind.New(kind.Refused, "intent not allowed")
	ErrBadApproval = kind.New(kind.Invalid, "malformed approval")
	ErrClosed      = kind.New(kind.Conflict, "intent is closed")
	// ErrNoBuyer: the payment's parties are not proven by their wallets yet (the buyer has not
	// signed the checkout) or not at all (a signature does not verify); the wrapped
	// *payment.PartyError says which.
	ErrNoBuyer       = kind.New(kind.Conflict, "the payment's parties are not proven")
	ErrNoEscrow      = kind.New(kind.Invalid, "no escrow contract configured for the chain")
	ErrPaymentState  = kind.New(kind.Conflict, "payment is not in a state that allows this")
	ErrAlreadyClosed = kind.New(kind.Conflict, "payment is already closed")
)

// Store reads and writes intents. It runs with the privileged role (worker, admin CLI, API).
type Store struct {
	pool     *pgxpool.Pool
	payments *payment.Service
	now      func() time.Time
	// nativeLedger names each chain's native-currency ledger, where gas is booked (BookGas).
	nativeLedger func(chainID uint64) (string, bool)
	// signerTxs reads the signer's transaction attempts (Txs, Watch, BookGas, Follow); nil in a
	// store that neither shows attempts nor books gas.
	signerTxs SignerTxs
	// follow is where Follow's next pass reads payments from.
	follow *followCursors
}

// NewStore returns a store on pool; payments moves the payment state with each request. txs reads
// the signer's transaction attempts (signer.TxRecord{}: package signer owns them). A store that
// never shows attempts nor books gas (custody's, the API's) may pass nil; its Txs, Watch, BookGas
// and Follow then fail with ErrNoSignerTxs.
func NewStore(pool *pgxpool.Pool, payments *payment.Service, txs SignerTxs) *Store {
	return &Store{pool: pool, payments: payments, now: time.Now, signerTxs: txs,
		follow: &followCursors{after: map[string]ledger.ID{}, page: followPage}}
}

// Columns of signer_intents, in scan order.
const Columns = `id, kind, payment_id, chain_id, contract, token, seller, seller_amount, fee_recipient, fee_amount,
	buyer, amount, resolves_dispute, deadline, state, reason, requested_by, created_at, updated_at, signed_at,
	gas_used, gas_cost, recipient, escrow_id, buyer_amount`

// Scan reads one intent row selected with Columns.
func Scan(row pgx.Row) (*Intent, error) {
	var (
		in                              Intent
		pid                             *ledger.ID
		contract, token                 string
		seller, feeRecipient, buyer     *string
		recipient, escrowID             *string
		sellerAmount, feeAmount, amount nullAmount
		buyerAmount                     nullAmount
		gas                             db.Amount
		gasUsed                         int64
	)
	err := row.Scan(&in.ID, &in.Kind, &pid, &in.ChainID, &contract, &token, &seller, &sellerAmount, &feeRecipient,
		&feeAmount, &buyer, &amount, &in.ResolvesDispute, &in.Deadline, &in.State, &in.Reason, &in.RequestedBy,
		&in.CreatedAt, &in.UpdatedAt, &in.SignedAt, &gasUsed, &gas, &recipient, &escrowID, &buyerAmount)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if pid != nil {
		in.PaymentID = *pid
	}
	in.Contract, in.Token = common.HexToAddress(contract), common.HexToAddress(token)
	addr := func(s *string) common.Address {
		if s == nil {
			return common.Address{}
		}
		return common.HexToAddress(*s)
	}
	in.Seller, in.FeeRecipient, in.Buyer, in.Recipient = addr(seller), addr(feeRecipient), addr(buyer), addr(recipient)
	if escrowID != nil {
		in.EscrowID = common.HexToHash(*escrowID)
	}
	in.SellerAmount, in.FeeAmount, in.Amount, in.GasCost = sellerAmount.V, feeAmount.V, amount.V, gas.V
	in.BuyerAmount = buyerAmount.V
	if in.GasCost == nil {
		in.GasCost = new(big.Int)
	}
	in.GasUsed = uint64(gasUsed)
	return &in, nil
}

func hexAddr(a common.Address) string { return strings.ToLower(a.Hex()) }

func optAddr(a common.Address) any {
	if a == (common.Address{}) {
		return nil
	}
	return hexAddr(a)
}

func optHash(h common.Hash) any {
	if h == (common.Hash{}) {
		return nil
	}
	return h.Hex()
}

func optNum(v *big.Int) any {
	if v == nil {
		return nil
	}
	return db.Numeric(v)
}

// Get returns one intent.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*Intent, error) {
	in, err := Scan(s.pool.QueryRow(ctx, `SELECT `+Columns+` FROM signer_intents WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("intent %s: %w", id, err)
	}
	return in, nil
}

// OpenFor returns the payment's open sweep/release/refund/settle intent, or ErrNotFound.
func (s *Store) OpenFor(ctx context.Context, paymentID ledger.ID) (*Intent, error) {
	return Scan(s.pool.QueryRow(ctx, `SELECT `+Columns+` FROM signer_intents WHERE payment_id = $1
		AND kind IN ('sweep', 'release', 'refund', 'settle') AND state NOT IN ('done', 'rejected')`, paymentID))
}

// Filter narrows List; zero values match everything.
type Filter struct {
	State     State
	Kind      Kind
	PaymentID ledger.ID
	// BeforeAt and BeforeID are the keyset of the previous page's last intent (newest first).
	BeforeAt time.Time
	BeforeID uuid.UUID
	Limit    int
}

// List returns intents, newest first.
func (s *Store) List(ctx context.Context, f Filter) ([]*Intent, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var pid any
	if !f.PaymentID.IsZero() {
		pid = f.PaymentID
	}
	var at any
	if !f.BeforeAt.IsZero() {
		at = f.BeforeAt
	}
	rows, err := s.pool.Query(ctx, `SELECT `+Columns+` FROM signer_intents
		WHERE ($1 = '' OR state::text = $1) AND ($2 = '' OR kind::text = $2) AND ($3::uuid IS NULL OR payment_id = $3)
		AND ($5::timestamptz IS NULL OR (created_at, id) < ($5, $6))
		ORDER BY created_at DESC, id DESC LIMIT $4`, string(f.State), string(f.Kind), pid, f.Limit, at, f.BeforeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Intent
	for rows.Next() {
		in, err := Scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// insert records in unless the payment already has an open intent; either way it returns the
// payment's open intent and whether this call created it.
func (s *Store) insert(ctx context.Context, in *Intent) (*Intent, bool, error) {
	var created bool
	var out *Intent
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO signer_intents (id, kind, payment_id, chain_id, contract, token, seller,
			seller_amount, fee_recipient, fee_amount, buyer, amount, resolves_dispute, deadline, state, requested_by, escrow_id,
			buyer_amount)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
			ON CONFLICT (payment_id) WHERE kind IN ('sweep', 'release', 'refund', 'settle') AND state NOT IN ('done', 'rejected') DO NOTHING`,
			in.ID, string(in.Kind), in.PaymentID, in.ChainID, hexAddr(in.Contract), hexAddr(in.Token), optAddr(in.Seller),
			optNum(in.SellerAmount), optAddr(in.FeeRecipient), optNum(in.FeeAmount), optAddr(in.Buyer), optNum(in.Amount),
			in.ResolvesDispute, in.Deadline, string(in.State), in.RequestedBy, optHash(in.EscrowID), optNum(in.BuyerAmount))
		if err != nil {
			return err
		}
		created = tag.RowsAffected() == 1
		out, err = Scan(tx.QueryRow(ctx, `SELECT `+Columns+` FROM signer_intents WHERE payment_id = $1
			AND kind IN ('sweep', 'release', 'refund', 'settle') AND state NOT IN ('done', 'rejected')`, in.PaymentID))
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("intent: recording %s of payment %s: %w", in.Kind, in.PaymentID, err)
	}
	return out, created, nil
}

// CreateSweep asks the signer to move a paid deposit into the escrow contract: the payment moves
// to sweeping and a pending sweep intent is recorded. Safe to repeat: a payment already sweeping
// gets its open intent back (created = false).
func (s *Store) CreateSweep(ctx context.Context, paymentID ledger.ID, contract common.Address) (*Intent, bool, error) {
	if contract == (common.Address{}) {
		return nil, false, ErrNoEscrow
	}
	p, err := s.payments.Get(ctx, paymentID)
	if err != nil {
		return nil, false, err
	}
	// The escrow records the buyer and the seller: only parties their wallets proved (the signer
	// checks the same and would reject the intent). Until the buyer signs the checkout, the
	// payment stays paid and waits.
	if err := p.VerifyParties(); err != nil {
		return nil, false, fmt.Errorf("%w: %w", ErrNoBuyer, err)
	}
	if p.State != payment.Sweeping {
		// The payment service has no transaction of a caller's to join: the transition commits
		// first, and a crash before the intent is recorded is healed by the retry, which finds
		// the payment sweeping and records the intent.
		if p, err = s.payments.StartSweep(ctx, paymentID); err != nil {
			return nil, false, err
		}
	}
	return s.insert(ctx, &Intent{ID: uuid.New(), Kind: Sweep, PaymentID: p.ID, EscrowID: p.EscrowID(), ChainID: p.ChainID, Contract: contract,
		Token: p.Token, Seller: p.SellerAddress, Buyer: p.BuyerAddress, Amount: p.Received, State: Pending, RequestedBy: "worker"})
}

// RequestOptions describe a release or refund request.
type RequestOptions struct {
	Actor    string         // who asks (admin user, dispute resolution)
	Reason   string         // why (refunds need one)
	Contract common.Address // the chain's AmnEscrow
	// FeeRecipient receives the platform commission on release; zero means the payment's fee
	// address.
	FeeRecipient common.Address
	// TTL is how long approvals stay valid (the signed deadline); zero means DefaultTTL, more
	// than MaxTTL is refused.
	TTL time.Duration
	// ResolvesDispute marks the payout of a resolved dispute: the approvals then also work on an
	// escrow the arbiter froze (AmnEscrow's resolvesDispute).
	ResolvesDispute bool
}

// RequestRelease asks for the escrowed money to go to the seller: the payment moves to
// release_pending and a release intent awaiting custodian approvals is recorded. A hundred
// concurrent requests make one intent; each gets it back (created is true for one of them).
func (s *Store) RequestRelease(ctx context.Context, paymentID ledger.ID, o RequestOptions) (*Intent, bool, error) {
	return s.request(ctx, Release, paymentID, o)
}

// RequestRefund asks for the escrowed money to go back to the buyer.
func (s *Store) RequestRefund(ctx context.Context, paymentID ledger.ID, o RequestOptions) (*Intent, bool, error) {
	if strings.TrimSpace(o.Reason) == "" {
		return nil, false, fmt.Errorf("%w: a refund needs a reason", ErrNotAllowed)
	}
	return s.request(ctx, Refund, paymentID, o)
}

func (s *Store) request(ctx context.Context, kind Kind, paymentID ledger.ID, o RequestOptions) (*Intent, bool, error) {
	if o.Contract == (common.Address{}) {
		return nil, false, ErrNoEscrow
	}
	if o.TTL == 0 {
		o.TTL = DefaultTTL
	}
	if o.TTL < 0 || o.TTL > MaxTTL {
		return nil, false, fmt.Errorf("%w: approvals valid for %s; at most %s", ErrNotAllowed, o.TTL, MaxTTL)
	}
	if o.Actor == "" {
		o.Actor = "admin"
	}
	p, err := s.payments.Get(ctx, paymentID)
	if err != nil {
		return nil, false, err
	}
	want := payment.ReleasePending
	if kind == Refund {
		want = payment.RefundPending
	}
	if open, err := s.OpenFor(ctx, paymentID); err == nil {
		if open.Kind == kind {
			return open, false, nil
		}
		return nil, false, fmt.Errorf("%w: payment %s has an open %s intent %s (%s)", ErrNotAllowed, paymentID, open.Kind, open.ID, open.State)
	} else if !errors.Is(err, ErrNotFound) {
		return nil, false, err
	}
	if p.State.Final() {
		return nil, false, fmt.Errorf("payment %s is %s: %w", paymentID, p.State, ErrAlreadyClosed)
	}
	// A release or refund that went through already is the answer, even while the payment
	// still waits for the worker and the indexer to catch up.
	if prev, err := Scan(s.pool.QueryRow(ctx, `SELECT `+Columns+` FROM signer_intents WHERE payment_id = $1
		AND kind IN ('release', 'refund', 'settle') AND state = 'done' ORDER BY updated_at DESC LIMIT 1`, paymentID)); err == nil {
		if prev.Kind == kind {
			return prev, false, nil
		}
		return nil, false, fmt.Errorf("payment %s was already paid out by %s intent %s: %w", paymentID, prev.Kind, prev.ID, ErrAlreadyClosed)
	} else if !errors.Is(err, ErrNotFound) {
		return nil, false, err
	}
	switch p.State {
	case want:
		// requested before; the intent is (re)created below
	case payment.Released, payment.Refunded, payment.Reclaimed, payment.Releasing, payment.Refunding, payment.Settled, payment.Settling:
		return nil, false, fmt.Errorf("payment %s is %s: %w", paymentID, p.State, ErrAlreadyClosed)
	case payment.SettlePending:
		return nil, false, fmt.Errorf("payment %s is to be split (settle_pending): %w", paymentID, ErrPaymentState)
	case payment.Disputed:
		return nil, false, fmt.Errorf("payment %s is disputed: resolve the dispute first: %w", paymentID, ErrPaymentState)
	default:
		var err error
		if kind == Release {
			p, err = s.payments.RequestRelease(ctx, paymentID, o.Actor, o.Reason)
		} else {
			p, err = s.payments.RequestRefund(ctx, paymentID, o.Actor, o.Reason)
		}
		if errors.Is(err, payment.ErrIllegalTransition) {
			// Another request won the race, or the payment is elsewhere: look again.
			if p, err = s.payments.Get(ctx, paymentID); err != nil {
				return nil, false, err
			}
			if p.State != want {
				return nil, false, fmt.Errorf("payment %s is %s (needs in_escrow): %w", paymentID, p.State, ErrPaymentState)
			}
		} else if err != nil {
			return nil, false, err
		}
	}
	in := &Intent{ID: uuid.New(), Kind: kind, PaymentID: p.ID, EscrowID: p.EscrowID(), ChainID: p.ChainID, Contract: o.Contract, Token: p.Token,
		Deadline: s.now().Add(o.TTL).Unix(), State: AwaitingApprovals, RequestedBy: o.Actor, ResolvesDispute: o.ResolvesDispute}
	if kind == Release {
		in.Seller, in.SellerAmount = p.SellerAddress, p.SellerAmount()
		in.FeeRecipient, in.FeeAmount = o.FeeRecipient, p.Commission
		if in.FeeRecipient == (common.Address{}) {
			in.FeeRecipient = p.FeeAddress
		}
	} else {
		if p.BuyerAddress == (common.Address{}) {
			return nil, false, fmt.Errorf("payment %s: %w (it is needed to fund the escrow and to refund)", paymentID, ErrNoBuyer)
		}
		in.Buyer, in.Amount = p.BuyerAddress, p.Received
	}
	return s.insert(ctx, in)
}

// AddApproval attaches a custodian's signature to an open release, refund or settle intent. It checks
// the form only (65 bytes); whether it counts is the signer's decision, made against the chain.
// A custodian's second approval replaces the first. Only custody.Service.Approve calls it (it
// checks the signature, the custodian and the dispute first: internal/layering's
// TestOneApprovalEntryPoint).
func (s *Store) AddApproval(ctx context.Context, intentID uuid.UUID, a escrow.Approval) error {
	if len(a.Signature) != escrow.SignatureLength || a.Signer == (common.Address{}) {
		return fmt.Errorf("%w: want a signer and a 65-byte signature", ErrBadApproval)
	}
	in, err := s.Get(ctx, intentID)
	if err != nil {
		return err
	}
	if !in.Kind.Payout() {
		return fmt.Errorf("%w: a %s intent takes no approvals", ErrNotAllowed, in.Kind)
	}
	if in.State != AwaitingApprovals && in.State != Pending {
		return fmt.Errorf("intent %s is %s: %w", intentID, in.State, ErrClosed)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO custody_approvals (intent_id, signer, signature) VALUES ($1, $2, $3)
		ON CONFLICT (intent_id, signer) DO UPDATE SET signature = EXCLUDED.signature, created_at = now()`,
		intentID, hexAddr(a.Signer), a.Signature)
	return err
}

// Submit hands an intent awaiting approvals to the signer now, with whatever approvals it has
// (the signer also takes it by itself once it has as many approvals as the contract's threshold).
func (s *Store) Submit(ctx context.Context, intentID uuid.UUID) error {
	tag, err := s.pool.Exec(ctx, `UPDATE signer_intents SET state = 'pending', updated_at = now()
		WHERE id = $1 AND state = 'awaiting_approvals'`, intentID)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("intent %s is not awaiting approvals: %w", intentID, ErrClosed)
	}
	return nil
}

// Approvals returns an intent's approvals, by signer.
func Approvals(ctx context.Context, q Querier, intentID uuid.UUID) ([]escrow.Approval, error) {
	rows, err := q.Query(ctx, `SELECT signer, signature FROM custody_approvals WHERE intent_id = $1 ORDER BY signer`, intentID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (escrow.Approval, error) {
		var a escrow.Approval
		var signer string
		err := r.Scan(&signer, &a.Signature)
		a.Signer = common.HexToAddress(signer)
		return a, err
	})
}

// Querier is a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Approvals returns an intent's approvals.
func (s *Store) Approvals(ctx context.Context, intentID uuid.UUID) ([]escrow.Approval, error) {
	return Approvals(ctx, s.pool, intentID)
}

// Tx is one transaction attempt of an intent (signer_txs), for display.
type Tx struct {
	Step        string    `json:"step"`
	Sender      string    `json:"sender"`
	Nonce       uint64    `json:"nonce"`
	Attempt     int       `json:"attempt"`
	Hash        string    `json:"hash"`
	State       string    `json:"state"`
	FeeCap      *big.Int  `json:"fee_cap"`
	TipCap      *big.Int  `json:"tip_cap"`
	BlockNumber *int64    `json:"block_number,omitempty"`
	GasUsed     *int64    `json:"gas_used,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// SignerTxs reads the signer's record of its transaction attempts (signer_txs). Package signer
// owns that table and alone writes it; intent sits below signer in the layers, so whoever builds a
// Store that shows attempts (Txs, Watch) or books their gas (BookGas, Follow) passes signer's
// reader to NewStore (signer.TxRecord). Each read runs through q, the caller's pool or
// transaction, so as the caller's database role.
type SignerTxs interface {
	// Attempts returns every transaction attempt of an intent, oldest first: with those of the
	// sweep batch it is a member of (stored under the batch's carrier).
	Attempts(ctx context.Context, q Querier, intentID uuid.UUID) ([]Tx, error)
	// Mined returns the attempts of an intent that were mined (confirmed or failed), oldest first.
	Mined(ctx context.Context, q Querier, intentID uuid.UUID) ([]MinedTx, error)
	// Batch returns the mined (confirmed or failed) transaction of the sweep batch the intent is a
	// member of, with the batch's members; nil when it is in none; Pending set when it is in one
	// whose transaction is not mined yet (its gas is not known: booking waits).
	Batch(ctx context.Context, q Querier, intentID uuid.UUID) (*MinedBatch, error)
}

// ErrNoSignerTxs: a Store built without the signer's transaction reader (NewStore's txs) was asked
// for what only that reader has: a wiring mistake, not the asker's.
var ErrNoSignerTxs = kind.New(kind.Unavailable, "intent: this store reads no signer transactions: build it with NewStore(pool, payments, signer.TxRecord{})")

// Txs returns every transaction attempt of an intent, oldest first.
func (s *Store) Txs(ctx context.Context, intentID uuid.UUID) ([]Tx, error) {
	if s.signerTxs == nil {
		return nil, ErrNoSignerTxs
	}
	return s.signerTxs.Attempts(ctx, s.pool, intentID)
}

// nullAmount scans a nullable NUMERIC(78,0): NULL is nil.
type nullAmount struct{ V *big.Int }

// ScanNumeric implements pgtype.NumericScanner.
func (a *nullAmount) ScanNumeric(n pgtype.Numeric) error {
	if !n.Valid {
		a.V = nil
		return nil
	}
	v, err := db.BigFromNumeric(n)
	a.V = v
	return err
}
