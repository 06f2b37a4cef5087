package signer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/indexer"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// TestFrontRunFundDoesNotBlockTheSweep (issue #13, finding 5, acceptance 4). The signer's fund is
// in the mempool; an attacker reads the payment's reference out of it and gets two transactions
// mined before it, with higher fees: fund(ref, junkToken, 1, attacker, attacker) and
// fundNative(ref, …) of 1 wei. The escrow is keyed by its funder, so the real sweep still funds the
// payment's escrow with the payment's terms, and the indexer, following the chain, books the real
// Funded only: the payment is in_escrow once, the ledger's escrow transfer is the real amount, and
// the attacker's escrows change nothing.
func TestFrontRunFundDoesNotBlockTheSweep(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	ctx, f := w.ctx, w.f
	p := w.paid(8_000_000)

	// The attacker's tools: a junk token (approved in advance) and two funded addresses.
	attacker, attacker2 := f.Buyers[1], newAccount(t, w)
	junkAddr, tx, junk, err := bindings.DeployStandardToken(f.Opts(ctx, f.Deployer), f.Client, "Junk", "JNK", 18)
	if _, err := f.Wait(ctx)(tx, err); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Wait(ctx)(junk.Mint(f.Opts(ctx, f.Deployer), attacker.Address, big.NewInt(1))); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Wait(ctx)(junk.Approve(f.Opts(ctx, attacker), f.Addresses.Escrow, big.NewInt(1))); err != nil {
		t.Fatal(err)
	}

	// Blocks come from the ticker only; once the fund is signed nothing is mined until the
	// attacker has sent their transactions.
	if err := f.RPC.CallContext(ctx, nil, "evm_setAutomine", false); err != nil {
		t.Fatal(err)
	}
	var frontRun []*types.Transaction
	var fund common.Hash
	w.signer.afterSign = func(step string) error {
		if step == StepFund && fund == (common.Hash{}) {
			w.paused.Store(true)
		}
		return nil
	}
	w.signer.afterBroadcast = func(step string) error {
		if step != StepFund || fund != (common.Hash{}) {
			return nil
		}
		defer w.paused.Store(false)
		txs, err := w.intents.Txs(ctx, w.mustOpen(p.ID))
		if err != nil {
			return err
		}
		fund = common.HexToHash(txs[len(txs)-1].Hash)
		frontRun, err = copyFund(ctx, f, fund, junkAddr, attacker, attacker2)
		return err
	}
	sw := &intent.SweepWorker{Intents: w.intents, Escrow: func(uint64) common.Address { return f.Addresses.Escrow }, Log: testLog(t)}
	if err := sw.Work(ctx, &river.Job[payment.SweepArgs]{Args: payment.SweepArgs{PaymentID: p.ID.String()}}); err != nil {
		t.Fatal(err)
	}
	w.until(w.mustOpen(p.ID), intent.Done)
	if len(frontRun) != 2 {
		t.Fatalf("the attacker sent %d transactions, want 2", len(frontRun))
	}

	// The attacker's transactions were mined first, and succeeded: escrows of their own.
	sweepFund, err := f.Client.TransactionReceipt(ctx, fund)
	if err != nil || sweepFund.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("the sweep's fund %s: %+v, %v", fund.Hex(), sweepFund, err)
	}
	ref := payment.EscrowRef(p.ID)
	for i, tx := range frontRun {
		r, err := f.WaitMined(ctx, tx.Hash())
		if err != nil || r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("front-run %d: %+v, %v", i, r, err)
		}
		if r.BlockNumber.Cmp(sweepFund.BlockNumber) > 0 || (r.BlockNumber.Cmp(sweepFund.BlockNumber) == 0 && r.TransactionIndex > sweepFund.TransactionIndex) {
			t.Fatalf("front-run %d was mined at %v/%d, after the sweep's fund at %v/%d", i, r.BlockNumber, r.TransactionIndex, sweepFund.BlockNumber, sweepFund.TransactionIndex)
		}
	}
	call := &bind.CallOpts{Context: ctx}
	for _, who := range []common.Address{attacker.Address, attacker2.Address} {
		id, err := f.Escrow.EscrowId(call, who, ref)
		if err != nil {
			t.Fatal(err)
		}
		if rec, err := f.Escrow.Escrows(call, id); err != nil || rec.Status != escrowOpen || rec.Buyer != who || rec.Amount.Int64() != 1 {
			t.Fatalf("the front-runner %s's escrow: %+v, %v", who.Hex(), rec, err)
		}
	}
	// The payment's escrow holds the real sweep.
	rec, err := f.Escrow.Escrows(call, p.EscrowID())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status != escrowOpen || rec.Token != f.Addresses.USDT || rec.Amount.Cmp(p.Received) != 0 || rec.Buyer != f.Buyers[0].Address || rec.Seller != f.Seller.Address {
		t.Fatalf("the payment's escrow %+v; want open, %s USDT for buyer %s and seller %s", rec, p.Received, f.Buyers[0].Address.Hex(), f.Seller.Address.Hex())
	}

	// The indexer follows the chain and books the real Funded only.
	escrowBefore := w.ledgerPosted(chart.Escrow(p.Ledger))
	ix := w.indexer()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := ix.Step(ctx); err != nil && !errors.Is(err, context.Canceled) {
			t.Logf("indexer step: %v", err)
		}
		cur, err := w.payments.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cur.State == payment.InEscrow {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("payment still %s at the deadline; want in_escrow", cur.State)
		}
		time.Sleep(50 * time.Millisecond) // a poll interval: blocks come from the ticker
	}
	// The front-runs were mined before the real fund, so the indexer has read them too.

	tl, err := w.payments.Timeline(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	swept := 0
	for _, r := range tl {
		if r.Event == string(payment.EvSwept) {
			swept++
		}
	}
	if cur, _ := w.payments.Get(ctx, p.ID); cur.State != payment.InEscrow || swept != 1 {
		t.Fatalf("payment %s with %d swept transitions; want in_escrow once", cur.State, swept)
	}
	sweep, err := ledger.New(w.admin).LookupTransfer(ctx, ledger.DeriveID("payment/sweep\x00"+p.ID.String()))
	if err != nil {
		t.Fatal(err)
	}
	if sweep.Amount.Cmp(p.Received) != 0 || sweep.Amount.Cmp(rec.Amount) != 0 {
		t.Fatalf("the ledger swept %s into escrow; the payment received %s, the escrow holds %s", sweep.Amount, p.Received, rec.Amount)
	}
	if got := new(big.Int).Sub(w.ledgerPosted(chart.Escrow(p.Ledger)), escrowBefore); got.Cmp(p.Received) != 0 {
		t.Fatalf("the ledger's escrow account moved by %s, want %s", got, p.Received)
	}
	var funded, other int
	if err := w.admin.QueryRow(ctx, `SELECT count(*) FILTER (WHERE kind = 'escrow_funded' AND state = 'applied' AND payment_id = $2),
		count(*) FILTER (WHERE kind LIKE 'escrow_%' AND NOT (kind = 'escrow_funded' AND payment_id = $2))
		FROM indexer_observations WHERE chain_id = $1`, f.ChainID, p.ID).Scan(&funded, &other); err != nil {
		t.Fatal(err)
	}
	if funded != 1 || other != 0 {
		t.Fatalf("escrow observations: %d applied Funded of the payment, %d others; want 1 and 0", funded, other)
	}
}

