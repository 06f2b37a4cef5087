package signer

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/indexer"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// Issue 13, acceptance 1 (parties): with the owner role, a sweep intent naming other parties, and
// a payment whose buyer or seller address (with or without a signature of its own) was rewritten
// and a sweep intent to match: the signer recovers the parties from their wallets' signatures
// itself, so nothing is signed, the intent ends rejected with the reason, the audit log names it,
// and nothing moves on chain.
func TestForgedPartiesAreRejected(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	attacker := w.f.Buyers[1]
	// The attacker is the proven buyer of a payment of their own, and the seller of an offer of
	// their own: signatures they may replay.
	own, err := w.payments.Create(w.ctx, paymenttest.Offer(payment.NewPayment{BuyerRef: "attacker", OfferRef: "offer-" + uuid.NewString(),
		ChainID: w.f.ChainID, ChainKey: "bsc", Token: w.f.Addresses.USDT, TokenSymbol: "USDT", Decimals: 6, Amount: big.NewInt(1_000_000),
		FeeAddress: w.f.FeeRecipient.Address, RequestID: "req-" + uuid.NewString(), Salt: "a77", TTL: time.Hour}, w.f.Seller))
	if err != nil {
		t.Fatal(err)
	}
	own = paymenttest.ProveBuyer(t, w.payments, own, attacker)
	ownOffer := paymenttest.Offer(payment.NewPayment{OfferRef: "attacker's offer", ChainID: w.f.ChainID, Token: w.f.Addresses.USDT,
		Amount: big.NewInt(7_000_000)}, attacker)
	lower := strings.ToLower

	cases := []struct {
		name   string
		amount int64
		forge  func(p *payment.Payment) (seller, buyer common.Address)
		reason string
	}{
		{name: "sweep intent with other parties", amount: 2_000_001, forge: func(p *payment.Payment) (common.Address, common.Address) {
			return attacker.Address, attacker.Address
		}, reason: "the wallets that signed the offer and the checkout are seller " + w.f.Seller.Address.Hex() + " and buyer " + w.f.Buyers[0].Address.Hex()},
		{name: "buyer address rewritten", amount: 2_000_002, forge: func(p *payment.Payment) (common.Address, common.Address) {
			paymenttest.Forge(t, w.admin, `UPDATE payments SET buyer_address = $2 WHERE id = $1`, p.ID, lower(attacker.Address.Hex()))
			return p.SellerAddress, attacker.Address
		}, reason: "buyer " + attacker.Address.Hex() + " is not proven: the checkout signature over"},
		{name: "buyer rewritten with the attacker's checkout signature of another payment", amount: 2_000_003, forge: func(p *payment.Payment) (common.Address, common.Address) {
			paymenttest.Forge(t, w.admin, `UPDATE payments SET buyer_address = $2, buyer_signature = $3 WHERE id = $1`, p.ID,
				lower(attacker.Address.Hex()), []byte(own.BuyerSignature))
			return p.SellerAddress, attacker.Address
		}, reason: "buyer " + attacker.Address.Hex() + " is not proven: the checkout signature over"},
		{name: "seller address rewritten", amount: 2_000_004, forge: func(p *payment.Payment) (common.Address, common.Address) {
			paymenttest.Forge(t, w.admin, `UPDATE payments SET seller_address = $2 WHERE id = $1`, p.ID, lower(attacker.Address.Hex()))
			return attacker.Address, p.BuyerAddress
		}, reason: "seller " + attacker.Address.Hex() + " is not proven: the offer signature over"},
		{name: "seller rewritten with the attacker's signature of another offer", amount: 2_000_005, forge: func(p *payment.Payment) (common.Address, common.Address) {
			paymenttest.Forge(t, w.admin, `UPDATE payments SET seller_address = $2, seller_signature = $3 WHERE id = $1`, p.ID,
				lower(attacker.Address.Hex()), ownOffer.SellerSignature)
			return attacker.Address, p.BuyerAddress
		}, reason: "seller " + attacker.Address.Hex() + " is not proven: the offer signature over"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := w.paid(tc.amount)
			// The worker's part, as the attacker would do it: the payment moves to sweeping and a
			// sweep intent naming the forged parties is written directly.
			if _, err := w.payments.StartSweep(w.ctx, p.ID); err != nil {
				t.Fatal(err)
			}
			seller, buyer := tc.forge(p)
			id := uuid.New()
			if _, err := w.admin.Exec(w.ctx, `INSERT INTO signer_intents (id, kind, payment_id, chain_id, contract, token, seller,
				buyer, amount, state, requested_by) VALUES ($1, 'sweep', $2, $3, $4, $5, $6, $7, $8, 'pending', 'worker')`,
				id, p.ID, w.f.ChainID, lower(w.f.Addresses.Escrow.Hex()), lower(p.Token.Hex()), lower(seller.Hex()),
				lower(buyer.Hex()), p.Received.String()); err != nil {
				t.Fatal(err)
			}
			depositBefore, depositNonce, opNonce := w.usdt(p.Deposit), w.nonce(p.Deposit), w.nonce(w.keys.OperatorAddress())
			got := w.untilFinal(id)
			if got.State != intent.Rejected || !strings.Contains(got.Reason, tc.reason) {
				t.Fatalf("intent %s: %q; want rejected with %q", got.State, got.Reason, tc.reason)
			}
			if txs, _ := w.intents.Txs(w.ctx, id); len(txs) != 0 {
				t.Fatalf("transactions signed for a forged sweep: %v", txs)
			}
			if ev := w.auditEvents(id); len(ev) != 1 || ev[0] != AuditRejected {
				t.Fatalf("audit %v", ev)
			}
			var detail string
			if err := w.admin.QueryRow(w.ctx, `SELECT detail FROM signer_audit WHERE intent_id = $1`, id).Scan(&detail); err != nil ||
				!strings.Contains(detail, tc.reason) {
				t.Fatalf("audit detail %q (%v); want it to name %q", detail, err, tc.reason)
			}
			if st, _ := w.escrowRecord(p.ID); st != escrowNone {
				t.Fatalf("escrow status %d: the forged sweep reached the chain", st)
			}
			if w.usdt(p.Deposit).Cmp(depositBefore) != 0 || w.nonce(p.Deposit) != depositNonce || w.nonce(w.keys.OperatorAddress()) != opNonce {
				t.Fatalf("chain moved: deposit %s → %s, deposit nonce %d → %d, operator nonce %d → %d", depositBefore, w.usdt(p.Deposit),
					depositNonce, w.nonce(p.Deposit), opNonce, w.nonce(w.keys.OperatorAddress()))
			}
			t.Logf("rejected: %s", got.Reason)
		})
	}
}

