package indexer

import (
	"context"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// TestFeeOnTransferTokenCreditedOnceWithWhatArrived (issue #13, finding 13): a token that burns
// 1 % of every transfer, paid through Request Network's ERC20FeeProxy. The proxy's event names the
// amount sent; the token's Transfer to the deposit address carries what arrived. The payment is
// credited once, with what arrived, and the books equal the deposit address's balance on chain.
func TestFeeOnTransferTokenCreditedOnceWithWhatArrived(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, 96)
	pay, pool := newPaymentService(t)
	addr, tx, fee, err := bindings.DeployFeeOnTransferToken(f.Opts(ctx, f.Deployer), f.Client, big.NewInt(100))
	if _, err := f.Wait(ctx)(tx, err); err != nil {
		t.Fatalf("deploying the fee-on-transfer token: %v", err)
	}
	cfg := devConfig(f, 2)
	cfg.Tokens = append(cfg.Tokens, chain.Token{Symbol: "FEE", Address: addr, Decimals: 18})
	e := newEnv(t, f, pay, pool, cfg, Options{})
	if _, err := f.Wait(ctx)(fee.Mint(f.Opts(ctx, f.Deployer), f.Buyers[0].Address, big.NewInt(10_000_000))); err != nil {
		t.Fatal(err)
	}
	p, err := pay.Create(ctx, paymenttest.Offer(payment.NewPayment{
		BuyerRef: "buyer", OfferRef: fmt.Sprintf("offer-%d", offers.Add(1)),
		ChainID: 96, ChainKey: chainKey(96), Token: addr, TokenSymbol: "FEE", Decimals: 18,
		Amount: big.NewInt(1_000_000), Fee: big.NewInt(10_000), FeeAddress: f.FeeRecipient.Address,
		Tolerance: big.NewInt(0), RequestID: fmt.Sprintf("req-%d", offers.Load()), Salt: "5a17", TTL: time.Hour,
	}, f.Seller))
	if err != nil {
		t.Fatal(err)
	}
	paid := e.payViaProxy(p, 0, 1_000_000)
	mine(t, f, 4)
	e.catchUp()

	onChain, err := fee.BalanceOf(nil, p.Deposit)
	if err != nil {
		t.Fatal(err)
	}
	if onChain.Int64() != 990_000 {
		t.Fatalf("deposit holds %s on chain, want 990000 (1%% burned)", onChain)
	}
	obs := obsOf(t, e, paid)
	if len(obs) != 1 || obs[0].Kind != KindFeeProxy || obs[0].State != StateCredited || obs[0].Obs.Amount.Cmp(onChain) != 0 {
		t.Fatalf("observations of the payment's transaction: %+v; want one fee-proxy credit of %s", obs, onChain)
	}
	got, err := pay.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Received.Cmp(onChain) != 0 || got.State != payment.Underpaid {
		t.Fatalf("payment received %s (%s); want %s, underpaid", got.Received, got.State, onChain)
	}
	acct, err := ledger.New(pool).Account(ctx, p.DepositAcct)
	if err != nil {
		t.Fatal(err)
	}
	if b := acct.Balance(); b.Posted.Cmp(onChain) != 0 || b.Pending.Sign() != 0 {
		t.Fatalf("the ledger's deposit account holds %s posted, %s pending; the chain %s", b.Posted, b.Pending, onChain)
	}
}
