package payment_test

import (
	"context"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// The commission rule of a split (docs/signer.md): the buyer's part carries no fee; the fee is the
// commission pro rata of the seller's part, rounded down; the seller gets the rest.
func TestSplitOf(t *testing.T) {
	big2 := func(s string) *big.Int { v, _ := new(big.Int).SetString(s, 10); return v }
	for _, c := range []struct {
		name                           string
		received, commission, buyer    *big.Int
		wantBuyer, wantSeller, wantFee *big.Int
	}{
		{"30% to the buyer", amount(1_000_000), amount(20_000), amount(300_000), amount(300_000), amount(686_000), amount(14_000)},
		{"70% to the buyer", amount(1_000_000), amount(20_000), amount(700_000), amount(700_000), amount(294_000), amount(6_000)},
		{"no commission", amount(1_000_000), amount(0), amount(1), amount(1), amount(999_999), amount(0)},
		{"rounding favours the seller", amount(3), amount(1), amount(1), amount(1), amount(2), amount(0)},
		{"a fee just short of a unit", amount(1_000_001), amount(20_000), amount(1), amount(1), amount(980_001), amount(19_999)},
		{"commission of everything", amount(10), amount(10), amount(1), amount(1), amount(0), amount(9)},
		{"18-decimal amounts", big2("5000000000000000000000"), big2("100000000000000000000"), big2("1500000000000000000001"),
			big2("1500000000000000000001"), big2("3430000000000000000000"), big2("69999999999999999999")},
	} {
		t.Run(c.name, func(t *testing.T) {
			sp, err := payment.SplitOf(c.received, c.commission, c.buyer)
			if err != nil {
				t.Fatal(err)
			}
			if sp.Buyer.Cmp(c.wantBuyer) != 0 || sp.Seller.Cmp(c.wantSeller) != 0 || sp.Fee.Cmp(c.wantFee) != 0 {
				t.Fatalf("split %v + %v + %v, want %v + %v + %v", sp.Buyer, sp.Seller, sp.Fee, c.wantBuyer, c.wantSeller, c.wantFee)
			}
		})
	}
	for _, c := range []struct {
		name                        string
		received, commission, buyer *big.Int
	}{
		{"nothing to the buyer (a release)", amount(100), amount(2), amount(0)},
		{"everything to the buyer (a refund)", amount(100), amount(2), amount(100)},
		{"more than escrowed", amount(100), amount(2), amount(101)},
		{"a negative part", amount(100), amount(2), amount(-1)},
		{"no amount", amount(100), amount(2), nil},
		{"nothing received", amount(0), amount(0), amount(1)},
		{"commission above what was received", amount(100), amount(101), amount(1)},
		{"negative commission", amount(100), amount(-1), amount(1)},
	} {
		if _, err := payment.SplitOf(c.received, c.commission, c.buyer); !errors.Is(err, payment.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", c.name, err)
		}
	}
}

// For any amounts the three parts add up exactly, the fee is the floor of the seller's share of
// the commission, and the inputs are left as they were.
func TestSplitOfIsExactForAnyAmounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 30))
	rnd := func(bits int) *big.Int {
		b := make([]byte, 1+rng.IntN(bits/8))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return new(big.Int).SetBytes(b)
	}
	for range 20_000 {
		received := new(big.Int).Add(rnd(256), big.NewInt(2))
		commission := new(big.Int).Mod(rnd(256), new(big.Int).Add(received, big.NewInt(1)))
		buyer := new(big.Int).Add(new(big.Int).Mod(rnd(256), new(big.Int).Sub(received, big.NewInt(1))), big.NewInt(1))
		r0, c0, b0 := new(big.Int).Set(received), new(big.Int).Set(commission), new(big.Int).Set(buyer)
		sp, err := payment.SplitOf(received, commission, buyer)
		if err != nil {
			t.Fatalf("SplitOf(%v, %v, %v): %v", received, commission, buyer, err)
		}
		sum := new(big.Int).Add(sp.Buyer, sp.Seller)
		if sum.Add(sum, sp.Fee).Cmp(received) != 0 || sp.Buyer.Cmp(buyer) != 0 || sp.Seller.Sign() < 0 || sp.Fee.Sign() < 0 {
			t.Fatalf("SplitOf(%v, %v, %v) = %v + %v + %v", received, commission, buyer, sp.Buyer, sp.Seller, sp.Fee)
		}
		// fee × received ≤ commission × gross < (fee + 1) × received
		gross := new(big.Int).Sub(received, buyer)
		share := new(big.Int).Mul(commission, gross)
		lo := new(big.Int).Mul(sp.Fee, received)
		hi := new(big.Int).Add(lo, received)
		if lo.Cmp(share) > 0 || hi.Cmp(share) <= 0 {
			t.Fatalf("fee %v is not floor(%v × %v / %v)", sp.Fee, commission, gross, received)
		}
		if received.Cmp(r0) != 0 || commission.Cmp(c0) != 0 || buyer.Cmp(b0) != 0 {
			t.Fatal("SplitOf changed its inputs")
		}
	}
}