// Issue 13, acceptance 3: a front-runner sees the checkout (deposit and reference) and pays first:
// a 1-unit plain transfer to the deposit and a 1-unit fee-proxy payment with the payment's
// reference. The real indexer credits all three payments, but none of them sets the refund
// address; the sweep waits for the buyer's checkout signature, the escrow records the proven
// buyer, and a refund pays that buyer, not the front-runner.
func TestFrontRunnerNeverBecomesTheBuyer(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	ctx, f := w.ctx, w.f
	ix := w.indexer()
	buyer, frontRunner := f.Buyers[0], f.Buyers[1]
	const amount = 50_000_000
	p, err := w.payments.Create(ctx, paymenttest.Offer(payment.NewPayment{
		BuyerRef: "buyer-front-run", OfferRef: "offer-" + uuid.NewString(), ChainID: f.ChainID, ChainKey: "bsc",
		Token: f.Addresses.USDT, TokenSymbol: "USDT", Decimals: 6, Amount: big.NewInt(amount), Fee: big.NewInt(500_000),
		FeeAddress: f.FeeRecipient.Address, Commission: big.NewInt(1_000_000), RequestID: "req-" + uuid.NewString(),
		Salt: "f50", TTL: time.Hour,
	}, f.Seller))
	if err != nil {
		t.Fatal(err)
	}
	// The front-runner's two payments land first, then the buyer's.
	if _, err := f.Wait(ctx)(f.USDT.Transfer(f.Opts(ctx, frontRunner), p.Deposit, big.NewInt(1))); err != nil {
		t.Fatal(err)
	}
	w.payThroughProxy(p, frontRunner, big.NewInt(1), big.NewInt(0))
	w.payThroughProxy(p, buyer, p.Amount, p.Fee)
	frontRunnerBefore, buyerBefore := w.usdt(frontRunner.Address), w.usdt(buyer.Address)

	p = w.indexUntil(ix, p.ID, payment.Overpaid)
	if p.Received.Cmp(big.NewInt(amount+2)) != 0 || p.BuyerAddress != (common.Address{}) {
		t.Fatalf("credited %s, refund address %s; want %d credited and no refund address", p.Received, p.BuyerAddress.Hex(), amount+2)
	}
	// No proven buyer: the worker records no sweep; the payment stays paid and says why.
	sw := &intent.SweepWorker{Intents: w.intents, Escrow: func(uint64) common.Address { return f.Addresses.Escrow }, Log: testLog(t)}
	work := func() error {
		return sw.Work(ctx, &river.Job[payment.SweepArgs]{Args: payment.SweepArgs{PaymentID: p.ID.String()}})
	}
	var snooze *river.JobSnoozeError
	if err := work(); !errors.As(err, &snooze) {
		t.Fatalf("sweep job without a proven buyer: %v", err)
	}
	if err := p.SweepWaits(); err == nil || !strings.Contains(err.Error(), "has not signed the checkout") {
		t.Fatalf("the payment does not say why it waits: %v", err)
	}

	// The buyer signs the checkout: the sweep goes ahead with the proven buyer.
	p = paymenttest.ProveBuyer(t, w.payments, p, buyer)
	if err := work(); err != nil {
		t.Fatal(err)
	}
	sweep, err := w.intents.OpenFor(ctx, p.ID)
	if err != nil || sweep.Buyer != buyer.Address {
		t.Fatalf("sweep intent %+v (%v)", sweep, err)
	}
	w.until(sweep.ID, intent.Done)
	p = w.indexUntil(ix, p.ID, payment.InEscrow)
	rec, err := f.Escrow.Escrows(&bind.CallOpts{Context: ctx}, p.EscrowID())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Buyer != buyer.Address || rec.Seller != f.Seller.Address || rec.Amount.Cmp(big.NewInt(amount+2)) != 0 {
		t.Fatalf("escrow records buyer %s, seller %s, %s; want buyer %s", rec.Buyer.Hex(), rec.Seller.Hex(), rec.Amount, buyer.Address.Hex())
	}

	// A refund goes to the proven buyer, all of it (the front-runner's 2 units included).
	refund, _, err := w.intents.RequestRefund(ctx, p.ID, intent.RequestOptions{Actor: "admin:test", Reason: "front-run test", Contract: f.Addresses.Escrow})
	if err != nil || refund.Buyer != buyer.Address {
		t.Fatalf("refund intent %+v (%v)", refund, err)
	}
	w.approve(refund, f.Custodians[0], f.Custodians[1])
	w.until(refund.ID, intent.Done)
	if got := new(big.Int).Sub(w.usdt(buyer.Address), buyerBefore); got.Cmp(big.NewInt(amount+2)) != 0 {
		t.Fatalf("the buyer got %s back, want %d", got, amount+2)
	}
	if got := w.usdt(frontRunner.Address); got.Cmp(frontRunnerBefore) != 0 {
		t.Fatalf("the front-runner's balance moved: %s → %s", frontRunnerBefore, got)
	}
	w.indexUntil(ix, p.ID, payment.Refunded)
}

