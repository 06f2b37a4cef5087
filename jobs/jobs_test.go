package jobs_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/jobs"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestWorkerExpiresPendingTransfers runs the worker's River client against a real database: a
// pending transfer whose timeout has passed is voided by the periodic job without anyone asking.
func TestWorkerExpiresPendingTransfers(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)

	// Book the reservation an hour ago with a one-minute timeout, so it is already overdue.
	past := ledger.New(pool, ledger.WithClock(func() time.Time { return time.Now().Add(-time.Hour) }))
	accts, err := past.CreateAccounts(ctx,
		ledger.Account{ID: ledger.NewID(), Ledger: "bsc:USDT", Code: ledger.CodeWorld},
		ledger.Account{ID: ledger.NewID(), Ledger: "bsc:USDT", Code: ledger.CodeDeposit},
	)
	if err != nil {
		t.Fatal(err)
	}
	pending := ledger.Transfer{
		ID: ledger.NewID(), DebitAccountID: accts[0].ID, CreditAccountID: accts[1].ID,
		Amount: big.NewInt(1_000_000), Code: 1, Flags: ledger.Pending, Timeout: time.Minute,
	}
	if _, err := past.Transfer(ctx, pending); err != nil {
		t.Fatal(err)
	}

	reg := prometheus.NewRegistry()
	client, err := jobs.NewClient(jobs.Config{
		// The worker's client works as the worker's role, as `amn worker` does.
		Pool: dbtest.PoolAs(t, db.RoleWorker), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Registry: reg, ExpireEvery: time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := client.Stop(sctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	}()

	wantExpired := "# HELP amn_ledger_pending_expired_total Pending ledger transfers voided because their timeout passed.\n" +
		"# TYPE amn_ledger_pending_expired_total counter\namn_ledger_pending_expired_total 1\n"
	l := ledger.New(pool)
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := l.LookupTransfer(ctx, pending.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The counter moves just after the void commits.
		if got.State == ledger.StateExpired && testutil.GatherAndCompare(reg, strings.NewReader(wantExpired), "amn_ledger_pending_expired_total") == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pending transfer %q after 30s (want expired, counted once): %v", got.State,
				testutil.GatherAndCompare(reg, strings.NewReader(wantExpired), "amn_ledger_pending_expired_total"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	acct, err := l.Account(ctx, accts[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if acct.CreditsPending.Sign() != 0 || acct.CreditsPosted.Sign() != 0 {
		t.Fatalf("deposit account still holds %s pending, %s posted", acct.CreditsPending, acct.CreditsPosted)
	}
}

// TestWorkerExpiresOverduePayments: the periodic payment_expire job moves an unpaid payment past
// its deadline to expired.
func TestWorkerExpiresOverduePayments(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	d, err := hd.ParseXpub("xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP")
	if err != nil {
		t.Fatal(err)
	}
	// Created two hours ago with a one-hour deadline.
	past := payment.New(pool, d).WithClock(func() time.Time { return time.Now().Add(-2 * time.Hour) })
	p, err := past.Create(ctx, paymenttest.Offer(payment.NewPayment{
		BuyerRef: "b", OfferRef: "o", ChainID: 56, ChainKey: "bsc",
		Token: common.HexToAddress("0x55d398326f99059fF775485246999027B3197955"), TokenSymbol: "USDT", Decimals: 18,
		Amount: big.NewInt(100), RequestID: "r", Salt: "s", TTL: time.Hour,
	}, paymenttest.Seller()))
	if err != nil {
		t.Fatal(err)
	}
	client, err := jobs.NewClient(jobs.Config{
		Pool: dbtest.PoolAs(t, db.RoleWorker), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Registry: prometheus.NewRegistry(), ExpireEvery: time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer client.Stop(context.WithoutCancel(ctx)) //nolint:errcheck // test teardown
	svc := payment.New(pool, d)
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := svc.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State == payment.Expired {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("payment still %s after 30s", got.State)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// lockedBuffer is a log destination several goroutines write to.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// River's own lines go to QueueLog, not to Log: amn dev quiets them there without quieting the
// jobs' own lines.
func TestRiverLogsToQueueLog(t *testing.T) {
	ctx := context.Background()
	var own, queue lockedBuffer
	client, err := jobs.NewClient(jobs.Config{Pool: dbtest.Pool(t), Registry: prometheus.NewRegistry(), ExpireEvery: time.Hour,
		Log: slog.New(slog.NewTextHandler(&own, nil)), QueueLog: slog.New(slog.NewTextHandler(&queue, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := client.Stop(sctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(queue.String(), "River client started") {
		t.Errorf("River's start is not in QueueLog:\n%s", queue.String())
	}
	if strings.Contains(own.String(), "River client") {
		t.Errorf("River's lines reach Log:\n%s", own.String())
	}
}
