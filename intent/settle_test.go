package intent_test

import (
	"context"
	"errors"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/amanat/amn/db/dbtest"
	amnescrow "github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/jobs"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
	"github.com/amanat/amn/signer"
)

// ResolveSplit's payment_settle job, worked by the worker role (jobs.Config.Escrow set), records
// the settle intent: the proven buyer and seller, the parts of the payment's split, a dispute's
// resolution, awaiting the custodians. Asking again returns it; a release or refund cannot be
// asked for meanwhile; another split cannot be recorded while it is open.
func TestSettleJobRecordsIntent(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool := dbtest.Pool(t)
	d, _ := hd.ParseXpub(anvilXpub)
	s := payment.New(pool, d)
	store := intent.NewStore(pool, s, nil)
	p := funded(t, s, true)
	p, err := s.StartSweep(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Swept(ctx, p.ID, paymenttest.OwnSweep(p)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Dispute(ctx, p.ID, "buyer", "damaged"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.RequestSettle(ctx, p.ID, intent.SettleOptions{Contract: escrow}); !errors.Is(err, intent.ErrPaymentState) {
		t.Fatalf("settle of a payment still disputed: %v, want ErrPaymentState", err)
	}
	if p, err = s.ResolveSplit(ctx, p.ID, big.NewInt(300), "admin:alice", "30%"); err != nil {
		t.Fatal(err)
	}

	client, err := jobs.NewClient(jobs.Config{Pool: pool, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Escrow: func(uint64) common.Address { return escrow }})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Stop(context.Background()) }()
	var in *intent.Intent
	for {
		if in, err = store.OpenFor(ctx, p.ID); err == nil {
			break
		}
		if !errors.Is(err, intent.ErrNotFound) || ctx.Err() != nil {
			t.Fatalf("waiting for the settle intent: %v", err)
		}
		time.Sleep(20 * time.Millisecond) // polling the worker's result, with the context's deadline
	}
	// 1000 received, commission 10: 300 to the buyer, fee floor(10 × 700 / 1000) = 7, seller 693.
	if in.Kind != intent.Settle || in.State != intent.AwaitingApprovals || !in.ResolvesDispute || in.Contract != escrow ||
		in.Buyer != paymenttest.Buyer().Address || in.BuyerAmount.Cmp(big.NewInt(300)) != 0 ||
		in.Seller != paymenttest.Seller().Address || in.SellerAmount.Cmp(big.NewInt(693)) != 0 ||
		in.FeeRecipient != p.FeeAddress || in.FeeAmount.Cmp(big.NewInt(7)) != 0 || in.EscrowID != p.EscrowID() {
		t.Fatalf("settle intent %+v", in)
	}
	m, err := in.Message()
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := m.(amnescrow.Settle); !ok || st.BuyerAmount.Cmp(in.BuyerAmount) != 0 || st.Token != usdt || st.PaymentID != p.EscrowID() {
		t.Fatalf("message %+v", m)
	}
	again, created, err := store.RequestSettle(ctx, p.ID, intent.SettleOptions{Contract: escrow})
	if err != nil || created || again.ID != in.ID {
		t.Fatalf("asked again: %v, created %v, %v", again, created, err)
	}
	if _, _, err := store.RequestRelease(ctx, p.ID, intent.RequestOptions{Contract: escrow}); err == nil {
		t.Fatal("a release was asked for a payment to be split")
	}
	if _, _, err := store.RequestRefund(ctx, p.ID, intent.RequestOptions{Contract: escrow, Reason: "x"}); err == nil {
		t.Fatal("a refund was asked for a payment to be split")
	}
	// Another fee recipient is other terms than the open intent's.
	if _, _, err := store.RequestSettle(ctx, p.ID, intent.SettleOptions{Contract: escrow, FeeRecipient: common.HexToAddress("0xbad")}); !errors.Is(err, intent.ErrNotAllowed) {
		t.Fatalf("a settle of other terms while one is open: %v, want ErrNotAllowed", err)
	}
	if _, _, err := store.RequestSettle(ctx, p.ID, intent.SettleOptions{Contract: escrow, TTL: 48 * time.Hour}); !errors.Is(err, intent.ErrNotAllowed) {
		t.Fatalf("approvals valid for two days: %v, want ErrNotAllowed", err)
	}
	a := escrowApproval(t, in)
	if err := store.AddApproval(ctx, in.ID, a); err != nil {
		t.Fatalf("a settle takes approvals: %v", err)
	}
}

// escrowApproval is some key's approval of in (its form only matters to AddApproval).
func escrowApproval(t *testing.T, in *intent.Intent) amnescrow.Approval {
	t.Helper()
	digest, err := in.Digest()
	if err != nil {
		t.Fatal(err)
	}
	a, err := amnescrow.Sign(digest, paymenttest.Buyer().Key)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A decided split whose settle intent is rejected before the signer signs it (its approvals
// expired, a limit, a revert at estimation) is asked for again: the next Follow queues the
// payment_settle job, whose worker records a new intent of the same split, and that one can
// settle. A dispute of the split that is resumed asks for a new intent too.
func TestSettleRejectedBeforeSigningIsAskedAgain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool := dbtest.Pool(t)
	d, _ := hd.ParseXpub(anvilXpub)
	s := payment.New(pool, d)
	store := intent.NewStore(pool, s, signer.TxRecord{})
	p := funded(t, s, true)
	p, err := s.StartSweep(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Swept(ctx, p.ID, paymenttest.OwnSweep(p)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Dispute(ctx, p.ID, "buyer", "damaged"); err != nil {
		t.Fatal(err)
	}
	if p, err = s.ResolveSplit(ctx, p.ID, big.NewInt(300), "admin:alice", "30%"); err != nil {
		t.Fatal(err)
	}
	client, err := jobs.NewClient(jobs.Config{Pool: pool, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Escrow: func(uint64) common.Address { return escrow }})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Stop(context.Background()) }()
	// newIntent waits for an open settle intent other than old, of the same split.
	newIntent := func(old *intent.Intent, follow bool) *intent.Intent {
		t.Helper()
		for {
			if follow {
				if _, err := store.Follow(ctx); err != nil {
					t.Fatal(err)
				}
			}
			in, err := store.OpenFor(ctx, p.ID)
			if err == nil && (old == nil || in.ID != old.ID) {
				if in.Kind != intent.Settle || in.BuyerAmount.Cmp(big.NewInt(300)) != 0 || in.SellerAmount.Cmp(big.NewInt(693)) != 0 ||
					in.FeeAmount.Cmp(big.NewInt(7)) != 0 {
					t.Fatalf("new intent %+v", in)
				}
				return in
			}
			if err != nil && !errors.Is(err, intent.ErrNotFound) || ctx.Err() != nil {
				t.Fatalf("waiting for a new settle intent: %v", err)
			}
			time.Sleep(20 * time.Millisecond) // polling the worker's result, with the context's deadline
		}
	}
	signerRejects := func(in *intent.Intent, reason string) {
		t.Helper()
		if _, err := pool.Exec(ctx, `UPDATE signer_intents SET state = 'rejected', reason = $2 WHERE id = $1`, in.ID, reason); err != nil {
			t.Fatal(err)
		}
	}
	first := newIntent(nil, false)
	signerRejects(first, "approvals expired before enough were gathered")
	second := newIntent(first, true)

	// Disputed again and resumed: the signer rejects the open intent meanwhile (the payment left
	// settle_pending); the resumption asks for a new one at once, without Follow.
	if _, err := s.Dispute(ctx, p.ID, "seller", "wait"); err != nil {
		t.Fatal(err)
	}
	signerRejects(second, "payment is disputed; a settle needs settle_pending")
	if _, err := s.Resolve(ctx, p.ID, payment.OutcomeResume, "admin:alice", "go on"); err != nil {
		t.Fatal(err)
	}
	third := newIntent(second, false)

	// It settles: signed, moved to settling, booked final.
	if _, err := pool.Exec(ctx, `UPDATE signer_intents SET state = 'broadcast' WHERE id = $1`, third.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Follow(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, p.ID); err != nil || got.State != payment.Settling {
		t.Fatalf("after the third intent was signed: %v, %v", got, err)
	}
	got, err := s.Settled(ctx, p.ID, payment.EscrowSettled{BuyerAmount: big.NewInt(300), SellerAmount: big.NewInt(693), FeeAmount: big.NewInt(7)})
	if err != nil || got.State != payment.Settled {
		t.Fatalf("settled: %v, %v", got, err)
	}
}