// payThroughProxy has from pay amount + fee to p's deposit through the ERC20FeeProxy, with p's
// reference, as the checkout block says.
func (w *world) payThroughProxy(p *payment.Payment, from devnet.Account, amount, fee *big.Int) *types.Receipt {
	w.t.Helper()
	co, err := payment.NewCheckout(payment.CheckoutRequest{ChainID: w.f.ChainID, Token: p.Token, Decimals: p.Decimals,
		Amount: amount, Fee: fee, Deposit: p.Deposit, Reference: p.Reference, FeeProxy: w.f.Addresses.ERC20FeeProxy,
		FeeAddress: p.FeeAddress})
	if err != nil {
		w.t.Fatal(err)
	}
	var r *types.Receipt
	for _, c := range co.Transactions {
		if r, err = w.f.Send(w.ctx, from, c.To, c.Data, nil); err != nil {
			w.t.Fatalf("%s's %s: %v", from.Address.Hex(), c.Purpose, err)
		}
	}
	return r
}

// indexUntil steps the indexer until the payment reaches want.
func (w *world) indexUntil(ix *indexer.Indexer, id ledger.ID, want payment.State) *payment.Payment {
	w.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := ix.Step(w.ctx); err != nil {
			w.t.Fatalf("indexer step: %v", err)
		}
		if _, err := w.intents.Follow(w.ctx); err != nil {
			w.t.Fatal(err)
		}
		p, err := w.payments.Get(w.ctx, id)
		if err != nil {
			w.t.Fatal(err)
		}
		if p.State == want {
			return p
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("payment %s is %s at the deadline, want %s", p.ID, p.State, want)
		}
		select {
		case <-w.ctx.Done():
			w.t.Fatal(w.ctx.Err())
		case <-time.After(20 * time.Millisecond): // a poll interval: blocks are mined every 50 ms
		}
	}
}
