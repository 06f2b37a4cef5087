package payment_test

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/payment"
)

func TestExpireDueAndLatePayment(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, c := newService(t)
	unpaid, paid := create(t, s), create(t, s)
	if _, err := s.Detect(ctx, paid.ID, obs(1_000_000, nextObs.Add(1))); err != nil {
		t.Fatal(err)
	}
	if n, err := s.ExpireDue(ctx, 100); err != nil || n != 0 {
		t.Fatalf("before the deadline: expired %d, %v", n, err)
	}
	pastExpiry(c)
	n, err := s.ExpireDue(ctx, 100)
	if err != nil || n < 1 {
		t.Fatalf("after the deadline: expired %d, %v", n, err)
	}
	if p, _ := s.Get(ctx, unpaid.ID); p.State != payment.Expired {
		t.Fatalf("unpaid payment is %s", p.State)
	}
	if p, _ := s.Get(ctx, paid.ID); p.State != payment.Detected {
		t.Fatalf("a payment with money seen was expired: %s", p.State)
	}
	// Money that arrives after expiry is detected, confirmed and ends late, never lost.
	p, err := s.Detect(ctx, unpaid.ID, obs(1_000_000, nextObs.Add(1)))
	if err != nil || !p.PaidLate {
		t.Fatalf("late detection: %+v %v", p, err)
	}
	if p, err = confirmAll(ctx, s, c, p); err != nil || p.State != payment.Late || p.Received.Cmp(big.NewInt(1_000_000)) != 0 {
		t.Fatalf("late payment ended %v %v", p.State, err)
	}
	if n := sweepJobs(ctx, t, p); n != 1 {
		t.Fatalf("a late payment asks for %d sweeps, want 1 (its money must still reach escrow)", n)
	}
	dests, err := s.ListDestinations(ctx, payment.DestinationFilter{ChainID: 56})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, d := range dests {
		if d.PaymentID == unpaid.ID.String() {
			found = true
			if d.Address != unpaid.Deposit || d.Index != unpaid.DepositIndex || d.State != payment.Late || d.Sweep != "due" || !d.Watched {
				t.Fatalf("destination %+v", d)
			}
		}
	}
	if !found {
		t.Fatal("the payment's destination is not listed")
	}
}