// disputedInEscrow is a payment of 1,000,000 swept into escrow and disputed.
func disputedInEscrow(ctx context.Context, t *testing.T, s *payment.Service, c *clock) *payment.Payment {
	t.Helper()
	p := create(t, s)
	var err error
	for _, st := range pathTo[payment.Disputed] {
		if p, err = st.run(ctx, s, c, p); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func settleJobs(ctx context.Context, t *testing.T, p *payment.Payment) int {
	t.Helper()
	var n int
	if err := poolFor.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'payment_settle' AND args->>'payment_id' = $1`,
		p.ID.String()).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// byCode sums the payment's transfers of each code that are posted (directly or by posting a
// reservation) or, with pending, the reservations still open.
func byCode(ctx context.Context, t *testing.T, p *payment.Payment, pending bool) map[uint16]int64 {
	t.Helper()
	q := `SELECT code, sum(amount)::bigint FROM ledger_transfers WHERE payment_ref = $1 AND NOT pending AND NOT void_pending
		GROUP BY code`
	if pending {
		q = `SELECT t.code, sum(t.amount)::bigint FROM ledger_transfers t JOIN ledger_pending lp ON lp.transfer_id = t.id
			WHERE t.payment_ref = $1 AND lp.state = 'open' GROUP BY t.code`
	}
	rows, err := poolFor.Query(ctx, q, p.ID.String())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[uint16]int64{}
	for rows.Next() {
		var code int16
		var sum int64
		if err := rows.Scan(&code, &sum); err != nil {
			t.Fatal(err)
		}
		out[uint16(code)] = sum
	}
	return out
}

// ResolveSplit: only a disputed payment with its money in escrow, only a buyer's part strictly
// between 0 and what was received; it records the split and asks for its intent in the same
// transaction; the same split asked again is answered, another one refused.
func TestResolveSplit(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, c := newService(t)
	p := disputedInEscrow(ctx, t, s, c)

	for name, v := range map[string]*big.Int{"zero": amount(0), "negative": amount(-5), "nil": nil,
		"everything": amount(1_000_000), "more than received": amount(1_000_001)} {
		_, timeline := counts(ctx, t, p)
		if _, err := s.ResolveSplit(ctx, p.ID, v, "arbiter:bob", "x"); !errors.Is(err, payment.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
		if _, after := counts(ctx, t, p); after != timeline || settleJobs(ctx, t, p) != 0 {
			t.Fatalf("%s: a refused split wrote a timeline row or a job", name)
		}
	}
	buyer := amount(300_000)
	got, err := s.ResolveSplit(ctx, p.ID, buyer, "arbiter:bob", "30% back: partly delivered")
	if err != nil {
		t.Fatal(err)
	}
	buyer.SetInt64(999) // the caller's value changing later changes nothing
	if got.State != payment.SettlePending || got.DisputedFrom != "" || got.SplitBuyerAmount.Cmp(amount(300_000)) != 0 {
		t.Fatalf("after ResolveSplit: %s from %q, buyer part %v", got.State, got.DisputedFrom, got.SplitBuyerAmount)
	}
	stored, err := s.Get(ctx, p.ID)
	if err != nil || stored.SplitBuyerAmount.Cmp(amount(300_000)) != 0 {
		t.Fatalf("stored split %v (%v)", stored.SplitBuyerAmount, err)
	}
	if n := settleJobs(ctx, t, p); n != 1 {
		t.Fatalf("%d settle jobs, want 1", n)
	}
	sp, err := stored.Split()
	if err != nil || sp.Seller.Cmp(amount(686_000)) != 0 || sp.Fee.Cmp(amount(14_000)) != 0 {
		t.Fatalf("split %+v (%v), want 300000 + 686000 + 14000", sp, err)
	}
	tl, err := s.Timeline(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := tl[len(tl)-1]
	if last.Event != string(payment.EvResolveSplit) || last.Actor != "arbiter:bob" || last.To != payment.SettlePending {
		t.Fatalf("last timeline row %+v", last)
	}

	// A retry of the same decision is answered; another split is a new decision and refused.
	_, timeline := counts(ctx, t, p)
	if again, err := s.ResolveSplit(ctx, p.ID, amount(300_000), "arbiter:bob", "retry"); err != nil || again.State != payment.SettlePending {
		t.Fatalf("retry: %v, %v", again, err)
	}
	if _, after := counts(ctx, t, p); after != timeline || settleJobs(ctx, t, p) != 1 {
		t.Fatal("a retried split wrote again")
	}
	if _, err := s.ResolveSplit(ctx, p.ID, amount(400_000), "arbiter:eve", "changed my mind"); !errors.Is(err, payment.ErrIllegalTransition) {
		t.Fatalf("another split of a settle_pending payment: %v, want ErrIllegalTransition", err)
	}

	// Not disputed, or disputed before the money reached the escrow: refused.
	other := create(t, s)
	for _, st := range pathTo[payment.InEscrow] {
		if other, err = st.run(ctx, s, c, other); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ResolveSplit(ctx, other.ID, amount(1), "arbiter:bob", "x"); !errors.Is(err, payment.ErrIllegalTransition) {
		t.Fatalf("split of a payment in escrow with no dispute: %v", err)
	}
	sweeping := create(t, s)
	for _, st := range append(pathTo[payment.Sweeping], evDispute) {
		if sweeping, err = st.run(ctx, s, c, sweeping); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ResolveSplit(ctx, sweeping.ID, amount(1), "arbiter:bob", "x"); !errors.Is(err, payment.ErrIllegalTransition) {
		t.Fatalf("split of a payment disputed while sweeping: %v", err)
	}
}

// The settle is booked three ways: reserved at StartSettle, posted when the Settled event is
// final, each part to its account; a replay of either writes nothing; the ledger balances.
func TestSettleBooksThreeWays(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, c := newService(t)
	p := disputedInEscrow(ctx, t, s, c)
	if _, err := s.ResolveSplit(ctx, p.ID, amount(300_000), "arbiter:bob", "split"); err != nil {
		t.Fatal(err)
	}
	p, err := s.StartSettle(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	reserved := byCode(ctx, t, p, true)
	if reserved[chart.CodeRefund] != 300_000 || reserved[chart.CodeRelease] != 686_000 || reserved[chart.CodeCommission] != 14_000 {
		t.Fatalf("reserved %v, want buyer 300000, seller 686000, fee 14000", reserved)
	}
	transfers, _ := counts(ctx, t, p)
	if _, err := s.StartSettle(ctx, p.ID); err != nil {
		t.Fatalf("replayed start: %v", err)
	}
	ev := payment.EscrowSettled{BuyerAmount: amount(300_000), SellerAmount: amount(686_000), FeeAmount: amount(14_000)}
	if p, err = s.Settled(ctx, p.ID, ev); err != nil {
		t.Fatal(err)
	}
	if p.State != payment.Settled || !p.State.Final() {
		t.Fatalf("state %s after Settled", p.State)
	}
	if after, _ := counts(ctx, t, p); after != transfers+3 {
		t.Fatalf("Settled wrote %d transfers, want 3 posts", after-transfers)
	}
	if open := byCode(ctx, t, p, true); len(open) != 0 {
		t.Fatalf("reservations still open: %v", open)
	}
	if _, err := s.Settled(ctx, p.ID, ev); err != nil {
		t.Fatalf("replayed Settled: %v", err)
	}
	if after, _ := counts(ctx, t, p); after != transfers+3 {
		t.Fatal("a replayed Settled wrote transfers")
	}
	books := ledger.New(poolFor)
	out, err := books.Account(ctx, chart.PaymentOutside(p.ID))
	if err != nil {
		t.Fatal(err)
	}
	// Outside paid 1,000,000 in and got 986,000 back (buyer + seller): the platform kept 14,000.
	if got := out.Balance().Posted; got.Cmp(amount(-14_000)) != 0 {
		t.Fatalf("outside balance %v, want -14000", got)
	}
	if v, err := ledger.Check(ctx, poolFor); err != nil || v != nil {
		t.Fatalf("ledger check: %v %v", v, err)
	}
}

// A Settled event whose parts do not add up to what the payment received is refused and writes
// nothing; one with other parts than the split reserved voids the reservation and books the
// chain's split.
func TestSettledChecksTheChainsSplit(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, c := newService(t)
	p := disputedInEscrow(ctx, t, s, c)
	if _, err := s.ResolveSplit(ctx, p.ID, amount(300_000), "arbiter:bob", "split"); err != nil {
		t.Fatal(err)
	}
	p, err := s.StartSettle(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	transfers, timeline := counts(ctx, t, p)
	for name, ev := range map[string]payment.EscrowSettled{
		"one unit short": {BuyerAmount: amount(300_000), SellerAmount: amount(685_999), FeeAmount: amount(14_000)},
		"one unit over":  {BuyerAmount: amount(300_001), SellerAmount: amount(686_000), FeeAmount: amount(14_000)},
		"negative part":  {BuyerAmount: amount(-1), SellerAmount: amount(986_001), FeeAmount: amount(14_000)},
	} {
		if _, err := s.Settled(ctx, p.ID, ev); !errors.Is(err, payment.ErrEscrowMismatch) {
			t.Errorf("%s: err = %v, want ErrEscrowMismatch", name, err)
		}
		if after, tl := counts(ctx, t, p); after != transfers || tl != timeline {
			t.Fatalf("%s: a refused Settled wrote", name)
		}
	}
	other := payment.EscrowSettled{BuyerAmount: amount(500_000), SellerAmount: amount(490_000), FeeAmount: amount(10_000)}
	if p, err = s.Settled(ctx, p.ID, other); err != nil {
		t.Fatal(err)
	}
	if p.State != payment.Settled || p.SplitBuyerAmount.Cmp(amount(500_000)) != 0 {
		t.Fatalf("state %s, split %v", p.State, p.SplitBuyerAmount)
	}
	posted := byCode(ctx, t, p, false)
	if posted[chart.CodeRefund] != 500_000 || posted[chart.CodeRelease] != 490_000 || posted[chart.CodeCommission] != 10_000 {
		t.Fatalf("posted %v, want the chain's split", posted)
	}
	if open := byCode(ctx, t, p, true); len(open) != 0 {
		t.Fatalf("reservations still open: %v", open)
	}
	if v, err := ledger.Check(ctx, poolFor); err != nil || v != nil {
		t.Fatalf("ledger check: %v %v", v, err)
	}
}

// A settle that reverts (or whose intent is rejected after it was reserved) voids the
// reservations and returns the payment to settle_pending with its split, asking for a new settle
// intent; the next settle reserves under new ids and books.
func TestSettleFailedAsksAgain(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, c := newService(t)
	p := disputedInEscrow(ctx, t, s, c)
	if _, err := s.ResolveSplit(ctx, p.ID, amount(300_000), "arbiter:bob", "split"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartSettle(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	// The worker recorded the first intent: its job is done.
	if _, err := poolFor.Exec(ctx, `UPDATE river_job SET state = 'completed', finalized_at = now() WHERE kind = 'payment_settle'
		AND args->>'payment_id' = $1`, p.ID.String()); err != nil {
		t.Fatal(err)
	}
	p, err := s.SettleFailed(ctx, p.ID, "settle intent rejected: approvals expired")
	if err != nil {
		t.Fatal(err)
	}
	if p.State != payment.SettlePending || p.PayoutAttempt != 1 || p.SplitBuyerAmount.Cmp(amount(300_000)) != 0 {
		t.Fatalf("after SettleFailed: %s, attempt %d, split %v", p.State, p.PayoutAttempt, p.SplitBuyerAmount)
	}
	if open := byCode(ctx, t, p, true); len(open) != 0 {
		t.Fatalf("reservations still open: %v", open)
	}
	if n := settleJobs(ctx, t, p); n != 2 {
		t.Fatalf("%d settle jobs, want a second one", n)
	}
	// As for a release: the worker's second look finds the payment moved on.
	if _, err := s.SettleFailed(ctx, p.ID, "again"); !errors.Is(err, payment.ErrIllegalTransition) {
		t.Fatalf("second SettleFailed: %v, want ErrIllegalTransition", err)
	}
	if p, err = s.StartSettle(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if r := byCode(ctx, t, p, true); r[chart.CodeRefund] != 300_000 || r[chart.CodeRelease] != 686_000 || r[chart.CodeCommission] != 14_000 {
		t.Fatalf("second attempt reserved %v", r)
	}
	if p, err = s.Settled(ctx, p.ID, payment.EscrowSettled{BuyerAmount: amount(300_000), SellerAmount: amount(686_000), FeeAmount: amount(14_000)}); err != nil {
		t.Fatal(err)
	}
	if p.State != payment.Settled {
		t.Fatalf("state %s", p.State)
	}
	if v, err := ledger.Check(ctx, poolFor); err != nil || v != nil {
		t.Fatalf("ledger check: %v %v", v, err)
	}
}

// A settle the chain made without a decided split may pay the buyer nothing (the chain is never
// wrong): its final Settled is booked — the seller's part and the fee posted, the split recorded
// as 0 to the buyer — and a replay writes nothing.
func TestSettledPayingTheBuyerNothing(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, c := newService(t)
	p := disputedInEscrow(ctx, t, s, c)
	ev := payment.EscrowSettled{BuyerAmount: amount(0), SellerAmount: amount(986_000), FeeAmount: amount(14_000)}
	p, err := s.Settled(ctx, p.ID, ev)
	if err != nil {
		t.Fatalf("a Settled paying the buyer nothing: %v", err)
	}
	if p.State != payment.Settled || p.SplitBuyerAmount == nil || p.SplitBuyerAmount.Sign() != 0 {
		t.Fatalf("state %s, split %v", p.State, p.SplitBuyerAmount)
	}
	posted := byCode(ctx, t, p, false)
	if posted[chart.CodeRefund] != 0 || posted[chart.CodeRelease] != 986_000 || posted[chart.CodeCommission] != 14_000 {
		t.Fatalf("posted %v, want seller 986000 and fee 14000", posted)
	}
	transfers, _ := counts(ctx, t, p)
	if _, err := s.Settled(ctx, p.ID, ev); err != nil {
		t.Fatalf("replayed: %v", err)
	}
	if after, _ := counts(ctx, t, p); after != transfers {
		t.Fatal("a replayed Settled wrote transfers")
	}
	if v, err := ledger.Check(ctx, poolFor); err != nil || v != nil {
		t.Fatalf("ledger check: %v %v", v, err)
	}
	// A decided split still needs a buyer's part above 0.
	q := `UPDATE payments SET split_buyer_amount = 0 WHERE id = $1`
	other := disputedInEscrow(ctx, t, s, c)
	if _, err := s.ResolveSplit(ctx, other.ID, amount(300_000), "arbiter:bob", "split"); err != nil {
		t.Fatal(err)
	}
	if _, err := poolFor.Exec(ctx, q, other.ID); err == nil {
		t.Fatal("a settle_pending payment recorded a buyer's part of 0")
	}
}

// The decided split cannot be rewritten: neither the API's role nor the indexer's changes
// split_buyer_amount but with the transitions that decide or book a split (migration 00060), so
// no split is changed under a settle on its way.
func TestSplitColumnRole(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, c := newService(t)
	p := disputedInEscrow(ctx, t, s, c)
	if _, err := s.ResolveSplit(ctx, p.ID, amount(300_000), "arbiter:bob", "split"); err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{db.RoleAPI, db.RoleIndexer} {
		as := dbtest.PoolAs(t, role)
		for _, stmt := range []string{
			`UPDATE payments SET split_buyer_amount = 500000 WHERE id = $1`,
			`UPDATE payments SET split_buyer_amount = 500000, state = state WHERE id = $1`,
		} {
			if _, err := as.Exec(ctx, stmt, p.ID); err == nil {
				t.Errorf("%s ran %s on a settle_pending payment", role, stmt)
			}
		}
	}
	if _, err := s.StartSettle(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := dbtest.PoolAs(t, db.RoleAPI).Exec(ctx, `UPDATE payments SET split_buyer_amount = 500000 WHERE id = $1`, p.ID); err == nil {
		t.Error("amn_api rewrote the split of a settling payment")
	}
	if got, err := s.Get(ctx, p.ID); err != nil || got.SplitBuyerAmount.Cmp(amount(300_000)) != 0 {
		t.Fatalf("split %v (%v), want 300000", got.SplitBuyerAmount, err)
	}
}

// Settled compares the chain's parts with the amounts the ledger reserved, not with the payment's
// column: a column forged after the reservation (here by the owner, whom no trigger holds) posts
// nothing it does not match. The chain's split equal to the forged column is booked as made (the
// reservation voided), not posted at the reservation's amounts.
func TestSettledTrustsTheReservationsNotTheColumn(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, c := newService(t)
	p := disputedInEscrow(ctx, t, s, c)
	if _, err := s.ResolveSplit(ctx, p.ID, amount(300_000), "arbiter:bob", "split"); err != nil {
		t.Fatal(err)
	}
	p, err := s.StartSettle(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := poolFor.Exec(ctx, `UPDATE payments SET split_buyer_amount = 500000 WHERE id = $1`, p.ID); err != nil {
		t.Fatal(err)
	}
	if p, err = s.Settled(ctx, p.ID, payment.EscrowSettled{BuyerAmount: amount(500_000), SellerAmount: amount(490_000), FeeAmount: amount(10_000)}); err != nil {
		t.Fatal(err)
	}
	posted := byCode(ctx, t, p, false)
	if posted[chart.CodeRefund] != 500_000 || posted[chart.CodeRelease] != 490_000 || posted[chart.CodeCommission] != 10_000 {
		t.Fatalf("posted %v, want the chain's split 500000 + 490000 + 10000", posted)
	}
	if open := byCode(ctx, t, p, true); len(open) != 0 {
		t.Fatalf("reservations still open: %v", open)
	}
	if v, err := ledger.Check(ctx, poolFor); err != nil || v != nil {
		t.Fatalf("ledger check: %v %v", v, err)
	}
}

// The dispute's own Frozen event, final only after the dispute was resolved into a split, does not
// knock the split back to disputed: it is recorded on the timeline, the payment stays
// settle_pending (or settling), and the settle goes on.
func TestFrozenAfterResolveSplitKeepsTheSplit(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, c := newService(t)
	p := disputedInEscrow(ctx, t, s, c)
	if _, err := s.ResolveSplit(ctx, p.ID, amount(300_000), "arbiter:bob", "split"); err != nil {
		t.Fatal(err)
	}
	frozenEvents := func() int {
		t.Helper()
		var n int
		if err := poolFor.QueryRow(ctx, `SELECT count(*) FROM payment_timeline WHERE payment_id = $1 AND event = 'frozen'`, p.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	got, err := s.Frozen(ctx, p.ID)
	if err != nil || got.State != payment.SettlePending || got.SplitBuyerAmount.Cmp(amount(300_000)) != 0 {
		t.Fatalf("frozen after the split: %+v, %v; want settle_pending with the split", got, err)
	}
	if frozenEvents() != 1 {
		t.Fatal("the freeze is not on the timeline")
	}
	if _, err := s.StartSettle(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if got, err = s.Frozen(ctx, p.ID); err != nil || got.State != payment.Settling {
		t.Fatalf("frozen while settling: %+v, %v; want settling", got, err)
	}
	if got, err = s.Settled(ctx, p.ID, payment.EscrowSettled{BuyerAmount: amount(300_000), SellerAmount: amount(686_000), FeeAmount: amount(14_000)}); err != nil || got.State != payment.Settled {
		t.Fatalf("settled: %+v, %v", got, err)
	}
}

// A settle_pending payment whose settle intent was rejected before it was signed is asked for
// again (AskSettle, which Follow calls): one new job, however often asked while it waits. A
// dispute of the split resumed asks for one too.
func TestSettlePendingIsAskedAgain(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, c := newService(t)
	p := disputedInEscrow(ctx, t, s, c)
	if _, err := s.ResolveSplit(ctx, p.ID, amount(300_000), "arbiter:bob", "split"); err != nil {
		t.Fatal(err)
	}
	worked := func() {
		t.Helper()
		if _, err := poolFor.Exec(ctx, `UPDATE river_job SET state = 'completed', finalized_at = now()
			WHERE kind = 'payment_settle' AND args->>'payment_id' = $1`, p.ID.String()); err != nil {
			t.Fatal(err)
		}
	}
	worked() // its intent recorded, then rejected
	for range 2 {
		if err := s.AskSettle(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	if n := settleJobs(ctx, t, p); n != 2 {
		t.Fatalf("%d settle jobs, want the first and one more", n)
	}
	worked()
	if _, err := s.Dispute(ctx, p.ID, "seller", "wait"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Resolve(ctx, p.ID, payment.OutcomeResume, "arbiter:bob", "go on"); err != nil {
		t.Fatal(err)
	}
	if n := settleJobs(ctx, t, p); n != 3 {
		t.Fatalf("%d settle jobs after the resumption, want 3", n)
	}
}
