package payment_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// oneStep is an indexer step's detections: p1 paid in two parts (400,000 and 600,000), p2 paid
// p2Amount and seen twice, p3 paid in a token it did not ask for.
func oneStep(p1, p2, p3 *payment.Payment, p2Amount int64) []payment.Detection {
	o2 := obs(p2Amount, nextObs.Add(1))
	wrongToken := obs(5, nextObs.Add(1))
	wrongToken.Token = common.HexToAddress("0x00000000000000000000000000000000000000cc")
	return []payment.Detection{
		{Payment: p1.ID, Obs: obs(400_000, nextObs.Add(1))},
		{Payment: p1.ID, Obs: obs(600_000, nextObs.Add(1))},
		{Payment: p2.ID, Obs: o2},
		{Payment: p2.ID, Obs: o2}, // seen twice in one step: once
		{Payment: p3.ID, Obs: wrongToken},
	}
}

// TestDetectAndConfirmMany: a batch answers for each item what the single call would have, writes
// exactly the transfers, timeline rows and jobs of the items that succeeded, and running it again
// writes nothing.
func TestDetectAndConfirmMany(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	p1, p2, p3, p4 := create(t, s), create(t, s), create(t, s), create(t, s)
	// p4 is already funded: a new deposit is not allowed in that state.
	o4 := obs(1_000_000, nextObs.Add(1))
	if _, err := s.Detect(ctx, p4.ID, o4); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Confirm(ctx, p4.ID, o4.TransferID()); err != nil {
		t.Fatal(err)
	}
	ds := append(oneStep(p1, p2, p3, 1_000_000),
		payment.Detection{Payment: p4.ID, Obs: obs(7, nextObs.Add(1))},
		payment.Detection{Payment: ledger.NewID(), Obs: obs(9, nextObs.Add(1))})
	before := map[ledger.ID][2]int{}
	for _, p := range []*payment.Payment{p1, p2, p3, p4} {
		tr, tl := counts(ctx, t, p)
		before[p.ID] = [2]int{tr, tl}
	}
	res, err := s.DetectMany(ctx, ds)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(ds) {
		t.Fatalf("%d results for %d detections", len(res), len(ds))
	}
	for i := range 4 {
		if res[i].Err != nil {
			t.Fatalf("detection %d: %v", i, res[i].Err)
		}
	}
	if got := res[1].Payment; got.State != payment.Detected || got.PendingCount != 2 || got.PendingAmount.Cmp(amount(1_000_000)) != 0 {
		t.Errorf("p1 after two detections: %s, %d pending of %s", got.State, got.PendingCount, got.PendingAmount)
	}
	if got := res[3].Payment; got.PendingCount != 1 || got.PendingAmount.Cmp(amount(1_000_000)) != 0 {
		t.Errorf("p2 after the same observation twice: %d pending of %s", got.PendingCount, got.PendingAmount)
	}
	if !errors.Is(res[4].Err, payment.ErrObservation) {
		t.Errorf("wrong token: %v, want ErrObservation", res[4].Err)
	}
	var te *payment.TransitionError
	if !errors.As(res[5].Err, &te) || te.From != payment.Funded {
		t.Errorf("deposit on a funded payment: %v, want a TransitionError from funded", res[5].Err)
	}
	if !errors.Is(res[6].Err, payment.ErrNotFound) {
		t.Errorf("unknown payment: %v, want ErrNotFound", res[6].Err)
	}
	wantNew := map[ledger.ID][2]int{p1.ID: {2, 2}, p2.ID: {1, 1}, p3.ID: {0, 0}, p4.ID: {0, 0}}
	checkCounts := func(stage string) {
		t.Helper()
		for id, w := range wantNew {
			tr, tl := counts(ctx, t, &payment.Payment{ID: id})
			if b := before[id]; tr-b[0] != w[0] || tl-b[1] != w[1] {
				t.Errorf("%s: payment %s wrote %d transfers and %d timeline rows, want %d and %d", stage, id, tr-b[0], tl-b[1], w[0], w[1])
			}
		}
	}
	checkCounts("detect")
	many, err := s.GetMany(ctx, []ledger.ID{p1.ID, p2.ID, ledger.NewID()})
	if err != nil {
		t.Fatal(err)
	}
	stored := many[p1.ID]
	if len(many) != 2 || stored == nil || many[p2.ID] == nil {
		t.Fatalf("GetMany of two payments and an unknown id: %d payments", len(many))
	}
	if stored.State != payment.Detected || stored.PendingCount != 2 || stored.PendingAmount.Cmp(amount(1_000_000)) != 0 {
		t.Errorf("p1 stored as %s with %d pending of %s", stored.State, stored.PendingCount, stored.PendingAmount)
	}
	tl, err := s.Timeline(ctx, p1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tl); n < 3 || tl[n-2].Seq != tl[n-3].Seq+1 || tl[n-1].Seq != tl[n-2].Seq+1 || tl[n-1].Event != string(payment.EvDetect) {
		t.Errorf("p1 timeline does not continue in sequence: %+v", tl)
	}

	if res, err := s.DetectMany(ctx, ds[:4]); err != nil || res[0].Err != nil || res[0].Payment.PendingCount != 2 {
		t.Fatalf("the same detections again: %v %+v", err, res)
	}
	checkCounts("detect again")

	cs := []payment.Confirmation{
		{Payment: p1.ID, Obs: ds[0].Obs.TransferID()},
		{Payment: p1.ID, Obs: ds[1].Obs.TransferID()},
		{Payment: p2.ID, Obs: ds[2].Obs.TransferID()},
		{Payment: p2.ID, Obs: ds[2].Obs.TransferID()},
		{Payment: p3.ID, Obs: ledger.NewID()},
	}
	res, err = s.ConfirmMany(ctx, cs)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range []payment.State{payment.Detected, payment.Funded, payment.Funded, payment.Funded} {
		if res[i].Err != nil || res[i].Payment.State != w {
			t.Errorf("confirmation %d: %v, state %v, want %s", i, res[i].Err, res[i].Payment, w)
		}
	}
	var te2 *payment.TransitionError
	if !errors.As(res[4].Err, &te2) || te2.From != payment.AwaitingPayment {
		t.Errorf("confirming an unpaid payment: %v, want a TransitionError", res[4].Err)
	}
	wantNew = map[ledger.ID][2]int{p1.ID: {4, 4}, p2.ID: {2, 2}, p3.ID: {0, 0}}
	checkCounts("confirm")
	for _, p := range []*payment.Payment{p1, p2} {
		if n := sweepJobs(ctx, t, p); n != 1 {
			t.Errorf("payment %s has %d sweep jobs, want 1", p.ID, n)
		}
		got, err := s.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Received.Cmp(amount(1_000_000)) != 0 || got.PendingCount != 0 || got.PendingAmount.Sign() != 0 {
			t.Errorf("payment %s stored with received %s, %d pending", p.ID, got.Received, got.PendingCount)
		}
	}
	if _, err := s.ConfirmMany(ctx, cs); err != nil {
		t.Fatal(err)
	}
	checkCounts("confirm again")
	healthyLedger(ctx, t)
}