// copyFund is the attacker: it reads the sweep's pending fund out of the mempool, takes its
// reference, and sends fund(ref, junk, 1, …) from a and fundNative(ref, …) of 1 wei from b, each
// with twice the sweep's tip, so that they are mined first.
func copyFund(ctx context.Context, f *devnet.Fixture, hash common.Hash, junk common.Address, a, b devnet.Account) ([]*types.Transaction, error) {
	pending, isPending, err := f.Client.TransactionByHash(ctx, hash)
	if err != nil {
		return nil, err
	}
	if !isPending {
		return nil, fmt.Errorf("the sweep's fund %s was mined before the attacker saw it", hash.Hex())
	}
	esc, _ := bindings.AmnEscrowMetaData.GetAbi()
	m, err := esc.MethodById(pending.Data())
	if err != nil || m.Name != "fund" {
		return nil, fmt.Errorf("the pending transaction is not a fund: %v", err)
	}
	args, err := m.Inputs.Unpack(pending.Data()[4:])
	if err != nil {
		return nil, err
	}
	ref := args[0].([32]byte)
	outbid := func(acct devnet.Account) *bind.TransactOpts {
		o := f.Opts(ctx, acct)
		o.GasTipCap = new(big.Int).Mul(pending.GasTipCap(), big.NewInt(2))
		o.GasFeeCap = new(big.Int).Add(pending.GasFeeCap(), o.GasTipCap)
		o.GasLimit = 300_000
		return o
	}
	junkFund, err := f.Escrow.Fund(outbid(a), ref, junk, big.NewInt(1), a.Address, a.Address)
	if err != nil {
		return nil, fmt.Errorf("front-run fund: %w", err)
	}
	o := outbid(b)
	o.Value = big.NewInt(1)
	nativeFund, err := f.Escrow.FundNative(o, ref, b.Address, b.Address)
	if err != nil {
		return nil, fmt.Errorf("front-run fundNative: %w", err)
	}
	return []*types.Transaction{junkFund, nativeFund}, nil
}

