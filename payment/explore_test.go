package payment

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"math/big"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/ledger"
)

// Exploring the state machine (#14): every sequence of events up to a bound, from a new payment
// and from a few payments already deep in the machine, against the reference model
// (explore_model_test.go). After every event: a chain event is never refused, the books balance,
// received and pending are the sums of the posted and pending observations, the books hold what
// the model says, and the state is the model's.
//
// Exhaustive search runs on the decision functions the Service uses (decideChange, through
// Service.applier) with the books kept in memory, because the real database takes milliseconds
// per event and the search makes millions of them. The same events then run on PostgreSQL through
// the real Service: every distinct (state, event) pair the search met, each replayed from a new
// payment along the path that first reached it, or a random sample of them in the short run.

var (
	exploreDepth = flag.Int("explore.depth", 5, "events per sequence in TestExploreStateMachine (6 or 8 for longer runs)")
	exploreDB    = flag.Int("explore.db", 150, "(state, event) pairs replayed on PostgreSQL; 0 = all of them")
)

// anchors are where the exploration starts: a new payment, and payments the bound would not reach
// otherwise (in escrow; a release or refund submitted; a dispute of the escrow; a dispute's split
// submitted).
var anchors = []struct {
	name string
	path []action
}{
	{"new payment", nil},
	{"in escrow", inEscrowPath},
	{"release submitted", append(slices.Clone(inEscrowPath), action{a: aRequestRelease}, action{a: aSignRelease})},
	{"refund submitted", append(slices.Clone(inEscrowPath), action{a: aRequestRefund}, action{a: aSignRefund})},
	{"escrow disputed", append(slices.Clone(inEscrowPath), action{a: aDispute})},
	{"settle submitted", append(slices.Clone(inEscrowPath), action{a: aDispute}, action{a: aResolveSplit}, action{a: aSignSettle})},
}

var inEscrowPath = []action{{a: aDeposit, amt: mDue}, {a: aConfirm, i: 0}, {a: aStartSweep}, {a: aSwept}}

// TestExploreStateMachine explores the machine and fails with the shortest sequence of each
// distinct failure found.
func TestExploreStateMachine(t *testing.T) {
	e := &explorer{failures: map[string][]failure{}, states: map[[16]byte]*edgeSet{}}
	start := time.Now()
	for _, an := range anchors {
		m, sys := newModel(withPayoutEnds), newMemSystem()
		for _, x := range an.path {
			pre := m.clone()
			if m.apply(x) == refused {
				t.Fatalf("anchor %s: %s refused by the model", an.name, x)
			}
			if err := sys.do(context.Background(), x, &pre); err != nil {
				t.Fatalf("anchor %s: %s: %v", an.name, x, err)
			}
		}
		before := e.sequences
		e.dfs(sys, m, an.path, len(an.path)+*exploreDepth)
		t.Logf("from %s: %d sequences", an.name, e.sequences-before)
	}
	pairs := 0
	for _, s := range e.states {
		pairs += int(s.acts)
	}
	t.Logf("explored %d event sequences of up to %d events from each of %d starting points in %s: "+
		"%d distinct model states, %d (state, event) pairs; a refused event ends its sequence",
		e.sequences, *exploreDepth, len(anchors), time.Since(start).Round(time.Millisecond), len(e.states), pairs)
	fmt.Printf("explore: bound %d events, %d sequences, %d states, %d (state, event) pairs\n",
		*exploreDepth, e.sequences, len(e.states), pairs)
	e.report(t)
	if t.Failed() {
		return
	}
	e.replayOnDB(t)
}

// withPayoutEnds: the exploration includes reclaims and reverted payouts.
const withPayoutEnds = true

type failure struct {
	path []action
	what string
}

type edgeSet struct {
	path []action // the first path that reached the state
	acts int32    // how many events can happen there
}

type explorer struct {
	sequences int
	failures  map[string][]failure
	states    map[[16]byte]*edgeSet // by a hash of the model state
}