// TestManyPinsALedgerRefusalOnItsItem: when the ledger refuses one item's transfers, that item
// alone fails with the ledger's error and the rest of the batch is recorded.
func TestManyPinsALedgerRefusalOnItsItem(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	good, bad := create(t, s), create(t, s)
	og, ob := obs(1_000_000, nextObs.Add(1)), obs(1_000_000, nextObs.Add(1))
	if res, err := s.DetectMany(ctx, []payment.Detection{{Payment: good.ID, Obs: og}, {Payment: bad.ID, Obs: ob}}); err != nil || res[0].Err != nil || res[1].Err != nil {
		t.Fatal(err, res)
	}
	// Someone voided bad's pending deposit behind the payment's back: posting it is refused.
	if _, err := ledger.New(poolFor).Transfer(ctx, ledger.Transfer{ID: ledger.NewID(), PendingID: ob.TransferID(), Flags: ledger.VoidPending}); err != nil {
		t.Fatal(err)
	}
	res, err := s.ConfirmMany(ctx, []payment.Confirmation{{Payment: bad.ID, Obs: ob.TransferID()}, {Payment: good.ID, Obs: og.TransferID()}})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(res[0].Err, ledger.ErrAlreadyResolved) {
		t.Errorf("confirming a voided deposit: %v, want ErrAlreadyResolved", res[0].Err)
	}
	if res[1].Err != nil || res[1].Payment.State != payment.Funded {
		t.Errorf("the other payment: %+v", res[1])
	}
	if got, err := s.Get(ctx, bad.ID); err != nil || got.State != payment.Detected || got.Received.Sign() != 0 {
		t.Errorf("the refused payment was changed: %+v %v", got, err)
	}
}