func TestDetectRefusesOtherTokenAndRecordsException(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	p := create(t, s)
	o := obs(5, nextObs.Add(1))
	o.Token = common.HexToAddress("0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d") // USDC, not the USDT asked for
	if _, err := s.Detect(ctx, p.ID, o); !errors.Is(err, payment.ErrObservation) {
		t.Fatalf("detect in another token: %v", err)
	}
	e := payment.Exception{PaymentID: p.ID.String(), ChainID: 56, Token: o.Token, Amount: o.Amount, TxHash: o.TxHash, LogIndex: o.LogIndex, Reason: "wrong token"}
	for range 2 {
		if err := s.RecordException(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := poolFor.QueryRow(ctx, `SELECT count(*) FROM deposit_exceptions WHERE payment_id = $1`, p.ID).Scan(&n); err != nil || n != 1 {
		t.Fatalf("exceptions = %d, %v; want 1", n, err)
	}
	if cur, _ := s.Get(ctx, p.ID); cur.State != payment.AwaitingPayment || cur.Received.Sign() != 0 {
		t.Fatalf("an exception moved the payment: %s %s", cur.State, cur.Received)
	}
}

// TestDropExceptionsOfAReorg: the exceptions a reorg took away are dropped, with what the caller
// writes in the same transaction, or neither is; an exception an operator resolved stays, and so
// do the others (the keys are matched whole: chain, transaction and log).
func TestDropExceptionsOfAReorg(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	p := create(t, s)
	var keys []payment.ExceptionKey
	for range 4 {
		o := obs(5, nextObs.Add(1))
		e := payment.Exception{PaymentID: p.ID.String(), ChainID: 56, Token: common.Address{}, Amount: o.Amount, TxHash: o.TxHash,
			LogIndex: o.LogIndex, Reason: "wrong token"}
		if err := s.RecordException(ctx, e); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, payment.ExceptionKey{ChainID: 56, TxHash: o.TxHash, LogIndex: o.LogIndex})
	}
	left := func() map[string]bool {
		t.Helper()
		rows, err := poolFor.Query(ctx, `SELECT tx_hash FROM deposit_exceptions WHERE payment_id = $1`, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		txs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, tx := range txs {
			out[tx] = true
		}
		return out
	}
	// keys[3] was resolved by an operator.
	if _, err := poolFor.Exec(ctx, `UPDATE deposit_exceptions SET resolved_at = now() WHERE tx_hash = $1`, keys[3].TxHash.Hex()); err != nil {
		t.Fatal(err)
	}
	gone := []payment.ExceptionKey{keys[0], keys[3],
		{ChainID: 137, TxHash: keys[1].TxHash, LogIndex: keys[1].LogIndex},    // another chain: not keys[1]
		{ChainID: 56, TxHash: keys[2].TxHash, LogIndex: keys[2].LogIndex + 1}} // another log: not keys[2]

	// What the caller writes fails: nothing is dropped.
	boom := errors.New("the observations could not be marked")
	if n, err := s.DropExceptions(ctx, gone, func(context.Context, pgx.Tx) error { return boom }); !errors.Is(err, boom) || n != 0 {
		t.Fatalf("drop with a failing caller: %d, %v; want its error", n, err)
	}
	if l := left(); len(l) != 4 {
		t.Fatalf("a failed drop left %d of 4 exceptions", len(l))
	}
	// It succeeds: keys[0] is gone, in the transaction the caller writes in (gone there, still
	// there for everyone else until it commits).
	var inTx, outside int
	n, err := s.DropExceptions(ctx, gone, func(ctx context.Context, tx pgx.Tx) error {
		const q = `SELECT count(*) FROM deposit_exceptions WHERE tx_hash = $1`
		if err := tx.QueryRow(ctx, q, keys[0].TxHash.Hex()).Scan(&inTx); err != nil {
			return err
		}
		return poolFor.QueryRow(ctx, q, keys[0].TxHash.Hex()).Scan(&outside)
	})
	if err != nil || n != 1 || inTx != 0 || outside != 1 {
		t.Fatalf("drop: %d, %v (seen by the caller's transaction %d, outside it %d); want 1 dropped, 0 and 1", n, err, inTx, outside)
	}
	l := left()
	if l[keys[0].TxHash.Hex()] || !l[keys[1].TxHash.Hex()] || !l[keys[2].TxHash.Hex()] || !l[keys[3].TxHash.Hex()] {
		t.Fatalf("left after the drop: %v; want all but %s", l, keys[0].TxHash.Hex())
	}
	// Again: nothing more to drop.
	if n, err := s.DropExceptions(ctx, gone, nil); err != nil || n != 0 {
		t.Fatalf("dropping again: %d, %v", n, err)
	}
}

func TestCheckHealth(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, c := newService(t)
	parse := func(x string) error { _, err := hd.ParseXpub(x); return err }
	h, err := s.CheckHealth(ctx, parse, "xpub-nonsense", []string{"bsc"}, time.Minute)
	if err != nil || h.XpubValid || h.XpubError == "" || h.SignerHealthy {
		t.Fatalf("bad xpub, no signer: %+v %v", h, err)
	}
	if _, err := poolFor.Exec(ctx, `INSERT INTO process_heartbeat VALUES ('signer', 'h:1', 'v', $1, $1)`, t0); err != nil {
		t.Fatal(err)
	}
	h, err = s.CheckHealth(ctx, parse, anvilXpub, []string{"bsc"}, time.Minute)
	if err != nil || !h.XpubValid || !h.SignerHealthy {
		t.Fatalf("good xpub, fresh signer: %+v %v", h, err)
	}
	c.set(t0.Add(time.Hour))
	if h, _ = s.CheckHealth(ctx, parse, anvilXpub, nil, time.Minute); h.SignerHealthy {
		t.Fatal("a signer silent for an hour counts as healthy")
	}
}