func (e *explorer) dfs(sys *memSystem, m model, path []action, depth int) {
	h := fnv.New128a()
	fmt.Fprintf(h, "%+v", m)
	var key [16]byte
	h.Sum(key[:0])
	if _, ok := e.states[key]; !ok {
		e.states[key] = &edgeSet{path: slices.Clone(path), acts: int32(len(m.actions()))}
	}
	for _, x := range m.actions() {
		e.sequences++
		next := append(path[:len(path):len(path)], x)
		m2, sys2 := m.clone(), sys.clone()
		want := m2.apply(x)
		err := sys2.do(context.Background(), x, &m)
		if what := judge(x, m.state, want, err, sys2.seen(), m2.expect()); what != "" {
			e.fail(x, m, next, what)
			continue
		}
		if (want == accepted || want == silent) && len(next) < depth {
			e.dfs(sys2, m2, next, depth)
		}
	}
}

// judge compares what the system did with what the model expects; "" when they agree.
func judge(x action, from State, want outcome, err error, got, exp seen) string {
	var te *TransitionError
	switch {
	case want == accepted && err != nil && chainActs[x.a]:
		return fmt.Sprintf("DEAD END: the chain's %s was refused: %v", x, err)
	case want == accepted && err != nil:
		return fmt.Sprintf("%s refused: %v", x, err)
	case want == refused && err == nil:
		return fmt.Sprintf("%s accepted in %s; the model refuses it", x, from)
	case want == exception && !errors.As(err, &te):
		return fmt.Sprintf("a deposit in %s must be refused as an illegal transition (the indexer's exception), got %v", from, err)
	case want == silent && err != nil:
		return fmt.Sprintf("%s: %v", x, err)
	}
	if d := got.diff(exp); d != "" {
		return fmt.Sprintf("after %s: %s", x, d)
	}
	return ""
}

func (e *explorer) fail(x action, m model, path []action, what string) {
	kind := what
	if i := strings.IndexAny(kind, ":("); i > 0 {
		kind = kind[:i]
	}
	key := fmt.Sprintf("%s in %s: %s", actNames[x.a], m.state, kind)
	if prev, ok := e.failures[key]; !ok || len(path) < len(prev[0].path) {
		e.failures[key] = []failure{{path: path, what: what}}
	}
}

func (e *explorer) report(t *testing.T) {
	keys := make([]string, 0, len(e.failures))
	for k := range e.failures {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := e.failures[k][0]
		t.Errorf("%s\n\tsequence: %s\n\t%s", k, pathString(f.path), f.what)
	}
}

// ---- the system in memory: the real decisions, the books in a slice ----

// memTransfer is one recorded transfer; open is whether a pending one is still unresolved.
type memTransfer struct {
	t    ledger.Transfer
	open bool
}

// memSystem is one payment and its books, applied through decideChange as applyTx does.
type memSystem struct {
	s        *Service
	p        *Payment
	books    []memTransfer
	now      time.Time
	timeline int
	job      bool
	accounts map[ledger.ID]ledger.AccountFlags
}

var memPaymentID = ledger.DeriveID("explore/payment")

func newMemSystem() *memSystem {
	p := &Payment{ID: memPaymentID, ChainID: exploreChain, Ledger: "explore:USDT", Token: common.HexToAddress("0x55d398326f99059fF775485246999027B3197955"),
		Decimals: 18, Amount: big.NewInt(mDue), Fee: new(big.Int), Commission: big.NewInt(mCommission), Tolerance: big.NewInt(mTolerance),
		Received: new(big.Int), PendingAmount: new(big.Int), State: AwaitingPayment, ExpiresAt: exploreT0.Add(time.Hour),
		DepositAcct: chart.PaymentDeposit(memPaymentID), BuyerAddress: common.HexToAddress("0xb0")}
	sys := &memSystem{p: p, now: exploreT0, timeline: 1, accounts: map[ledger.ID]ledger.AccountFlags{}}
	for _, a := range paymentAccounts(p.Ledger, p.ID) {
		sys.accounts[a.ID] = a.Flags
	}
	sys.bind()
	return sys
}

