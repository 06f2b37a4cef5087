package indexer

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/amanat/amn/payment"
)

// syncBuffer is a log sink safe for the indexer's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestPoisonedPaymentsAreQuarantined is #14 acceptance 3: three payments are poisoned (their rows
// tampered with by the owner role, so that their transitions fail for good): one whose credit the
// database refuses (a check constraint, failing the whole batch it is in), one whose credit the
// state machine refuses, and one whose orphan it refuses during a reorg. Each is quarantined —
// its observation holds the error, amn_indexer_quarantined counts it, a CRITICAL log line names
// the payment — while the 20 other payments of the same blocks are credited, the reorg goes
// through, and the chain keeps crediting. After a fix, Requeue retries them and they land.
func TestPoisonedPaymentsAreQuarantined(t *testing.T) {
	t.Parallel()
	const floor = 64 // nothing is final until every payment is detected
	const chainID = 20
	ctx := context.Background()
	f := newFixture(t, chainID)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, floor), Options{})
	logs := &syncBuffer{}
	heads := NewHeadTracker(e.cfg.Chain, e.rpc, time.Second, NewHeadMetrics(prometheus.NewRegistry()), quiet)
	e.ix = New(e.cfg, e.rpc, pool, pay, heads, e.m, slog.New(slog.NewTextHandler(logs, nil)), Options{})
	const due = 700_000
	var healthy []*payment.Payment
	batchPoison := e.newPayment(chainID, f.Addresses.USDT, due)
	refusedCredit := e.newPayment(chainID, f.Addresses.USDT, due)
	e.payViaProxy(batchPoison, 0, due)
	for i := range 20 {
		p := e.newPayment(chainID, f.Addresses.USDT, due)
		e.payViaProxy(p, i%2, due)
		healthy = append(healthy, p)
	}
	e.payViaProxy(refusedCredit, 1, due)
	e.catchUp()
	for _, p := range append([]*payment.Payment{batchPoison, refusedCredit}, healthy...) {
		if s := e.state(p); s != payment.Detected {
			t.Fatalf("payment %s before finality: %s, want detected", p.ID, s)
		}
	}
	// The poison: the owner role rewrites two rows.
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE payments SET pending_count = 0 WHERE id = $1`, batchPoison.ID)   // its credit breaks pending_count >= 0
	exec(`UPDATE payments SET state = 'expired' WHERE id = $1`, refusedCredit.ID) // a credit the state machine refuses

	mine(t, f, floor+1)
	e.catchUp() // fails the test if a step fails
	for _, p := range healthy {
		if s := e.state(p); s != payment.Funded {
			t.Errorf("healthy payment %s: %s, want funded", p.ID, s)
		}
	}
	for _, p := range []*payment.Payment{batchPoison, refusedCredit} {
		q, err := Quarantined(ctx, pool, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(q) != 1 || q[0].Op != OpConfirm || q[0].Error == "" {
			t.Fatalf("payment %s quarantined: %+v, want one credit with its error", p.ID, q)
		}
		t.Logf("quarantined %s: %s", p.ID, q[0].Error)
		if !strings.Contains(logs.String(), "CRITICAL: payment quarantined") || !strings.Contains(logs.String(), p.ID.String()) {
			t.Fatalf("no CRITICAL log line names %s:\n%s", p.ID, logs)
		}
	}
	if q, _ := Quarantined(ctx, pool, batchPoison.ID); !strings.Contains(q[0].Error, "pending_count") {
		t.Errorf("the batch poison's error: %q, want the constraint the database refused", q[0].Error)
	}
	if v := testutil.ToFloat64(e.m.quarantined.WithLabelValues(e.cfg.Key)); v != 2 {
		t.Errorf("amn_indexer_quarantined = %v, want 2", v)
	}

	// A third poison, refused while a reorg removes its block: the reorg goes through.
	refusedOrphan := e.newPayment(chainID, f.Addresses.USDT, due)
	e.payViaProxy(refusedOrphan, 0, due) // the last block
	e.catchUp()
	exec(`UPDATE payments SET state = 'released' WHERE id = $1`, refusedOrphan.ID)
	reorg(t, e, 1, nil)
	mine(t, f, 1)
	e.catchUp()
	if q, _ := Quarantined(ctx, pool, refusedOrphan.ID); len(q) != 1 || q[0].Op != OpOrphan {
		t.Fatalf("orphan refused during the reorg: %+v, want quarantined", q)
	}

	// The chain keeps crediting.
	later := e.newPayment(chainID, f.Addresses.USDT, due)
	e.payViaProxy(later, 1, due)
	mine(t, f, floor+1)
	e.catchUp()
	if s := e.state(later); s != payment.Funded {
		t.Fatalf("a payment after the quarantines: %s, want funded", s)
	}
	if cp, _, err := LoadCheckpoint(ctx, pool, chainID); err != nil || cp.Halted {
		t.Fatalf("checkpoint %+v (%v)", cp, err)
	}

	// An operator fixes the rows and requeues: each lands.
	exec(`UPDATE payments SET pending_count = 1 WHERE id = $1`, batchPoison.ID)
	exec(`UPDATE payments SET state = 'detected' WHERE id = ANY($1)`, []string{refusedCredit.ID.String(), refusedOrphan.ID.String()})
	for _, p := range []*payment.Payment{batchPoison, refusedCredit, refusedOrphan} {
		// As `amn indexer requeue` does it: as the indexer's role.
		rs, err := Requeue(ctx, e.ixdb, payment.New(e.ixdb, nil), p.ID)
		if err != nil || len(rs) != 1 || rs[0].Outcome == StateQuarantined {
			t.Fatalf("requeue %s: %+v %v", p.ID, rs, err)
		}
	}
	mine(t, f, 1)
	e.catchUp()
	for p, want := range map[*payment.Payment]payment.State{batchPoison: payment.Funded, refusedCredit: payment.Funded,
		refusedOrphan: payment.AwaitingPayment} {
		if s := e.state(p); s != want {
			t.Errorf("payment %s after the requeue: %s, want %s", p.ID, s, want)
		}
	}
	if err := e.ix.countQuarantined(ctx); err != nil {
		t.Fatal(err)
	}
	if v := testutil.ToFloat64(e.m.quarantined.WithLabelValues(e.cfg.Key)); v != 0 {
		t.Errorf("amn_indexer_quarantined after the requeues = %v, want 0", v)
	}
}
