package admin

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// Errors.
var (
	ErrReasonRequired = kind.New(kind.Invalid, "a refund needs a reason")
	ErrBadAmount      = kind.New(kind.Invalid, "a top-up needs a positive amount")
	ErrBadRecipient   = kind.New(kind.Invalid, "a top-up needs a recipient address")
)

// Config is what the service needs beyond the database.
type Config struct {
	// Registry is the chains: each one's escrow contract, nodes (for the quorum) and explorer.
	Registry *chain.Registry
	// Escrow, when set, is the contract of every intent (the CLI's --escrow); else the chain's.
	Escrow common.Address
	// RPCURL, when set, is the node the quorum is read from; else the chain's first endpoint.
	RPCURL string
	// SignerTxs reads the signer's transactions (signer.TxRecord); nil shows none.
	SignerTxs intent.SignerTxs
	// Xpub and ParseXpub are the deposit derivation the health check parses.
	Xpub      string
	ParseXpub func(string) error
	// SignerMaxAge is how old the signer's heartbeat may be for the health check to call it healthy.
	SignerMaxAge time.Duration
	// QuorumTTL is how long a quorum read is kept (0: for the service's life, as a command wants).
	QuorumTTL time.Duration
	// SweepByJob makes SweepDue hand each due deposit to the worker's sweep job instead of
	// recording the intent itself: for the API, whose role may not move a payment to sweeping.
	SweepByJob bool
}

// Service runs admin operations on the database as the role of its pool (amn_api).
type Service struct {
	pool     *pgxpool.Pool
	payments *payment.Service
	intents  *intent.Store
	books    *ledger.Ledger
	cfg      Config

	mu      sync.Mutex
	quorums map[string]quorumRead
}

// quorumRead is a contract's custodian set as read from a node, or why it could not be.
type quorumRead struct {
	on  *custody.OnChain
	why string
	at  time.Time
}

// New returns the service on pool.
func New(pool *pgxpool.Pool, cfg Config) *Service {
	if cfg.Registry == nil {
		cfg.Registry = chain.DefaultRegistry()
	}
	if cfg.SignerMaxAge == 0 {
		cfg.SignerMaxAge = 2 * time.Minute
	}
	payments := payment.New(pool, nil)
	store := intent.NewStore(pool, payments, cfg.SignerTxs)
	return &Service{pool: pool, payments: payments, intents: store, books: ledger.New(pool), cfg: cfg, quorums: map[string]quorumRead{}}
}

// EscrowFor is the escrow contract of chainID's intents.
func (s *Service) EscrowFor(chainID uint64) (common.Address, error) {
	if s.cfg.Escrow != (common.Address{}) {
		return s.cfg.Escrow, nil
	}
	c, err := s.cfg.Registry.Get(strconv.FormatUint(chainID, 10))
	if err != nil || c.Escrow == (common.Address{}) {
		return common.Address{}, &NoEscrowError{ChainID: chainID}
	}
	return c.Escrow, nil
}

// NoEscrowError is a chain without an AmnEscrow contract in the configuration (intent.ErrNoEscrow).
type NoEscrowError struct{ ChainID uint64 }

func (e *NoEscrowError) Error() string {
	return fmt.Sprintf("no escrow contract known for chain %d: give --escrow or a --chain-config with one", e.ChainID)
}

func (e *NoEscrowError) Unwrap() error { return intent.ErrNoEscrow }

// IntentView is an intent as admins see it: with the digest custodians sign (releases and
// refunds), its approvals gathered of the contract's threshold and its transactions.
type IntentView struct {
	*intent.Intent
	Digest    *common.Hash      `json:"digest,omitempty"`
	Approvals int               `json:"approvals"` // recorded
	Progress  *custody.Progress `json:"quorum,omitempty"`
	// QuorumUnknown says why the contract's threshold could not be read (approvals show as n/?).
	QuorumUnknown string      `json:"quorum_unknown,omitempty"`
	Txs           []intent.Tx `json:"transactions"`
}