// exploreChain keeps the exploration's payments and escrow account apart from other tests'.
const exploreChain = 1056

var exploreT0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func (m *memSystem) bind() {
	m.s = &Service{now: func() time.Time { return m.now }, applier: m.apply}
}

func (m *memSystem) clone() *memSystem {
	c := *m
	c.p = snapshot(m.p)
	c.books = slices.Clone(m.books)
	c.bind()
	return &c
}

func (m *memSystem) lookup(id ledger.ID) (ledger.Transfer, bool) {
	for _, t := range m.books {
		if t.t.ID == id {
			return t.t, true
		}
	}
	return ledger.Transfer{}, false
}

// apply is applyTx in memory: each change decided by decideChange, its transfers all or nothing.
func (m *memSystem) apply(_ context.Context, cs []change) ([]Result, error) {
	res := make([]Result, len(cs))
	for i, c := range cs {
		if c.id != m.p.ID {
			res[i].Err = ErrNotFound
			continue
		}
		p := snapshot(m.p)
		st, replay, err := decideChange(p, c, m.lookup)
		if replay {
			res[i].Payment = snapshot(m.p)
			continue
		}
		if err == nil {
			var books []memTransfer
			if books, err = m.transfer(st.transfers); err == nil {
				m.books, m.p = books, p
				m.timeline++
				for _, j := range st.jobs {
					m.job = m.job || j.Kind() == (SweepArgs{}).Kind() // the sweep job (a dispute enqueues a freeze)
				}
				res[i].Payment = snapshot(p)
			}
		}
		res[i].Err = err
	}
	return res, nil
}

// transfer records ts all or nothing, with the ledger's rules: an id is used once, a post or void
// resolves an open pending transfer (a void all of it), accounts exist, and an account that may
// not go negative does not.
func (m *memSystem) transfer(ts []ledger.Transfer) ([]memTransfer, error) {
	books := slices.Clone(m.books)
	for _, t := range ts {
		refuse := func(why string) ([]memTransfer, error) {
			return nil, &ledger.TransferError{ID: t.ID, Err: errors.New(why)}
		}
		if t.Flags&(ledger.PostPending|ledger.VoidPending) != 0 {
			k := slices.IndexFunc(books, func(b memTransfer) bool { return b.t.ID == t.PendingID })
			if k < 0 || books[k].t.Flags&ledger.Pending == 0 {
				return refuse("pending transfer not found")
			}
			if !books[k].open {
				return refuse("pending transfer already resolved")
			}
			p := books[k].t
			if t.Amount == nil {
				t.Amount = p.Amount
			}
			if t.Flags&ledger.VoidPending != 0 && t.Amount.Cmp(p.Amount) != 0 || t.Amount.Cmp(p.Amount) > 0 {
				return refuse("amount does not fit the pending transfer")
			}
			t.DebitAccountID, t.CreditAccountID, t.Code = p.DebitAccountID, p.CreditAccountID, p.Code
			books[k].open = false
		}
		if k := slices.IndexFunc(books, func(b memTransfer) bool { return b.t.ID == t.ID }); k >= 0 {
			if b := books[k].t; b.Amount.Cmp(t.Amount) != 0 || b.DebitAccountID != t.DebitAccountID ||
				b.CreditAccountID != t.CreditAccountID || b.PendingID != t.PendingID || b.Flags&^ledger.Linked != t.Flags&^ledger.Linked {
				return refuse("transfer id reused")
			}
			continue
		}
		_, okDebit := m.accounts[t.DebitAccountID]
		_, okCredit := m.accounts[t.CreditAccountID]
		if !okDebit || !okCredit {
			return refuse("account not found")
		}
		if t.Amount == nil || t.Amount.Sign() <= 0 {
			return refuse("amount must be positive")
		}
		books = append(books, memTransfer{t: t, open: t.Flags&ledger.Pending != 0})
		for id, flags := range m.accounts {
			if flags&ledger.DebitsMustNotExceedCredits == 0 {
				continue
			}
			var debits, credits int64
			for _, b := range books {
				a := b.t.Amount.Int64()
				switch {
				case b.t.Flags&ledger.VoidPending != 0:
				case b.t.Flags&ledger.Pending != 0:
					if b.open && b.t.DebitAccountID == id {
						debits += a
					}
				default:
					if b.t.DebitAccountID == id {
						debits += a
					}
					if b.t.CreditAccountID == id {
						credits += a
					}
				}
			}
			if debits > credits {
				return refuse(fmt.Sprintf("account %s: debits would exceed credits", id))
			}
		}
	}
	return books, nil
}