// newAccount is a fresh key with 1 ether on the devnet.
func newAccount(t *testing.T, w *world) devnet.Account {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	a := devnet.Account{Address: crypto.PubkeyToAddress(key.PublicKey), Key: key}
	if err := w.f.SetBalance(w.ctx, a.Address, big.NewInt(1e18)); err != nil {
		t.Fatal(err)
	}
	return a
}

// ledgerPosted is an account's posted balance (zero for an account not opened yet).
func (w *world) ledgerPosted(id ledger.ID) *big.Int {
	w.t.Helper()
	a, err := ledger.New(w.admin).Account(w.ctx, id)
	if errors.Is(err, ledger.ErrAccountNotFound) {
		return new(big.Int)
	}
	if err != nil {
		w.t.Fatal(err)
	}
	return a.Balance().Posted
}

// indexer is the platform's indexer for the world's chain (on the privileged pool, as in the
// tests of package indexer), starting from an empty checkpoint.
func (w *world) indexer() *indexer.Indexer {
	w.t.Helper()
	f := w.f
	for _, q := range []string{`DELETE FROM indexer_observations WHERE chain_id = $1`, `DELETE FROM indexer_blocks WHERE chain_id = $1`,
		`DELETE FROM indexer_checkpoints WHERE chain_id = $1`, `DELETE FROM indexer_rescans WHERE chain_id = $1`} {
		if _, err := w.admin.Exec(w.ctx, q, f.ChainID); err != nil {
			w.t.Fatal(err)
		}
	}
	cfg := chain.Config{
		Chain:    chain.Chain{Key: "bsc", Name: "devnet", ID: f.ChainID, BlockTime: 50 * time.Millisecond},
		Finality: chain.FinalityTag, FinalityStall: chain.Duration(time.Hour), MaxLogRange: 1000,
		Endpoints:  []string{f.URL},
		Tokens:     []chain.Token{{Symbol: "USDT", Address: f.Addresses.USDT, Decimals: 6}},
		FeeProxies: []chain.Proxy{{Address: f.Addresses.ERC20FeeProxy}, {Address: f.Addresses.EthereumFeeProxy, Native: true}},
		Escrow:     f.Addresses.Escrow,
		GasTanks:   []common.Address{w.keys.OperatorAddress()},
	}
	reg := prometheus.NewRegistry()
	rpc, err := chain.NewPool(w.ctx, cfg, chain.PoolOptions{Metrics: chain.NewRPCMetrics(reg), Timeout: 2 * time.Second})
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(rpc.Close)
	quiet := slog.New(slog.DiscardHandler)
	heads := indexer.NewHeadTracker(cfg.Chain, rpc, time.Second, indexer.NewHeadMetrics(reg), quiet)
	return indexer.New(cfg, rpc, w.admin, w.payments, heads, indexer.NewMetrics(reg), quiet, indexer.Options{})
}
