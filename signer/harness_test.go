package signer

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/hd/keyring"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
	"github.com/amanat/amn/signer/keystore"
)

// The deposit wallet of these tests: BIP39's public test mnemonic, whose addresses hold nothing
// on a fresh anvil (unlike anvil's own `test … junk` accounts, which the fixture uses).
const depositMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

// world is one devnet with the signer's surroundings: the privileged side (payments, intents),
// the signer on its restricted role, and helpers to play the buyer, the indexer and custodians.
type world struct {
	t        *testing.T
	ctx      context.Context
	f        *devnet.Fixture
	admin    *pgxpool.Pool // the privileged role (API / worker / admin CLI)
	dbURL    string        // the world's own database (dbtest.Isolated)
	payments *payment.Service
	intents  *intent.Store
	keys     *keystore.Keys
	signer   *Signer
	cfg      Config
	chain    *Chain
	reg      *prometheus.Registry
	paused   *atomic.Bool // stops the block ticker (with automine off, nothing is mined)
}

func newWorld(t *testing.T, tweak func(*Config)) *world {
	t.Helper()
	return newWorldOn(t, false, tweak)
}

// newBatchWorld is a world on the Prague hardfork whose chain has an AmnSweeper (operator: the
// signer's gas tank): the signer sweeps in EIP-7702 batches.
func newBatchWorld(t *testing.T, tweak func(*Config)) *world {
	t.Helper()
	return newWorldOn(t, true, tweak)
}

func newWorldOn(t *testing.T, batches bool, tweak func(*Config)) *world {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	o := devnet.AnvilOptions{ChainID: 56, SlotsInEpoch: 1}
	if batches {
		o.Hardfork = "prague"
	}
	node, err := devnet.StartAnvil(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(node.Stop)
	f, err := devnet.Deploy(ctx, node, devnet.FixtureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	// Mine a block every 50 ms, so that finality (head − 2 here) moves on as on a live chain.
	mctx, stop := context.WithCancel(ctx)
	paused := new(atomic.Bool)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tk := time.NewTicker(50 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-mctx.Done():
				return
			case <-tk.C:
				if !paused.Load() {
					_ = f.RPC.CallContext(mctx, nil, "evm_mine")
				}
			}
		}
	}()
	t.Cleanup(func() { stop(); <-done })

	ring, err := keyring.FromMnemonic(depositMnemonic, "")
	if err != nil {
		t.Fatal(err)
	}
	op, _ := crypto.GenerateKey()
	keys := &keystore.Keys{Ring: ring, Operator: op}
	if err := f.SetBalance(ctx, keys.OperatorAddress(), new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))); err != nil {
		t.Fatal(err)
	}
	// The operator is the escrow's arbiter, as on a devnet that runs the signer: it freezes
	// the escrows of disputed payments.
	if err := f.SetArbiter(ctx, devnet.Account{Address: keys.OperatorAddress(), Key: op}); err != nil {
		t.Fatal(err)
	}
	d, err := hd.ParseXpub(ring.Xpub())
	if err != nil {
		t.Fatal(err)
	}
	// A database of the world's own: worlds run in parallel, each signer leading its own queue.
	admin, dbURL := dbtest.Isolated(t)
	payments := payment.New(admin, d)
	restricted, err := OpenDB(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(restricted.Close)
	c := &Chain{ID: f.ChainID, Key: "bsc", Client: f.Client, Escrow: f.Addresses.Escrow, StuckAfter: time.Minute,
		GasTankLow: big.NewInt(1e18)}
	if batches {
		if c.Sweeper, err = f.DeploySweeper(ctx, keys.OperatorAddress()); err != nil {
			t.Fatal(err)
		}
	}
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Pool: restricted, Keys: keys, Chains: []*Chain{c}, Poll: 20 * time.Millisecond, Metrics: m,
		Enrolment: custody.NewEnrolments(restricted),
		Policy: Policy{Limits: map[LimitKey]Limit{{f.ChainID, f.Addresses.USDT}: {
			PerTx: big.NewInt(10_000_000_000), PerDay: big.NewInt(100_000_000_000)}}}}
	if tweak != nil {
		tweak(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, ctx: ctx, f: f, admin: admin, dbURL: dbURL, payments: payments, intents: intent.NewStore(admin, payments, TxRecord{}),
		keys: keys, signer: s, cfg: cfg, chain: c, reg: reg, paused: paused}
	t.Cleanup(func() { w.signer.Close() })
	return w
}