func (m *memSystem) seen() seen {
	rows := make([]bookRow, len(m.books))
	for i, b := range m.books {
		rows[i] = bookRow{debit: b.t.DebitAccountID, credit: b.t.CreditAccountID, amount: b.t.Amount.Int64(),
			pending: b.t.Flags&ledger.Pending != 0, void: b.t.Flags&ledger.VoidPending != 0, open: b.open}
	}
	return seenOf(m.p, rows, m.timeline, m.job)
}

func (m *memSystem) do(ctx context.Context, x action, pre *model) error {
	return runAction(ctx, m.s, m.p.ID, 0, pre, x, func(t time.Time) { m.now = t }, func() *Payment { return m.p })
}

// bookRow is one transfer of the payment as the books hold it.
type bookRow struct {
	debit, credit       ledger.ID
	amount              int64
	pending, void, open bool
}

// seenOf reads what the model checks from a payment and its transfers.
func seenOf(p *Payment, rows []bookRow, timeline int, job bool) seen {
	s := seen{state: p.State, from: p.DisputedFrom, received: p.Received.Int64(), pending: p.PendingAmount.Int64(),
		pendingCount: p.PendingCount, late: p.PaidLate, timeline: timeline, job: job}
	escrow := chart.Escrow(p.Ledger)
	for _, r := range rows {
		switch {
		case r.void:
		case r.pending:
			switch {
			case !r.open:
			case r.credit == p.DepositAcct:
				s.depositPending += r.amount
			case r.debit == escrow:
				s.escrowReserved += r.amount
			default:
				s.otherPending += r.amount
			}
		default:
			if r.credit == p.DepositAcct {
				s.depositPosted += r.amount
			}
			if r.debit == p.DepositAcct {
				s.depositPosted -= r.amount
			}
			if r.credit == escrow {
				s.escrowIn += r.amount
			}
			if r.debit == escrow {
				s.escrowOut += r.amount
			}
		}
	}
	return s
}

// observation i of a payment: distinct per payment (base) and per index.
func exploreObs(base uint64, i int, amt int64) Observation {
	n := int64(base)*1000 + int64(i) + 1
	return Observation{ChainID: exploreChain, BlockHash: common.BigToHash(big.NewInt(1_000_000 + n)), BlockNumber: uint64(1000 + i),
		TxHash: common.BigToHash(big.NewInt(n)), LogIndex: uint64(i), Token: common.HexToAddress("0x55d398326f99059fF775485246999027B3197955"),
		Amount: big.NewInt(amt), From: common.HexToAddress("0xb0")}
}

