package signer

import (
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/payment"
)

// Acceptance 3: each bad release ends rejected with its reason, and nothing reaches the chain.
func TestRejections(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	opts := intent.RequestOptions{Actor: "admin:test", Contract: w.f.Addresses.Escrow}
	signWith := func(in *intent.Intent, mutate func(*escrow.Release), d escrow.Domain, who devnet.Account) escrow.Approval {
		m, _ := in.Message()
		r := m.(escrow.Release)
		if mutate != nil {
			mutate(&r)
		}
		digest, err := d.Digest(r)
		if err != nil {
			t.Fatal(err)
		}
		a, err := escrow.Sign(digest, who.Key)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	c0, c1 := w.f.Custodians[0], w.f.Custodians[1]
	var other *payment.Payment // another payment in escrow, whose escrow an approval names
	cases := []struct {
		name    string
		amount  int64
		opts    func(*intent.RequestOptions)
		prepare func(p *payment.Payment, in *intent.Intent)
		reason  string
	}{
		{name: "too few approvals", amount: 5_000_000, prepare: func(_ *payment.Payment, in *intent.Intent) {
			w.approve(in, c0)
			if err := w.intents.Submit(w.ctx, in.ID); err != nil {
				t.Fatal(err)
			}
		}, reason: "1 valid custodian approvals, need 2"},
		{name: "approval for another payment", amount: 5_000_001, prepare: func(_ *payment.Payment, in *intent.Intent) {
			w.approve(in, c0)
			add(t, w, in, signWith(in, func(r *escrow.Release) { r.PaymentID = other.EscrowID() }, in.Domain(), c1))
		}, reason: "does not recover to the approval's signer"},
		{name: "approval for another amount", amount: 5_000_002, prepare: func(_ *payment.Payment, in *intent.Intent) {
			w.approve(in, c0)
			add(t, w, in, signWith(in, func(r *escrow.Release) { r.SellerAmount = new(big.Int).Add(r.SellerAmount, big.NewInt(1)) }, in.Domain(), c1))
		}, reason: "does not recover to the approval's signer"},
		{name: "approval for another chain", amount: 5_000_003, prepare: func(_ *payment.Payment, in *intent.Intent) {
			w.approve(in, c0)
			add(t, w, in, signWith(in, nil, escrow.Domain{ChainID: 1, Contract: w.f.Addresses.Escrow}, c1))
		}, reason: "does not recover to the approval's signer"},
		{name: "non-custodian signer", amount: 5_000_004, prepare: func(_ *payment.Payment, in *intent.Intent) {
			w.approve(in, c0, w.f.Arbiter)
		}, reason: "not a custodian"},
		{name: "expired approval", amount: 5_000_005, opts: func(o *intent.RequestOptions) { o.TTL = 30 * time.Second }, prepare: func(_ *payment.Payment, in *intent.Intent) {
			w.approve(in, c0, c1)
		}, reason: "approvals expired"},
		{name: "approvals valid too long", amount: 5_000_007, prepare: func(_ *payment.Payment, in *intent.Intent) {
			// Written directly (the store refuses more than intent.MaxTTL): valid 72 hours.
			in.Deadline = in.CreatedAt.Add(72 * time.Hour).Unix()
			if _, err := w.admin.Exec(w.ctx, `UPDATE signer_intents SET deadline = $2 WHERE id = $1`, in.ID, in.Deadline); err != nil {
				t.Fatal(err)
			}
			w.approve(in, c0, c1)
		}, reason: "more than 24h0m0s after the intent was made"},
		{name: "policy limit per transaction", amount: 20_000_000_000, prepare: func(_ *payment.Payment, in *intent.Intent) {
			w.approve(in, c0, c1)
		}, reason: "exceeds the per-transaction limit"},
		{name: "disputed payment", amount: 5_000_006, prepare: func(p *payment.Payment, in *intent.Intent) {
			if _, err := w.payments.Dispute(w.ctx, p.ID, "buyer", "not delivered"); err != nil {
				t.Fatal(err)
			}
			w.approve(in, c0, c1)
		}, reason: "payment is disputed"},
	}
	// Every case's payment, and another one, swept at once.
	amounts := []int64{3_000_000}
	for _, tc := range cases {
		amounts = append(amounts, tc.amount)
	}
	escrowed := w.inEscrowAll(amounts...)
	other = escrowed[0]
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := escrowed[i+1]
			o := opts
			if tc.opts != nil {
				tc.opts(&o)
			}
			in, _, err := w.intents.RequestRelease(w.ctx, p.ID, o)
			if err != nil {
				t.Fatal(err)
			}
			opNonce := w.nonce(w.keys.OperatorAddress())
			tc.prepare(p, in)
			got := w.untilFinal(in.ID)
			if got.State != intent.Rejected || !strings.Contains(got.Reason, tc.reason) {
				t.Fatalf("intent %s: %q; want rejected with %q", got.State, got.Reason, tc.reason)
			}
			if st, _ := w.escrowRecord(p.ID); st != escrowOpen {
				t.Fatalf("escrow status %d: something reached the chain", st)
			}
			if n := w.nonce(w.keys.OperatorAddress()); n != opNonce {
				t.Fatalf("operator sent %d transactions", n-opNonce)
			}
			txs, _ := w.intents.Txs(w.ctx, in.ID)
			if len(txs) != 0 {
				t.Fatalf("transactions signed for a rejected intent: %v", txs)
			}
			ev := w.auditEvents(in.ID)
			if len(ev) != 1 || ev[0] != AuditRejected {
				t.Fatalf("audit %v", ev)
			}
			t.Logf("rejected: %s", got.Reason)
		})
	}
}