// TestManyAcrossTransactions: more items than one transaction takes, two per payment, land as the
// single calls would.
func TestManyAcrossTransactions(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	const payments = 300 // 600 detections: two transactions
	var ds []payment.Detection
	var cs []payment.Confirmation
	for range payments {
		p := create(t, s)
		for _, o := range []payment.Observation{obs(500_000, nextObs.Add(1)), obs(500_000, nextObs.Add(1))} {
			ds = append(ds, payment.Detection{Payment: p.ID, Obs: o})
			cs = append(cs, payment.Confirmation{Payment: p.ID, Obs: o.TransferID()})
		}
	}
	for _, run := range []func() ([]payment.Result, error){
		func() ([]payment.Result, error) { return s.DetectMany(ctx, ds) },
		func() ([]payment.Result, error) { return s.ConfirmMany(ctx, cs) },
	} {
		res, err := run()
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if r.Err != nil {
				t.Fatalf("item %d: %v", i, r.Err)
			}
		}
	}
	var funded int
	var received db.Amount
	if err := poolFor.QueryRow(ctx, `SELECT count(*), coalesce(sum(received), 0) FROM payments WHERE id = ANY($1) AND state = 'funded'`,
		paymentIDs(ds)).Scan(&funded, &received); err != nil {
		t.Fatal(err)
	}
	if funded != payments || received.V.Cmp(amount(payments*1_000_000)) != 0 {
		t.Errorf("%d funded with %s received, want %d with %d", funded, received.V, payments, payments*1_000_000)
	}
	healthyLedger(ctx, t)
}

func paymentIDs(ds []payment.Detection) []ledger.ID {
	out := make([]ledger.ID, 0, len(ds))
	for _, d := range ds {
		out = append(out, d.Payment)
	}
	return out
}

// healthyLedger fails the test when the ledger's invariants do not hold.
func healthyLedger(ctx context.Context, t *testing.T) {
	t.Helper()
	v, err := ledger.Check(ctx, poolFor)
	if err != nil {
		t.Fatal(err)
	}
	if v != nil {
		t.Fatalf("ledger check: %v", v)
	}
}