// runAction makes event x happen to payment id through the Service, as the indexer, the worker,
// an admin or the arbiter would. pre is the model before x (it numbers the observations).
func runAction(ctx context.Context, s *Service, id ledger.ID, base uint64, pre *model, x action, setClock func(time.Time), current func() *Payment) error {
	var err error
	switch x.a {
	case aDeposit:
		_, err = s.Detect(ctx, id, exploreObs(base, len(pre.obs), x.amt))
	case aDepositFinal:
		var res []Result
		if res, err = s.DetectConfirmMany(ctx, []Detection{{Payment: id, Obs: exploreObs(base, len(pre.obs), x.amt)}}); err == nil {
			err = res[0].Err
		}
	case aConfirm:
		_, err = s.Confirm(ctx, id, exploreObs(base, x.i, pre.obs[x.i].amt).TransferID())
	case aOrphan:
		_, err = s.Orphan(ctx, id, exploreObs(base, x.i, pre.obs[x.i].amt).TransferID())
	case aExpire:
		setClock(exploreT0.Add(2 * time.Hour))
		_, err = s.Expire(ctx, id)
	case aStartSweep:
		_, err = s.StartSweep(ctx, id)
	case aSwept:
		_, err = s.Swept(ctx, id, ownSweep(current()))
	case aRequestRelease:
		_, err = s.RequestRelease(ctx, id, "admin:explore", "explore")
	case aRequestRefund:
		_, err = s.RequestRefund(ctx, id, "admin:explore", "explore")
	case aSignRelease, aSignRefund:
	case aFollowRelease:
		_, err = s.StartRelease(ctx, id)
	case aFollowRefund:
		_, err = s.StartRefund(ctx, id)
	case aReleased:
		_, err = s.Released(ctx, id)
	case aRefunded:
		_, err = s.Refunded(ctx, id)
	case aReleaseReverted, aRefundReverted, aReclaim, aFreeze:
		err = runPayoutEnd(ctx, s, id, x, current)
	case aDispute:
		_, err = s.Dispute(ctx, id, "admin:explore", "explore")
	case aResolveRelease:
		_, err = s.Resolve(ctx, id, OutcomeRelease, "arbiter:explore", "explore")
	case aResolveRefund:
		_, err = s.Resolve(ctx, id, OutcomeRefund, "arbiter:explore", "explore")
	case aResolveResume:
		_, err = s.Resolve(ctx, id, OutcomeResume, "arbiter:explore", "explore")
	case aResolveSplit:
		_, err = s.ResolveSplit(ctx, id, exploreSplit(current()).Buyer, "arbiter:explore", "explore")
	case aSignSettle:
	case aFollowSettle:
		_, err = s.StartSettle(ctx, id)
	case aSettled:
		sp := exploreSplit(current())
		_, err = s.Settled(ctx, id, EscrowSettled{BuyerAmount: sp.Buyer, SellerAmount: sp.Seller, FeeAmount: sp.Fee})
	case aSettleReverted:
		if current().holding() == Settling {
			_, err = s.SettleFailed(ctx, id, "settle transaction reverted on chain")
		}
	default:
		panic(x)
	}
	return err
}

// exploreSplit is the one split of the exploration: 30% of what was received back to the buyer,
// by the commission rule (the settle the signer submits is always this one). A payment that
// received nothing gets a split of 1 unit that SplitOf refuses, as ResolveSplit must.
func exploreSplit(p *Payment) Split {
	buyer := new(big.Int).Div(new(big.Int).Mul(p.Received, big.NewInt(3)), big.NewInt(10))
	sp, err := SplitOf(p.Received, p.Commission, buyer)
	if err != nil {
		return Split{Buyer: big.NewInt(1), Seller: new(big.Int), Fee: new(big.Int)}
	}
	return sp
}

// runPayoutEnd: the chain's reclaim and freeze (the indexer), and a payout that reverted (the
// signer rejects its intent; the worker's Follow then moves a payment whose payout it was).
func runPayoutEnd(ctx context.Context, s *Service, id ledger.ID, x action, current func() *Payment) error {
	var err error
	switch x.a {
	case aReclaim:
		_, err = s.Reclaimed(ctx, id)
	case aFreeze:
		_, err = s.Frozen(ctx, id)
	case aReleaseReverted:
		if current().holding() == Releasing {
			_, err = s.ReleaseFailed(ctx, id, "release transaction reverted on chain")
		}
	case aRefundReverted:
		if current().holding() == Refunding {
			_, err = s.RefundFailed(ctx, id, "refund transaction reverted on chain")
		}
	}
	return err
}

// ---- the same events on PostgreSQL ----

