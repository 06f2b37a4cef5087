package signer

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/signer/keystore"
)

// Chain is one chain the signer works on.
type Chain struct {
	ID     uint64
	Key    string // eth, bsc, polygon (ledger names, metrics)
	Client *ethclient.Client
	// Escrow is the AmnEscrow contract the signer trusts on this chain: an intent naming another
	// contract is rejected.
	Escrow common.Address
	// MaxFeeCap caps max_fee_per_gas of every attempt, replacements included (wei).
	MaxFeeCap *big.Int
	// StuckAfter is how long an attempt may wait unmined before it is re-signed with higher fees.
	StuckAfter time.Duration
	// GasTankLow is the gas tank balance below which the low-balance alert fires (wei).
	GasTankLow *big.Int
	// Sweeper, when set, is the AmnSweeper (operator: this signer's gas tank) through which the
	// chain's sweeps go in batches, one transaction of the tank for many deposits (EIP-7702,
	// batch.go): chain.Config.BatchSweeper. Zero keeps every sweep on the top-up path.
	Sweeper common.Address
	// BatchSize bounds the deposits of one batch; 0 means 50.
	BatchSize int
}

// Config is what a Signer needs.
type Config struct {
	Pool   *pgxpool.Pool // opened with OpenDB: the restricted role
	Keys   *keystore.Keys
	Chains []*Chain
	Policy Policy
	// RequireHardware counts approvals only from custodians enrolled as hardware-held
	// (AMN_CUSTODY_REQUIRE_HARDWARE), as Enrolment says; it needs Enrolment.
	RequireHardware bool
	// Enrolment tells which custodians are enrolled as hardware-held: package custody owns the
	// enrolments (custody.NewEnrolments on this signer's restricted Pool).
	Enrolment Enrolment
	Poll      time.Duration // how often the queue is looked at; 0 means one second
	// MaxApprovalTTL is the longest a release or refund's approvals may stay valid: an intent
	// whose deadline is further than this after its creation (or after now) is rejected. 0 means
	// intent.MaxTTL (24 hours).
	MaxApprovalTTL time.Duration
	Log            *slog.Logger
	Metrics        *Metrics // nil: none
}

// Enrolment tells which custodians are enrolled as hardware-held (custody.Enrolments).
type Enrolment interface {
	HardwareHeld(ctx context.Context) ([]common.Address, error)
}

// Signer works the intent queue.
type Signer struct {
	cfg      Config
	chains   map[uint64]*Chain
	payments *payment.Service // read-only use: Get
	books    *ledger.Ledger   // read-only use: Account, LookupTransfer
	log      *slog.Logger
	m        *Metrics

	mu  sync.Mutex
	cur *leadership // nil while this signer does not lead

	// thresholds caches each chain's contract threshold for one tick: intents awaiting approvals
	// compare their count with it on every tick, and one read per chain is enough. Tick sets it
	// afresh; only Tick's goroutine uses it.
	thresholds map[uint64]int
	// depositKeys keeps, for one tick, the deposit keys derived in it by index: a sweep in flight
	// asks for its deposit's key at every step and stored attempt it checks, and each BIP32
	// derivation is a scalar multiplication. Tick sets it afresh and drops it; depositKey still
	// checks every key against the payment's deposit address.
	depositKeys map[uint32]*ecdsa.PrivateKey
	// batchQueue collects, for one tick, the verified sweeps of each batch chain that are in no
	// batch yet: signBatches signs them after the tick's pass. Only Tick's goroutine uses it.
	batchQueue map[uint64][]batchCandidate
	// tickOpen is the tick's open intents (intent.Queue at its start): a batch not final yet with
	// none of them among its members is driven by nobody (depositsInOpenBatches).
	tickOpen map[uuid.UUID]bool

	// Test hooks: simulate a crash (return an error) right after a transaction is signed and
	// stored, or right after it is broadcast; act just before a first attempt is signed; adjust
	// the fees of an attempt; keep signing after the lock connection is lost (a signer that has
	// not noticed yet: only the database's fence stops it).
	beforeSign     func(step string) error
	afterSign      func(step string) error
	afterBroadcast func(step string) error
	feeOverride    func(step string, attempt int, tip, feeCap *big.Int) (*big.Int, *big.Int)
	keepLeadOnLoss bool
	// unfreezeAfter is how long after this signer's freeze (chain time) it lifts it: until every
	// custodian approval given before the freeze has expired. Not configurable: custodians sign
	// approvals valid for at most intent.MaxTTL (package custody); tests shorten it.
	unfreezeAfter time.Duration
}