func add(t *testing.T, w *world, in *intent.Intent, a escrow.Approval) {
	t.Helper()
	if err := w.intents.AddApproval(w.ctx, in.ID, a); err != nil {
		t.Fatal(err)
	}
}

// untilFinal runs the signer until the intent is done or rejected.
func (w *world) untilFinal(id [16]byte) *intent.Intent {
	w.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		_ = w.signer.Tick(w.ctx)
		in, err := w.intents.Get(w.ctx, id)
		if err != nil {
			w.t.Fatal(err)
		}
		if !in.State.Open() {
			return in
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("intent %s still %s at the deadline", in.ID, in.State)
		}
		select {
		case <-w.ctx.Done():
			w.t.Fatal(w.ctx.Err())
		case <-time.After(20 * time.Millisecond): // poll interval
		}
	}
}

// Acceptance 4: a hundred concurrent release requests for one payment make one intent and one
// on-chain release.
func TestConcurrentReleaseRequests(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	p, _ := w.inEscrow(7_000_000)
	var wg sync.WaitGroup
	ids := make([]string, 100)
	errs := make([]error, 100)
	created := make([]bool, 100)
	for i := range 100 {
		wg.Go(func() {
			in, c, err := w.intents.RequestRelease(w.ctx, p.ID, intent.RequestOptions{Actor: fmt.Sprintf("admin:%d", i), Contract: w.f.Addresses.Escrow})
			errs[i], created[i] = err, c
			if in != nil {
				ids[i] = in.ID.String()
			}
		})
	}
	wg.Wait()
	n := 0
	for i := range 100 {
		if errs[i] != nil {
			t.Fatalf("request %d: %v", i, errs[i])
		}
		if ids[i] != ids[0] {
			t.Fatalf("request %d got intent %s, request 0 got %s", i, ids[i], ids[0])
		}
		if created[i] {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d requests created an intent", n)
	}
	var count int
	if err := w.admin.QueryRow(w.ctx, `SELECT count(*) FROM signer_intents WHERE payment_id = $1 AND kind = 'release'`, p.ID).Scan(&count); err != nil || count != 1 {
		t.Fatalf("%d release intents (%v)", count, err)
	}
	in, err := w.intents.OpenFor(w.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	opNonce := w.nonce(w.keys.OperatorAddress())
	w.approve(in, w.f.Custodians[0], w.f.Custodians[1])
	w.until(in.ID, intent.Done)
	if got := w.nonce(w.keys.OperatorAddress()); got != opNonce+1 {
		t.Fatalf("operator sent %d transactions for one release", got-opNonce)
	}
	// Asking again after the release: a clear error, no second intent.
	if _, err := w.payments.Released(w.ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.intents.RequestRelease(w.ctx, p.ID, intent.RequestOptions{Contract: w.f.Addresses.Escrow}); err == nil ||
		!strings.Contains(err.Error(), "released") {
		t.Fatalf("release of a released payment: %v", err)
	}
}