// Request asks for a release or a refund of a payment.
type Request struct {
	Actor           string
	Reason          string
	FeeRecipient    common.Address // releases: zero is the payment's fee address
	TTL             time.Duration
	ResolvesDispute bool
}

// RequestPayout asks for the escrowed money of paymentID to go to the seller (intent.Release) or
// back to the buyer (intent.Refund). Asking again returns the open intent (created false).
func (s *Service) RequestPayout(ctx context.Context, k intent.Kind, paymentID ledger.ID, r Request) (IntentView, bool, error) {
	if k != intent.Release && k != intent.Refund {
		return IntentView{}, false, kind.New(kind.Invalid, "a payout is a release or a refund")
	}
	if k == intent.Refund && r.Reason == "" {
		return IntentView{}, false, ErrReasonRequired
	}
	p, err := s.payments.Get(ctx, paymentID)
	if err != nil {
		return IntentView{}, false, err
	}
	contract, err := s.EscrowFor(p.ChainID)
	if err != nil {
		return IntentView{}, false, err
	}
	ro := intent.RequestOptions{Actor: r.Actor, Reason: r.Reason, Contract: contract, FeeRecipient: r.FeeRecipient,
		TTL: r.TTL, ResolvesDispute: r.ResolvesDispute}
	var in *intent.Intent
	var created bool
	if k == intent.Release {
		in, created, err = s.intents.RequestRelease(ctx, paymentID, ro)
	} else {
		in, created, err = s.intents.RequestRefund(ctx, paymentID, ro)
	}
	if err != nil {
		return IntentView{}, false, err
	}
	v, err := s.view(ctx, in)
	return v, created, err
}

// Topup asks the signer to send amount wei of the chain's currency from the gas tank to recipient.
type Topup struct {
	ChainID   uint64
	Recipient common.Address
	Amount    *big.Int // wei
	Actor     string
}

// RequestTopup records a gas_topup intent (asking again while it is open returns it).
func (s *Service) RequestTopup(ctx context.Context, t Topup) (IntentView, bool, error) {
	if t.Recipient == (common.Address{}) {
		return IntentView{}, false, ErrBadRecipient
	}
	if t.Amount == nil || t.Amount.Sign() <= 0 {
		return IntentView{}, false, ErrBadAmount
	}
	contract, err := s.EscrowFor(t.ChainID)
	if err != nil {
		return IntentView{}, false, err
	}
	in, created, err := s.intents.RequestGasTopup(ctx, intent.GasTopupRequest{ChainID: t.ChainID, Contract: contract,
		Recipient: t.Recipient, Amount: t.Amount, Actor: t.Actor})
	if err != nil {
		return IntentView{}, false, err
	}
	v, err := s.view(ctx, in)
	return v, created, err
}

// Queued is what SweepDue says, with SweepByJob, of a deposit handed to the worker's sweep job.
const Queued = "queued for the worker's sweep job"

// SweepDue records a sweep intent for every deposit due (chainID 0: every chain), or with
// SweepByJob hands each to the worker's sweep job; dryRun only lists them.
func (s *Service) SweepDue(ctx context.Context, chainID uint64, dryRun bool) ([]intent.DueSweep, error) {
	if !s.cfg.SweepByJob || dryRun {
		return s.intents.SweepDue(ctx, chainID, s.EscrowFor, dryRun)
	}
	due, err := s.intents.SweepDue(ctx, chainID, s.EscrowFor, true)
	if err != nil {
		return nil, err
	}
	for i := range due {
		id, err := ledger.ParseID(due[i].PaymentID)
		if err != nil {
			return due, err
		}
		if err := s.payments.WakeSweep(ctx, id); err != nil {
			due[i].Error = err.Error()
		} else {
			due[i].Intent = Queued
		}
	}
	return due, nil
}