// replayOnDB runs (state, event) pairs the search met on the real Service: each from a new
// payment, along the path that first reached the state, checking every step as the search did.
func (e *explorer) replayOnDB(t *testing.T) {
	// The pairs in a fixed order (states by key, then their events), numbered 0 … total-1; a
	// sample is a random set of those numbers. Paths are built as the workers take them.
	keys := make([][16]byte, 0, len(e.states))
	total := 0
	for k, s := range e.states {
		keys = append(keys, k)
		total += int(s.acts)
	}
	slices.SortFunc(keys, func(a, b [16]byte) int { return bytes.Compare(a[:], b[:]) })
	seed := uint64(time.Now().UnixNano())
	chosen := map[int]bool{}
	if *exploreDB > 0 && *exploreDB < total {
		r := rand.New(rand.NewPCG(seed, seed))
		for len(chosen) < *exploreDB {
			chosen[r.IntN(total)] = true
		}
	}
	paths := make(chan []action)
	go func() {
		defer close(paths)
		n := 0
		for _, k := range keys {
			s := e.states[k]
			if len(chosen) > 0 {
				skip := true
				for i := n; i < n+int(s.acts); i++ {
					skip = skip && !chosen[i]
				}
				if skip {
					n += int(s.acts)
					continue
				}
			}
			m := newModel(withPayoutEnds)
			for _, x := range s.path {
				m.apply(x)
			}
			for _, x := range m.actions() {
				if len(chosen) == 0 || chosen[n] {
					paths <- append(slices.Clone(s.path), x)
				}
				n++
			}
		}
	}()
	ctx := context.Background()
	pool := dbtest.Pool(t)
	d, err := hd.ParseXpub(exploreXpub)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var (
		mu       sync.Mutex
		events   atomic.Int64
		wg       sync.WaitGroup
		replayed atomic.Int64
		fails    []string
	)
	for range 4 {
		wg.Go(func() {
			r := newReplayer(pool, d)
			for path := range paths {
				n, what := r.run(ctx, path)
				events.Add(int64(n))
				replayed.Add(1)
				if what != "" {
					mu.Lock()
					fails = append(fails, fmt.Sprintf("on PostgreSQL: %s\n\tsequence: %s", what, pathString(path)))
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	sort.Strings(fails)
	for i, f := range fails {
		if i == 10 {
			t.Errorf("… and %d more", len(fails)-10)
			break
		}
		t.Error(f)
	}
	if v, err := ledger.Check(ctx, pool); err != nil || v != nil {
		t.Errorf("ledger check after the replay: %v %v", v, err)
	}
	t.Logf("replayed %d of %d (state, event) pairs on PostgreSQL (seed %d): %d events in %s",
		replayed.Load(), total, seed, events.Load(), time.Since(start).Round(time.Millisecond))
	fmt.Printf("explore: %d of %d (state, event) pairs replayed on PostgreSQL, %d events\n", replayed.Load(), total, events.Load())
}

// exploreXpub is the account xpub of anvil's public test mnemonic (public test data).
const exploreXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

var exploreOffers atomic.Int64

// replayer runs paths on new payments, one after the other, with the real Service.
type replayer struct {
	pool *pgxpool.Pool
	s    *Service
	mu   sync.Mutex
	now  time.Time
}

func newReplayer(pool *pgxpool.Pool, d Deriver) *replayer {
	r := &replayer{pool: pool}
	r.s = New(pool, d).WithClock(func() time.Time { r.mu.Lock(); defer r.mu.Unlock(); return r.now })
	return r
}

func (r *replayer) setClock(t time.Time) { r.mu.Lock(); r.now = t; r.mu.Unlock() }

// run runs path on a new payment and returns how many events ran and the first disagreement
// with the model ("" if none).
func (r *replayer) run(ctx context.Context, path []action) (int, string) {
	r.setClock(exploreT0)
	s := r.s
	p, err := s.Create(ctx, signedOffer(NewPayment{BuyerRef: "explorer", OfferRef: fmt.Sprintf("explore-%d-%d", time.Now().UnixNano(), exploreOffers.Add(1)),
		ChainID: exploreChain, ChainKey: "explore",
		Token: common.HexToAddress("0x55d398326f99059fF775485246999027B3197955"), TokenSymbol: "USDT", Decimals: 18,
		Amount: big.NewInt(mDue), Commission: big.NewInt(mCommission), Tolerance: big.NewInt(mTolerance),
		RequestID: "explore", Salt: "explore", TTL: time.Hour}))
	if err != nil {
		return 0, "create: " + err.Error()
	}
	m := newModel(withPayoutEnds)
	for k, x := range path {
		pre := m.clone()
		want := m.apply(x)
		err := runAction(ctx, s, p.ID, uint64(p.DepositIndex)+1, &pre, x, r.setClock, func() *Payment {
			cur, err := s.Get(ctx, p.ID)
			if err != nil {
				return &Payment{}
			}
			return cur
		})
		got, err2 := dbSeen(ctx, r.pool, s, p.ID)
		if err2 != nil {
			return k + 1, err2.Error()
		}
		// The same split asked again of a payment already settle_pending is answered with the
		// payment on PostgreSQL (a retry: TestResolveSplit), which the model, like the state
		// machine, refuses; what matters is that it changed nothing, which the comparison checks.
		if x.a == aResolveSplit && pre.state == SettlePending && want == refused && err == nil {
			want, err = silent, nil
		}
		if what := judge(x, pre.state, want, err, got, m.expect()); what != "" {
			return k + 1, what
		}
		if want == refused || want == exception {
			return k + 1, ""
		}
	}
	return len(path), ""
}

func dbSeen(ctx context.Context, pool *pgxpool.Pool, s *Service, id ledger.ID) (seen, error) {
	p, err := s.Get(ctx, id)
	if err != nil {
		return seen{}, err
	}
	rows, err := pool.Query(ctx, `SELECT t.debit_account_id, t.credit_account_id, t.amount, t.pending, t.void_pending,
			coalesce(lp.state = 'open', false)
		FROM ledger_transfers t LEFT JOIN ledger_pending lp ON lp.transfer_id = t.id WHERE t.payment_ref = $1`, id.String())
	if err != nil {
		return seen{}, err
	}
	books, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (bookRow, error) {
		var b bookRow
		var amt db.Amount
		err := r.Scan(&b.debit, &b.credit, &amt, &b.pending, &b.void, &b.open)
		b.amount = amt.V.Int64()
		return b, err
	})
	if err != nil {
		return seen{}, err
	}
	var timeline, jobs int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM payment_timeline WHERE payment_id = $1),
		(SELECT count(*) FROM river_job WHERE kind = 'payment_sweep' AND args->>'payment_id' = $2)`, id, id.String()).Scan(&timeline, &jobs); err != nil {
		return seen{}, err
	}
	return seenOf(p, books, timeline, jobs > 0), nil
}

// exploreSeller signs the explored payments' offers (payment.Create needs the seller's proof).
var exploreSeller, _ = crypto.GenerateKey()

// signedOffer makes exploreSeller the payment's seller, with its signed offer.
func signedOffer(n NewPayment) NewPayment {
	n.SellerAddress = crypto.PubkeyToAddress(exploreSeller.PublicKey)
	d, err := n.Offer().Digest()
	if err != nil {
		panic(err)
	}
	a, err := escrow.Sign(d, exploreSeller)
	if err != nil {
		panic(err)
	}
	n.SellerSignature = a.Signature
	return n
}

// ownSweep is the Funded event of the payment's own sweep.
func ownSweep(p *Payment) EscrowFunded {
	return EscrowFunded{EscrowID: p.EscrowID(), Ref: EscrowRef(p.ID), Funder: p.Deposit, Token: p.Token,
		Amount: new(big.Int).Set(p.Received), Buyer: p.BuyerAddress, Seller: p.SellerAddress}
}