// BenchmarkDetectConfirmMany is the indexer's database work per deposit: each op detects one new
// observation for each of 500 payments in one DetectMany, then credits them in one ConfirmMany
// (the payments stay underpaid, so they keep taking deposits). ns/op ÷ 500 is the cost of one
// matched event, detection plus credit.
func BenchmarkDetectConfirmMany(b *testing.B) {
	ctx := context.Background()
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		b.Fatal(err)
	}
	s := payment.New(dbtest.Pool(b), d)
	const n = 500
	ps := make([]*payment.Payment, n)
	for i := range ps {
		if ps[i], err = tryCreate(s); err != nil {
			b.Fatal(err)
		}
	}
	ds, cs := make([]payment.Detection, n), make([]payment.Confirmation, n)
	// separately: detection and credit in two calls (blocks not final yet when seen); at once:
	// DetectConfirmMany (blocks already final, as when catching up).
	for _, mode := range []string{"separately", "at_once"} {
		b.Run(mode, func(b *testing.B) {
			for b.Loop() {
				for i, p := range ps {
					o := obs(1, nextObs.Add(1))
					ds[i] = payment.Detection{Payment: p.ID, Obs: o}
					cs[i] = payment.Confirmation{Payment: p.ID, Obs: o.TransferID()}
				}
				runs := []func() ([]payment.Result, error){
					func() ([]payment.Result, error) { return s.DetectMany(ctx, ds) },
					func() ([]payment.Result, error) { return s.ConfirmMany(ctx, cs) },
				}
				if mode == "at_once" {
					runs = runs[:1]
					runs[0] = func() ([]payment.Result, error) { return s.DetectConfirmMany(ctx, ds) }
				}
				for _, run := range runs {
					res, err := run()
					if err != nil {
						b.Fatal(err)
					}
					for _, r := range res {
						if r.Err != nil {
							b.Fatal(r.Err)
						}
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/event")
		})
	}
}

// TestDetectConfirmMany: observations already final when first seen are detected and credited in
// one transaction: the same states, timeline rows and jobs as DetectMany then ConfirmMany, each
// payment written once, each deposit booked as one posted transfer (not a pending one and its
// post), and sending them again changes nothing.
func TestDetectConfirmMany(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	p1, p2, p3 := create(t, s), create(t, s), create(t, s)
	ds := oneStep(p1, p2, p3, 300_000)
	res, err := s.DetectConfirmMany(ctx, ds)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range []payment.State{payment.Underpaid, payment.Funded, payment.Underpaid, payment.Underpaid} {
		if res[i].Err != nil || res[i].Payment.State != w {
			t.Fatalf("item %d: %v, %v; want %s", i, res[i].Err, res[i].Payment, w)
		}
	}
	if got := res[1].Payment; got.Received.Cmp(amount(1_000_000)) != 0 || got.PendingCount != 0 || got.PendingAmount.Sign() != 0 {
		t.Errorf("p1: received %s, %d pending of %s", got.Received, got.PendingCount, got.PendingAmount)
	}
	if !errors.Is(res[4].Err, payment.ErrObservation) {
		t.Errorf("wrong token: %v, want detection's ErrObservation", res[4].Err)
	}
	want := map[ledger.ID][2]int{p1.ID: {2, 5}, p2.ID: {1, 3}, p3.ID: {0, 1}} // with the create row
	check := func(stage string) {
		t.Helper()
		for id, w := range want {
			if tr, tl := counts(ctx, t, &payment.Payment{ID: id}); tr != w[0] || tl != w[1] {
				t.Errorf("%s: payment %s has %d transfers and %d timeline rows, want %d and %d", stage, id, tr, tl, w[0], w[1])
			}
		}
	}
	check("first")
	// One transaction: the detection and the credit share its timestamp; the deposit is posted.
	tl, err := s.Timeline(ctx, p2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(tl) != 3 || tl[1].Event != string(payment.EvDetect) || tl[2].Event != string(payment.EvConfirm) || !tl[1].At.Equal(tl[2].At) {
		t.Errorf("p2 timeline %+v: want detect and confirm in one transaction", tl)
	}
	tr, err := ledger.New(poolFor).LookupTransfer(ctx, ds[2].Obs.TransferID())
	if err != nil || tr.Flags&ledger.Pending != 0 || tr.Amount.Cmp(ds[2].Obs.Amount) != 0 {
		t.Errorf("p2's deposit transfer: %+v, %v; want one posted transfer of the deposit", tr, err)
	}
	if b, err := s.Books(ctx, p2.ID); err != nil || len(b.Deposits) != 1 || b.Deposits[0].State != payment.DepositFinal || b.Deposited.Cmp(amount(300_000)) != 0 {
		t.Errorf("p2's books: %+v, %v; want one final deposit of 300,000", b, err)
	}
	// A later confirmation of the same observation (the indexer's crediting pass, a requeue) is
	// a replay, not a refusal.
	if res, err := s.ConfirmMany(ctx, []payment.Confirmation{{Payment: p2.ID, Obs: ds[2].Obs.TransferID()}}); err != nil || res[0].Err != nil || res[0].Payment.State != payment.Underpaid {
		t.Errorf("confirming p2's deposit again: %v %+v", err, res)
	}
	if n := sweepJobs(ctx, t, p1); n != 1 {
		t.Errorf("p1 has %d sweep jobs, want 1", n)
	}

	res, err = s.DetectConfirmMany(ctx, ds[:4])
	if err != nil || res[1].Err != nil || res[1].Payment.State != payment.Funded {
		t.Fatalf("the same again: %v %+v", err, res)
	}
	check("again")
	healthyLedger(ctx, t)
}

// TestRecorderCommitsWithTheDetections: a Recorder runs inside the transaction of the detections
// it is told about — what it writes is visible only with them, and its error rolls them back —
// and it is told about every item whose transfer exists afterwards: applied now, or found applied
// before (a replay), credited when DetectConfirmMany posted it, never a refused item.
func TestRecorderCommitsWithTheDetections(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	p1, p2, p3 := create(t, s), create(t, s), create(t, s)
	ds := oneStep(p1, p2, p3, 300_000) // the last item is refused (wrong token)

	// An error in the recorder: nothing of the batch is written.
	boom := errors.New("recorder failed")
	if _, err := s.DetectManyRecording(ctx, ds, func(context.Context, pgx.Tx, []payment.Recorded) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("DetectManyRecording with a failing recorder: %v, want its error", err)
	}
	for _, p := range []*payment.Payment{p1, p2, p3} {
		if tr, _ := counts(ctx, t, p); tr != 0 {
			t.Fatalf("payment %s has %d transfers after a rolled back batch", p.ID, tr)
		}
	}

	// The recorder sees its batch's writes, in their transaction, and the items that landed.
	var seen []payment.Recorded
	rec := func(ctx context.Context, tx pgx.Tx, items []payment.Recorded) error {
		seen = append(seen, items...)
		for _, it := range items {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM ledger_transfers WHERE id = $1`, ds[it.Item].Obs.TransferID()).Scan(&n); err != nil || n != 1 {
				return fmt.Errorf("item %d: its transfer is not visible to the recorder (%d, %v)", it.Item, n, err)
			}
		}
		return nil
	}
	items := func() string {
		out := fmt.Sprint(seen)
		seen = nil
		return out
	}
	if _, err := s.DetectManyRecording(ctx, ds, rec); err != nil {
		t.Fatal(err)
	}
	// Items 2 and 3 are one observation seen twice: the second is a replay of the first.
	if got, want := items(), "[{0 false} {1 false} {2 false} {3 false}]"; got != want {
		t.Errorf("recorded %s, want %s", got, want)
	}
	if _, err := s.DetectConfirmManyRecording(ctx, ds, rec); err != nil {
		t.Fatal(err)
	}
	if got, want := items(), "[{0 true} {1 true} {2 true} {3 true}]"; got != want {
		t.Errorf("detected and credited: recorded %s, want %s", got, want)
	}
	if _, err := s.ConfirmManyRecording(ctx, []payment.Confirmation{{Payment: p1.ID, Obs: ds[0].Obs.TransferID()}}, rec); err != nil {
		t.Fatal(err)
	}
	if got, want := items(), "[{0 true}]"; got != want {
		t.Errorf("credited again: recorded %s, want %s", got, want)
	}
	healthyLedger(ctx, t)
}