// New checks the configuration and returns a signer. Nothing runs until Run.
func New(cfg Config) (*Signer, error) {
	if cfg.Pool == nil || cfg.Keys == nil || cfg.Keys.Ring == nil || cfg.Keys.Operator == nil {
		return nil, errors.New("signer: a restricted pool and unlocked keys are required")
	}
	if cfg.RequireHardware && cfg.Enrolment == nil {
		return nil, errors.New("signer: requiring hardware needs the custodians' enrolments (Config.Enrolment: custody.NewEnrolments)")
	}
	if err := cfg.Policy.Validate(); err != nil {
		return nil, err
	}
	if cfg.Poll == 0 {
		cfg.Poll = time.Second
	}
	if cfg.MaxApprovalTTL == 0 {
		cfg.MaxApprovalTTL = intent.MaxTTL
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	s := &Signer{cfg: cfg, chains: map[uint64]*Chain{}, payments: payment.New(cfg.Pool, nil),
		books: ledger.New(cfg.Pool), log: cfg.Log, m: cfg.Metrics, unfreezeAfter: intent.MaxTTL + clockSkew}
	for _, c := range cfg.Chains {
		if c.Client == nil || c.Escrow == (common.Address{}) || c.ID == 0 {
			return nil, fmt.Errorf("signer: chain %d needs a client and an escrow contract", c.ID)
		}
		if c.MaxFeeCap == nil {
			c.MaxFeeCap = big.NewInt(500e9) // 500 gwei
		}
		if c.StuckAfter == 0 {
			c.StuckAfter = 2 * time.Minute
		}
		if c.BatchSize <= 0 {
			c.BatchSize = defaultBatchSize
		}
		s.chains[c.ID] = c
	}
	return s, nil
}

// Run works the queue until ctx ends. Only one signer works at a time: a second one waits until
// the first is gone, then takes the lead with a new epoch. A signer whose lock connection fails
// stops signing at once and waits to lead again.
func (s *Signer) Run(ctx context.Context) error {
	defer s.Close()
	for {
		l, err := s.lead(ctx, true)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			s.log.Error("signer cannot take the lead", "err", err)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(s.cfg.Poll):
			}
			continue
		}
		if err := s.took(ctx, l); err != nil {
			s.Close()
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		s.work(ctx, l)
		if ctx.Err() != nil {
			return nil
		}
		s.Close()
		s.log.Warn("signer lost the lead: waiting to lead again", "epoch", l.epoch)
	}
}