// Intents lists intents, newest first, with their approvals and transactions.
func (s *Service) Intents(ctx context.Context, f intent.Filter) ([]IntentView, error) {
	list, err := s.intents.List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]IntentView, 0, len(list))
	for _, in := range list {
		v, err := s.view(ctx, in)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Intent is one intent as admins see it.
func (s *Service) Intent(ctx context.Context, id uuid.UUID) (IntentView, error) {
	in, err := s.intents.Get(ctx, id)
	if err != nil {
		return IntentView{}, err
	}
	return s.view(ctx, in)
}

func (s *Service) view(ctx context.Context, in *intent.Intent) (IntentView, error) {
	v := IntentView{Intent: in}
	a, err := s.intents.Approvals(ctx, in.ID)
	if err != nil {
		return v, err
	}
	if v.Txs, err = s.intents.Txs(ctx, in.ID); err != nil {
		return v, err
	}
	v.Approvals = len(a)
	if in.Kind.Payout() {
		if d, err := in.Digest(); err == nil {
			v.Digest = &d
		}
		v.Progress, v.QuorumUnknown = s.progress(ctx, in, a)
	}
	return v, nil
}

// progress tallies a release's or refund's approvals against its contract's quorum.
func (s *Service) progress(ctx context.Context, in *intent.Intent, approvals []escrow.Approval) (*custody.Progress, string) {
	q := s.Quorum(ctx, in.ChainID, in.Contract)
	p := custody.ApprovalProgress(in, approvals, q.on)
	return &p, q.why
}

// Quorum is the custodian set and threshold of contract on chainID (nil with the reason when it
// cannot be read), read from a node once per QuorumTTL.
func (s *Service) Quorum(ctx context.Context, chainID uint64, contract common.Address) (q quorumRead) {
	k := fmt.Sprintf("%d/%s", chainID, contract.Hex())
	s.mu.Lock()
	q, ok := s.quorums[k]
	s.mu.Unlock()
	if ok && (s.cfg.QuorumTTL == 0 || time.Since(q.at) < s.cfg.QuorumTTL) {
		return q
	}
	q = s.readQuorum(ctx, chainID, contract)
	s.mu.Lock()
	s.quorums[k] = q
	s.mu.Unlock()
	return q
}

// OnChain is Quorum's custodian set, or nil and why it is unknown.
func (q quorumRead) OnChain() (*custody.OnChain, string) { return q.on, q.why }

func (s *Service) readQuorum(ctx context.Context, chainID uint64, contract common.Address) quorumRead {
	now := time.Now()
	url := s.cfg.RPCURL
	if url == "" {
		if c, err := s.cfg.Registry.Get(strconv.FormatUint(chainID, 10)); err == nil && len(c.Endpoints) > 0 {
			url = c.Endpoints[0]
		}
	}
	if url == "" {
		return quorumRead{at: now, why: fmt.Sprintf("no node for chain %d to read the threshold from (give --rpc-url or a --chain-config with endpoints)", chainID)}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := ethclient.DialContext(ctx, url)
	if err != nil {
		return quorumRead{at: now, why: fmt.Sprintf("node %s: %v", config.MaskURL(url), err)}
	}
	defer c.Close()
	on, err := custody.ReadOnChain(ctx, c, contract, chainID)
	if err != nil {
		return quorumRead{at: now, why: fmt.Sprintf("%v (node %s)", err, config.MaskURL(url))}
	}
	return quorumRead{at: now, on: on}
}

// Destinations lists derived deposit addresses with their sweep status.
func (s *Service) Destinations(ctx context.Context, f payment.DestinationFilter) ([]payment.Destination, error) {
	return s.payments.ListDestinations(ctx, f)
}

// Health checks the configuration: the xpub parses, the chains configured, the signer alive.
func (s *Service) Health(ctx context.Context) (payment.Health, error) {
	parse := s.cfg.ParseXpub
	if parse == nil {
		parse = func(string) error { return errors.New("no xpub configured for this process") }
	}
	var chains []string
	for _, c := range s.cfg.Registry.All() {
		chains = append(chains, c.Key)
	}
	return s.payments.CheckHealth(ctx, parse, s.cfg.Xpub, chains, s.cfg.SignerMaxAge)
}
