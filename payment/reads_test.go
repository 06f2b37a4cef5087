package payment_test

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// readsWorld is a chain of its own in the package's database, so that what the reads return for
// it is exactly what the test made, and a clock far ahead of the other tests' payments.
type readsWorld struct {
	t       *testing.T
	ctx     context.Context
	s       *payment.Service
	chainID uint64
	clock   *clock
}

var readsChain atomic.Uint64

func newReadsWorld(t *testing.T) *readsWorld {
	t.Helper()
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	id := 990_000 + readsChain.Add(1)
	c := &clock{t: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(id) * time.Hour)}
	return &readsWorld{t: t, ctx: context.Background(), s: payment.New(dbtest.Pool(t), d).WithClock(c.now), chainID: id, clock: c}
}

// create makes a payment on the world's chain in token symbol sym.
func (w *readsWorld) create(sym string, token common.Address) *payment.Payment {
	w.t.Helper()
	n := offerSeq.Add(1)
	p, err := w.s.Create(w.ctx, paymenttest.Offer(payment.NewPayment{
		BuyerRef: "buyer-1", OfferRef: fmt.Sprintf("reads-offer-%d", n), SellerAddress: seller,
		ChainID: w.chainID, ChainKey: fmt.Sprintf("c%d", w.chainID), Token: token, TokenSymbol: sym, Decimals: 6,
		Amount: amount(1_000), Fee: amount(0), FeeAddress: feeAddr, Commission: amount(20),
		RequestID: fmt.Sprintf("reads-req-%d", n), Salt: "5a17", TTL: time.Hour,
	}, paymenttest.Seller()))
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

// to moves a fresh payment along the path to state: funded, sweeping, in_escrow, release_pending.
func (w *readsWorld) to(p *payment.Payment, state payment.State) *payment.Payment {
	w.t.Helper()
	var err error
	step := func(f func() (*payment.Payment, error)) {
		if err == nil {
			p, err = f()
		}
	}
	p = paymenttest.ProveBuyer(w.t, w.s, p, paymenttest.Buyer())
	o := payment.Observation{ChainID: w.chainID, BlockHash: common.BytesToHash(p.ID[:]), BlockNumber: 1,
		TxHash: common.BytesToHash(p.ID[:]), Token: p.Token, Amount: p.Amount}
	step(func() (*payment.Payment, error) { return w.s.Detect(w.ctx, p.ID, o) })
	step(func() (*payment.Payment, error) { return w.s.Confirm(w.ctx, p.ID, o.TransferID()) })
	for _, next := range []struct {
		state payment.State
		move  func() (*payment.Payment, error)
	}{
		{payment.Sweeping, func() (*payment.Payment, error) { return w.s.StartSweep(w.ctx, p.ID) }},
		{payment.InEscrow, func() (*payment.Payment, error) { return w.s.Swept(w.ctx, p.ID, paymenttest.OwnSweep(p)) }},
		{payment.ReleasePending, func() (*payment.Payment, error) { return w.s.RequestRelease(w.ctx, p.ID, "admin:test", "") }},
	} {
		if err != nil || p.State == state {
			break
		}
		step(next.move)
	}
	if err != nil || p.State != state {
		w.t.Fatalf("payment %s: %v (want %s)", p.State, err, state)
	}
	return p
}

func ids[T any](xs []T, id func(T) ledger.ID) []ledger.ID {
	out := make([]ledger.ID, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

func sameIDs(a, b []ledger.ID) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	cmp := func(x, y ledger.ID) int { return slices.Compare(x[:], y[:]) }
	slices.SortFunc(a, cmp)
	slices.SortFunc(b, cmp)
	return slices.Equal(a, b)
}

// Watched: the payments that can still receive money, on every chain, with their deposit and
// reference; not one paid out, not one past watch_until; createdSince narrows to newer ones.
func TestWatched(t *testing.T) {
	w := newReadsWorld(t)
	since := w.clock.now()
	open := w.create("USDT", usdt)
	escrowed := w.to(w.create("USDT", usdt), payment.InEscrow)
	w.clock.set(since.Add(time.Minute))
	later := w.create("USDT", usdt)

	got, err := w.s.Watched(w.ctx, since, since)
	if err != nil {
		t.Fatal(err)
	}
	if want := []ledger.ID{open.ID, escrowed.ID, later.ID}; !sameIDs(ids(got, func(x payment.Watched) ledger.ID { return x.PaymentID }), want) {
		t.Fatalf("watched %v, want %v", got, want)
	}
	for _, x := range got {
		p, _ := w.s.Get(w.ctx, x.PaymentID)
		if x.Deposit != p.Deposit || x.Reference != p.Reference {
			t.Fatalf("watched %+v, payment's deposit %s reference %x", x, p.Deposit.Hex(), p.Reference)
		}
	}
	// Created since the later one only.
	if got, err := w.s.Watched(w.ctx, since, since.Add(time.Minute)); err != nil || len(got) != 1 || got[0].PaymentID != later.ID {
		t.Fatalf("created since the last: %v %v", got, err)
	}
	// Past watch_until nothing of them is watched.
	if got, err := w.s.Watched(w.ctx, since.Add(365*24*time.Hour), since); err != nil || len(got) != 0 {
		t.Fatalf("a year on: %v %v", got, err)
	}
	// Paid out: not watched.
	rel := w.to(w.create("USDT", usdt), payment.ReleasePending)
	if _, err := w.s.StartRelease(w.ctx, rel.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Released(w.ctx, rel.ID); err != nil {
		t.Fatal(err)
	}
	got, _ = w.s.Watched(w.ctx, since, since)
	if slices.Contains(ids(got, func(x payment.Watched) ledger.ID { return x.PaymentID }), rel.ID) {
		t.Fatal("a released payment is still watched")
	}
}

// CreditedOrWatched and Ledgers: every payment of the chain still watched (all of them here: new)
// with its deposit, ledger, token and account, in deposit index order, whatever its state; no
// other chain's. MayHoldEscrow: only those whose
// escrow may be open (sweeping up to being paid out, or disputed from one of those).
func TestCreditedOrWatchedLedgersAndEscrows(t *testing.T) {
	w := newReadsWorld(t)
	other := newReadsWorld(t)
	busd := common.HexToAddress("0x00000000000000000000000000000000000b05d0")
	unpaid := w.create("USDT", usdt)
	sweeping := w.to(w.create("USDT", usdt), payment.Sweeping)
	escrowed := w.to(w.create("BUSD", busd), payment.InEscrow)
	disputed := w.to(w.create("USDT", usdt), payment.InEscrow)
	if _, err := w.s.Dispute(w.ctx, disputed.ID, "buyer", "not delivered"); err != nil {
		t.Fatal(err)
	}
	funded := w.to(w.create("USDT", usdt), payment.Funded)
	elsewhere := other.to(other.create("USDT", usdt), payment.InEscrow)
	mine := []*payment.Payment{unpaid, sweeping, escrowed, disputed, funded}

	deps, err := w.s.CreditedOrWatched(w.ctx, w.chainID)
	if err != nil {
		t.Fatal(err)
	}
	if len(deps) != len(mine) {
		t.Fatalf("%d deposits, want %d", len(deps), len(mine))
	}
	for i, d := range deps {
		p := mine[i] // created in this order: deposit index order
		if d.PaymentID != p.ID || d.Address != p.Deposit || d.Ledger != p.Ledger || d.Token != p.Token ||
			d.Account != chart.PaymentDeposit(p.ID) || !d.Watched {
			t.Fatalf("deposit %d: %+v, want payment %s at %s in %s", i, d, p.ID, p.Deposit.Hex(), p.Ledger)
		}
	}
	ledgers, err := w.s.Ledgers(w.ctx, w.chainID)
	prefix := fmt.Sprintf("c%d:", w.chainID)
	if err != nil || !slices.Equal(ledgers, []string{prefix + "BUSD", prefix + "USDT"}) {
		t.Fatalf("ledgers %v (%v)", ledgers, err)
	}

	open, err := w.s.MayHoldEscrow(w.ctx, w.chainID)
	if err != nil {
		t.Fatal(err)
	}
	want := []ledger.ID{sweeping.ID, escrowed.ID, disputed.ID}
	if got := ids(open, func(d payment.Deposit) ledger.ID { return d.PaymentID }); !slices.Equal(got, want) {
		t.Fatalf("may hold an escrow: %v, want %v (deposit index order)", got, want)
	}
	if open[1].Address != escrowed.Deposit || open[1].Ledger != escrowed.Ledger || open[1].Token != busd {
		t.Fatalf("escrow %+v, want %s in %s of %s", open[1], escrowed.Deposit.Hex(), escrowed.Ledger, busd.Hex())
	}
	for _, read := range []func(context.Context, uint64) ([]payment.Deposit, error){w.s.CreditedOrWatched, w.s.MayHoldEscrow} {
		got, err := read(w.ctx, other.chainID)
		if err != nil || len(got) != 1 || got[0].PaymentID != elsewhere.ID {
			t.Fatalf("the other chain: %v %v", got, err)
		}
	}
}

// Holding: the payments in the states asked for, or disputed from one of them, in id order a page
// at a time; the pages, read after the last id of the one before, are disjoint and together are
// every such payment.
func TestHoldingPages(t *testing.T) {
	w := newReadsWorld(t)
	var asked, escrowed []ledger.ID
	for range 3 {
		asked = append(asked, w.to(w.create("USDT", usdt), payment.ReleasePending).ID)
	}
	for range 2 {
		escrowed = append(escrowed, w.to(w.create("USDT", usdt), payment.InEscrow).ID)
	}
	disputed := w.to(w.create("USDT", usdt), payment.ReleasePending)
	if _, err := w.s.Dispute(w.ctx, disputed.ID, "buyer", "not delivered"); err != nil {
		t.Fatal(err)
	}
	asked = append(asked, disputed.ID)

	var all []payment.Standing
	after := ledger.ID{}
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("paging does not end")
		}
		page, err := w.s.Holding(w.ctx, after, 2, payment.ReleasePending)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 2 {
			t.Fatalf("a page of %d with a limit of 2", len(page))
		}
		for _, st := range page {
			if slices.Compare(st.PaymentID[:], after[:]) <= 0 {
				t.Fatalf("page after %s holds %s: not in id order", after, st.PaymentID)
			}
			after = st.PaymentID
			if st.Holds() != payment.ReleasePending {
				t.Fatalf("%+v holds %s", st, st.Holds())
			}
		}
		all = append(all, page...)
		if len(page) < 2 {
			break
		}
	}
	var got []ledger.ID
	for _, st := range all {
		if slices.Contains(asked, st.PaymentID) || slices.Contains(escrowed, st.PaymentID) {
			got = append(got, st.PaymentID)
		}
		if st.PaymentID == disputed.ID && (st.State != payment.Disputed || st.DisputedFrom != payment.ReleasePending) {
			t.Fatalf("the disputed payment reads %+v", st)
		}
	}
	if !sameIDs(got, asked) {
		t.Fatalf("pages hold %v of this test's payments, want %v", got, asked)
	}
	// In escrow: this test's two, and none of those asked to be released. No limit, or one above
	// the most, reads HoldingMax.
	var inEscrow []ledger.ID
	for after := (ledger.ID{}); ; {
		page, err := w.s.Holding(w.ctx, after, 2, payment.InEscrow)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range page {
			if slices.Contains(asked, st.PaymentID) {
				t.Fatalf("%s is asked to be released, read as in escrow", st.PaymentID)
			}
			if slices.Contains(escrowed, st.PaymentID) {
				inEscrow = append(inEscrow, st.PaymentID)
			}
			after = st.PaymentID
		}
		if len(page) < 2 {
			break
		}
	}
	if !sameIDs(inEscrow, escrowed) {
		t.Fatalf("in escrow %v, want %v", inEscrow, escrowed)
	}
	most, err := w.s.Holding(w.ctx, ledger.ID{}, payment.HoldingMax, payment.InEscrow)
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{0, -1, payment.HoldingMax + 1} {
		page, err := w.s.Holding(w.ctx, ledger.ID{}, limit, payment.InEscrow)
		if err != nil || !slices.Equal(ids(page, standingID), ids(most, standingID)) {
			t.Fatalf("limit %d: %d payments (%v), want the %d of limit HoldingMax", limit, len(page), err, len(most))
		}
	}
}

func standingID(st payment.Standing) ledger.ID { return st.PaymentID }