// restart replaces the signer with a new one on the same configuration (a process restart: the
// old one's lock connection closes with it).
func (w *world) restart() {
	w.signer.Close()
	s, err := New(w.cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	w.signer = s
}

var offerSeq atomic.Int64

// paid creates a payment of amount USDT base units for the seller's signed offer, has buyer 0
// sign its checkout (the refund address) and pay it through the real ERC20FeeProxy; then plays
// the indexer: Detect and Confirm with the real log. The payment is funded.
func (w *world) paid(amount int64) *payment.Payment {
	t, ctx, f := w.t, w.ctx, w.f
	t.Helper()
	n := offerSeq.Add(1)
	p, err := w.payments.Create(ctx, paymenttest.Offer(payment.NewPayment{
		BuyerRef: "buyer-1", OfferRef: fmt.Sprintf("offer-%d-%s", n, uuid.NewString()), SellerAddress: f.Seller.Address,
		ChainID: f.ChainID, ChainKey: "bsc", Token: f.Addresses.USDT, TokenSymbol: "USDT", Decimals: 6,
		Amount: big.NewInt(amount), Fee: big.NewInt(amount / 100), FeeAddress: f.FeeRecipient.Address,
		Commission: big.NewInt(amount / 50), RequestID: fmt.Sprintf("req-%d-%s", n, uuid.NewString()), Salt: "5a17", TTL: time.Hour,
	}, f.Seller))
	if err != nil {
		t.Fatal(err)
	}
	buyer := f.Buyers[0]
	p = paymenttest.ProveBuyer(t, w.payments, p, buyer) // the buyer signs the checkout, then pays
	co, err := payment.NewCheckout(payment.CheckoutRequest{ChainID: f.ChainID, Token: f.Addresses.USDT, Decimals: 6,
		Amount: p.Amount, Fee: p.Fee, Deposit: p.Deposit, Reference: p.Reference, FeeProxy: f.Addresses.ERC20FeeProxy,
		FeeAddress: p.FeeAddress})
	if err != nil {
		t.Fatal(err)
	}
	var rcpt *types.Receipt
	for _, c := range co.Transactions {
		if rcpt, err = f.Send(ctx, buyer, c.To, c.Data, nil); err != nil {
			t.Fatalf("buyer %s: %v", c.Purpose, err)
		}
	}
	proxyABI, _ := bindings.ERC20FeeProxyMetaData.GetAbi()
	ev := proxyABI.Events["TransferWithReferenceAndFee"].ID
	var obs *payment.Observation
	for _, l := range rcpt.Logs {
		if l.Address == f.Addresses.ERC20FeeProxy && len(l.Topics) > 0 && l.Topics[0] == ev {
			obs = &payment.Observation{ChainID: f.ChainID, BlockHash: l.BlockHash, BlockNumber: l.BlockNumber, TxHash: l.TxHash,
				LogIndex: uint64(l.Index), Token: f.Addresses.USDT, Amount: p.Amount}
		}
	}
	if obs == nil {
		t.Fatal("no TransferWithReferenceAndFee in the payment's receipt")
	}
	if _, err := w.payments.Detect(ctx, p.ID, *obs); err != nil {
		t.Fatal(err)
	}
	if p, err = w.payments.Confirm(ctx, p.ID, obs.TransferID()); err != nil {
		t.Fatal(err)
	}
	if p.State != payment.Funded {
		t.Fatalf("payment is %s, want funded", p.State)
	}
	return p
}

// sweep runs the worker's sweep job for p and the signer until the sweep intent is done, then
// plays the indexer (Swept).
func (w *world) sweep(p *payment.Payment) *intent.Intent {
	w.t.Helper()
	sw := &intent.SweepWorker{Intents: w.intents, Escrow: func(uint64) common.Address { return w.f.Addresses.Escrow }, Log: testLog(w.t)}
	if err := sw.Work(w.ctx, &river.Job[payment.SweepArgs]{Args: payment.SweepArgs{PaymentID: p.ID.String()}}); err != nil {
		w.t.Fatal(err)
	}
	in, err := w.intents.OpenFor(w.ctx, p.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	in = w.until(in.ID, intent.Done)
	ev, err := w.f.Funded(w.ctx, p.EscrowID())
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.payments.Swept(w.ctx, p.ID, escrowFunded(ev)); err != nil {
		w.t.Fatal(err)
	}
	return in
}

// escrowFunded is a Funded event as the indexer hands it to payment.Swept.
func escrowFunded(ev *bindings.AmnEscrowFunded) payment.EscrowFunded {
	token := ev.Token
	if token == (common.Address{}) {
		token = chain.NativeToken
	}
	return payment.EscrowFunded{EscrowID: ev.EscrowId, Ref: ev.Ref, Funder: ev.Funder, Token: token, Amount: ev.Amount,
		Buyer: ev.Buyer, Seller: ev.Seller}
}

// inEscrow is a paid and swept payment.
func (w *world) inEscrow(amount int64) (*payment.Payment, *intent.Intent) {
	p := w.paid(amount)
	in := w.sweep(p)
	p, err := w.payments.Get(w.ctx, p.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return p, in
}

// inEscrowAll pays and sweeps a payment of each amount, the sweeps all at once (the gas tank's
// top-ups go out back to back, as in production), and plays the indexer for each: every payment
// is in escrow, in the order of amounts.
func (w *world) inEscrowAll(amounts ...int64) []*payment.Payment {
	w.t.Helper()
	sw := &intent.SweepWorker{Intents: w.intents, Escrow: func(uint64) common.Address { return w.f.Addresses.Escrow }, Log: testLog(w.t)}
	ps := make([]*payment.Payment, len(amounts))
	var ids []uuid.UUID
	for i, a := range amounts {
		ps[i] = w.paid(a)
		if err := sw.Work(w.ctx, &river.Job[payment.SweepArgs]{Args: payment.SweepArgs{PaymentID: ps[i].ID.String()}}); err != nil {
			w.t.Fatal(err)
		}
		in, err := w.intents.OpenFor(w.ctx, ps[i].ID)
		if err != nil {
			w.t.Fatal(err)
		}
		ids = append(ids, in.ID)
	}
	for _, id := range ids {
		w.until(id, intent.Done)
	}
	for i, p := range ps {
		ev, err := w.f.Funded(w.ctx, p.EscrowID())
		if err != nil {
			w.t.Fatal(err)
		}
		if ps[i], err = w.payments.Swept(w.ctx, p.ID, escrowFunded(ev)); err != nil {
			w.t.Fatal(err)
		}
	}
	return ps
}

// waitLimit bounds how long a test drives the signer before it gives up on a state. Each of these
// tests takes a few seconds alone; make test runs the package's worlds (an anvil and a database
// each) in parallel beside every other package on two cores, where one took 22 s: the limit only
// decides how long a broken test takes to fail.
const waitLimit = 60 * time.Second

// until runs the signer (and the worker's follow pass) until the intent reaches want, failing
// on any other final state or at the deadline.
func (w *world) until(id uuid.UUID, want intent.State) *intent.Intent {
	w.t.Helper()
	deadline := time.Now().Add(waitLimit)
	var last string
	for {
		if err := w.signer.Tick(w.ctx); err != nil && err.Error() != last {
			last = err.Error()
			w.t.Logf("tick: %v", err)
		}
		if _, err := w.intents.Follow(w.ctx); err != nil {
			w.t.Fatal(err)
		}
		in, err := w.intents.Get(w.ctx, id)
		if err != nil {
			w.t.Fatal(err)
		}
		if in.State == want {
			return in
		}
		if !in.State.Open() {
			w.t.Fatalf("intent %s (%s) ended %s: %s; want %s", in.ID, in.Kind, in.State, in.Reason, want)
		}
		if time.Now().After(deadline) || w.ctx.Err() != nil {
			w.t.Fatalf("intent %s (%s) still %s at the deadline; want %s", in.ID, in.Kind, in.State, want)
		}
		select {
		case <-w.ctx.Done():
			w.t.Fatal(w.ctx.Err())
		case <-time.After(20 * time.Millisecond): // a poll interval, not a synchronisation
		}
	}
}

// approve has custodians sign the intent's digest and adds their approvals.
func (w *world) approve(in *intent.Intent, custodians ...devnet.Account) {
	w.t.Helper()
	digest, err := in.Digest()
	if err != nil {
		w.t.Fatal(err)
	}
	for _, c := range custodians {
		a, err := escrow.Sign(digest, c.Key)
		if err != nil {
			w.t.Fatal(err)
		}
		if err := w.intents.AddApproval(w.ctx, in.ID, a); err != nil {
			w.t.Fatal(err)
		}
	}
}

func (w *world) escrowRecord(id ledger.ID) (status uint8, amount *big.Int) {
	w.t.Helper()
	p, err := w.payments.Get(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	r, err := w.f.Escrow.Escrows(&bind.CallOpts{Context: w.ctx}, p.EscrowID())
	if err != nil {
		w.t.Fatal(err)
	}
	return r.Status, r.Amount
}

func (w *world) usdt(a common.Address) *big.Int {
	w.t.Helper()
	tok, _ := bindings.NewERC20(w.f.Addresses.USDT, w.f.Client)
	b, err := tok.BalanceOf(&bind.CallOpts{Context: w.ctx}, a)
	if err != nil {
		w.t.Fatal(err)
	}
	return b
}

func (w *world) nonce(a common.Address) uint64 {
	w.t.Helper()
	n, err := w.f.Client.NonceAt(w.ctx, a, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

func (w *world) auditEvents(id uuid.UUID) []string {
	w.t.Helper()
	rows, err := w.admin.Query(w.ctx, `SELECT event FROM signer_audit WHERE intent_id = $1 ORDER BY seq`, id)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			w.t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

var errCrash = errors.New("simulated crash")