// work ticks until ctx ends or the lead is lost.
func (s *Signer) work(ctx context.Context, l *leadership) {
	t := time.NewTicker(s.cfg.Poll)
	defer t.Stop()
	for {
		if err := s.Tick(ctx); err != nil && ctx.Err() == nil && l.ctx.Err() == nil {
			s.log.Error("signer tick", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-l.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick looks at every open intent once and moves each as far as it can go now. Errors of one
// intent are logged and do not stop the others; the first is returned.
// A signer that does not lead takes the lead if it is free, else returns ErrNotLeader; the tick
// stops the moment the lead is lost.
func (s *Signer) Tick(ctx context.Context) error {
	l, err := s.leader(ctx)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(l.ctx, cancel)()
	open, err := intent.Queue(ctx, s.cfg.Pool)
	if err != nil {
		return err
	}
	s.m.queue(open)
	s.thresholds = map[uint64]int{}
	s.depositKeys = map[uint32]*ecdsa.PrivateKey{}
	s.batchQueue = map[uint64][]batchCandidate{}
	s.tickOpen = make(map[uuid.UUID]bool, len(open))
	for _, in := range open {
		s.tickOpen[in.ID] = true
	}
	defer func() { s.depositKeys, s.batchQueue, s.tickOpen = nil, nil, nil }()
	var first error
	for _, in := range open {
		if ctx.Err() != nil {
			return ErrNotLeader // the lead was lost mid-tick (or the caller stopped)
		}
		if err := s.advance(ctx, in); err != nil {
			if errors.Is(err, ErrStaleEpoch) || errors.Is(err, ErrNotLeader) {
				return err
			}
			s.log.Warn("intent not advanced", "intent_id", in.ID.String(), "kind", in.Kind, "state", in.State, "err", err)
			if first == nil {
				first = err
			}
		}
	}
	// The sweeps the pass verified for a batch go out now, one transaction per batch.
	if err := s.signBatches(ctx); err != nil {
		if errors.Is(err, ErrStaleEpoch) || errors.Is(err, ErrNotLeader) {
			return err
		}
		s.log.Warn("sweep batch not signed", "err", err)
		if first == nil {
			first = err
		}
	}
	s.m.tanks(ctx, s)
	return first
}

// advance moves one intent.
func (s *Signer) advance(ctx context.Context, in *intent.Intent) error {
	switch in.State {
	case intent.AwaitingApprovals:
		c := s.chains[in.ChainID]
		if c == nil {
			return nil // another signer's chain, or not configured: the pending check rejects it
		}
		if now := time.Now().Unix(); in.Deadline > 0 && in.Deadline < now {
			return s.reject(ctx, in, fmt.Sprintf("approvals expired at %s before enough were gathered", time.Unix(in.Deadline, 0).UTC().Format(time.RFC3339)))
		}
		if in.Kind == intent.Settle {
			if reason, err := s.staleSettle(ctx, in); err != nil {
				return err
			} else if reason != "" {
				return s.reject(ctx, in, reason)
			}
		}
		n, err := intent.CountApprovals(ctx, s.cfg.Pool, in.ID)
		if err != nil {
			return err
		}
		threshold, err := s.threshold(ctx, c)
		if err != nil {
			return err
		}
		if n < threshold {
			return nil
		}
		fallthrough
	case intent.Pending:
		started := time.Now()
		if _, err := s.verify(ctx, in); err != nil {
			if errors.Is(err, errWaiting) {
				return nil
			}
			var r *Rejection
			if errors.As(err, &r) {
				return s.reject(ctx, in, r.Reason)
			}
			return err // could not check (RPC, database): try again later
		}
		if err := s.setState(ctx, in, in.State, intent.Approved, "", AuditAccepted, describe(in)); err != nil {
			return err
		}
		s.m.verified(time.Since(started))
		fallthrough
	case intent.Approved, intent.Signing, intent.Broadcast:
		// Whatever state the row claims (another role may have written it), drive verifies the
		// intent again before each signature and holds every stored attempt against it.
		if c := s.chains[in.ChainID]; in.Kind == intent.Sweep && c != nil && c.Sweeper != (common.Address{}) {
			return s.driveBatched(ctx, c, in)
		}
		return s.drive(ctx, in)
	case intent.Confirmed:
		return s.setState(ctx, in, intent.Confirmed, intent.Done, "", AuditDone, fmt.Sprintf("gas used %d, cost %s wei", in.GasUsed, in.GasCost))
	}
	return nil
}

func describe(in *intent.Intent) string {
	switch in.Kind {
	case intent.Release:
		return fmt.Sprintf("release payment %s: %s to seller %s, %s to %s, token %s, chain %d", in.PaymentID, in.SellerAmount,
			in.Seller.Hex(), in.FeeAmount, in.FeeRecipient.Hex(), in.Token.Hex(), in.ChainID)
	case intent.Refund:
		return fmt.Sprintf("refund payment %s: %s to buyer %s, token %s, chain %d", in.PaymentID, in.Amount, in.Buyer.Hex(), in.Token.Hex(), in.ChainID)
	case intent.Settle:
		return fmt.Sprintf("settle payment %s: %s to buyer %s, %s to seller %s, %s to %s, token %s, chain %d", in.PaymentID,
			in.BuyerAmount, in.Buyer.Hex(), in.SellerAmount, in.Seller.Hex(), in.FeeAmount, in.FeeRecipient.Hex(), in.Token.Hex(), in.ChainID)
	case intent.Sweep:
		return fmt.Sprintf("sweep payment %s: %s of token %s into escrow %s, chain %d", in.PaymentID, in.Amount, in.Token.Hex(), in.Contract.Hex(), in.ChainID)
	case intent.GasTopup:
		return fmt.Sprintf("gas top-up: %s wei from the gas tank to %s, chain %d", in.Amount, in.Recipient.Hex(), in.ChainID)
	case intent.Freeze:
		return fmt.Sprintf("freeze escrow of disputed payment %s in %s, chain %d", in.PaymentID, in.Contract.Hex(), in.ChainID)
	case intent.Unfreeze:
		return fmt.Sprintf("unfreeze escrow of payment %s (dispute resumed) in %s, chain %d", in.PaymentID, in.Contract.Hex(), in.ChainID)
	}
	return string(in.Kind)
}

// setState moves an intent from one state to another and appends the audit row, in one
// transaction. It fails if the intent is no longer in from (someone else moved it).
func (s *Signer) setState(ctx context.Context, in *intent.Intent, from, to intent.State, reason, event, detail string) error {
	err := s.fenced(ctx, func(tx pgx.Tx) error {
		moved, err := intent.Move(ctx, tx, in.ID, from, to, reason)
		if err != nil {
			return err
		}
		if !moved {
			return fmt.Errorf("intent %s is no longer %s", in.ID, from)
		}
		id := in.ID
		return s.appendAudit(ctx, tx, event, &id, detail)
	})
	if err != nil {
		return err
	}
	if from != to {
		s.log.Info("intent "+string(to), "intent_id", in.ID.String(), "kind", in.Kind, "payment_id", in.PaymentID.String(), "reason", reason)
	}
	in.State = to
	if to == intent.Done || to == intent.Rejected {
		s.m.result(in.Kind, to)
	}
	return nil
}

func (s *Signer) reject(ctx context.Context, in *intent.Intent, reason string) error {
	return s.setState(ctx, in, in.State, intent.Rejected, reason, AuditRejected, reason)
}

// Rejection is a failed check: the intent is rejected with Reason.
type Rejection struct{ Reason string }

func (r *Rejection) Error() string { return r.Reason }

func rejectf(format string, a ...any) error { return &Rejection{Reason: fmt.Sprintf(format, a...)} }

// errWaiting: the intent cannot be checked yet (a freeze waits for its escrow to be funded).
var errWaiting = errors.New("waiting")

// uuidPtr is for audit rows.
func uuidPtr(id uuid.UUID) *uuid.UUID { return &id }
