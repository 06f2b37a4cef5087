package signer

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/hd/keyring"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// sweepTarget is issue 22's bound: at most 40 % of today's 234,871 gas per deposit.
const sweepTarget = 93_948

// sweep7702World is an anvil on the Prague hardfork with the escrow fixture, an AmnSweeper whose
// operator is a fresh gas tank key, and the deposit wallet of these tests.
type sweep7702World struct {
	t       *testing.T
	ctx     context.Context
	f       *devnet.Fixture
	tank    *ecdsa.PrivateKey
	sweeper common.Address
	sw      *bindings.AmnSweeper
	ring    *keyring.KeyRing
	deriver *hd.Deriver
}

func newSweep7702World(t *testing.T) *sweep7702World {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	node, err := devnet.StartAnvil(ctx, devnet.AnvilOptions{ChainID: 56, SlotsInEpoch: 1, Hardfork: "prague"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(node.Stop)
	f, err := devnet.Deploy(ctx, node, devnet.FixtureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	tank, _ := crypto.GenerateKey()
	if err := f.SetBalance(ctx, crypto.PubkeyToAddress(tank.PublicKey), big.NewInt(1e18)); err != nil {
		t.Fatal(err)
	}
	addr, tx, sw, err := bindings.DeployAmnSweeper(f.Opts(ctx, f.Deployer), f.Client, crypto.PubkeyToAddress(tank.PublicKey), f.Addresses.Escrow)
	if _, err := f.Wait(ctx)(tx, err); err != nil {
		t.Fatal(err)
	}
	ring, err := keyring.FromMnemonic(depositMnemonic, "")
	if err != nil {
		t.Fatal(err)
	}
	d, err := hd.ParseXpub(ring.Xpub())
	if err != nil {
		t.Fatal(err)
	}
	w := &sweep7702World{t: t, ctx: ctx, f: f, tank: tank, sweeper: addr, sw: sw, ring: ring, deriver: d}
	// An escrow in use: an earlier payment in USDT, funded the plain way, so that the token's
	// registry entry, the escrow's USDT balance and totalEscrowed exist (written once in the
	// escrow's life, not per batch).
	buyer := f.Buyers[1]
	if _, err := f.Wait(ctx)(f.USDT.Approve(f.Opts(ctx, buyer), f.Addresses.Escrow, big.NewInt(1_000_000))); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Wait(ctx)(f.Escrow.Fund(f.Opts(ctx, buyer), payment.EscrowRef(ledger.NewID()), f.Addresses.USDT, big.NewInt(1_000_000), buyer.Address, f.Seller.Address)); err != nil {
		t.Fatal(err)
	}
	return w
}

// checkGas asserts issue 22's target on a batch's receipt, twice: as anvil charged it, and as
// go-ethereum would. EIP-7702 refunds 12,500 of an authorization's 25,000 when the authority
// already exists in the state; geth counts an account that only ever received tokens as not
// existing (no refund), anvil counts it as existing. The same transaction therefore costs at most
// 12,500 more per authorization on geth (the refund cap can only make the difference smaller).
func checkGas(t *testing.T, r *types.Receipt, deposits, auths int) {
	t.Helper()
	per := r.GasUsed / uint64(deposits)
	geth := (r.GasUsed + 12_500*uint64(auths)) / uint64(deposits)
	t.Logf("batch of %d: %d gas on anvil, %d per deposit; at most %d per deposit with geth's refunds (target %d)",
		deposits, r.GasUsed, per, geth, sweepTarget)
	if per > sweepTarget || geth > sweepTarget {
		t.Fatalf("%d (anvil) / %d (geth) gas per deposit: over 40 %% of 234,871", per, geth)
	}
}

// deposit is wallet index i's key, checked against the public derivation the API uses.
func (w *sweep7702World) deposit(i uint32) *ecdsa.PrivateKey {
	w.t.Helper()
	key, err := w.ring.PrivateKey(i)
	if err != nil {
		w.t.Fatal(err)
	}
	want, err := w.deriver.Address(i)
	if err != nil || crypto.PubkeyToAddress(key.PublicKey) != want {
		w.t.Fatalf("deposit %d: key derives %s, xpub %s (%v)", i, crypto.PubkeyToAddress(key.PublicKey).Hex(), want.Hex(), err)
	}
	return key
}

// pay has buyer b transfer amount USDT to addr, as a buyer paying a deposit does.
func (w *sweep7702World) pay(b int, addr common.Address, amount int64) {
	w.t.Helper()
	if _, err := w.f.Wait(w.ctx)(w.f.USDT.Transfer(w.f.Opts(w.ctx, w.f.Buyers[b]), addr, big.NewInt(amount))); err != nil {
		w.t.Fatal(err)
	}
}

func (w *sweep7702World) usdt(addr common.Address) int64 {
	w.t.Helper()
	v, err := w.f.USDT.BalanceOf(&bind.CallOpts{Context: w.ctx}, addr)
	if err != nil {
		w.t.Fatal(err)
	}
	return v.Int64()
}

// send signs and sends tx data from key with a fixed gas limit (no estimate: a call that reverts
// is mined and reverts, as an attacker's would) and returns the receipt.
func (w *sweep7702World) send(key *ecdsa.PrivateKey, to common.Address, data []byte) *types.Receipt {
	w.t.Helper()
	from := crypto.PubkeyToAddress(key.PublicKey)
	nonce, err := w.f.Client.PendingNonceAt(w.ctx, from)
	if err != nil {
		w.t.Fatal(err)
	}
	tip, feeCap := w.fees()
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(big.NewInt(int64(w.f.ChainID))), &types.DynamicFeeTx{
		Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: 500_000, To: &to, Data: data,
	})
	if err != nil {
		w.t.Fatal(err)
	}
	if err := w.f.Client.SendTransaction(w.ctx, tx); err != nil {
		w.t.Fatal(err)
	}
	r, err := w.f.WaitMined(w.ctx, tx.Hash())
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

func (w *sweep7702World) fees() (tip, feeCap *big.Int) {
	w.t.Helper()
	tip, err := w.f.Client.SuggestGasTipCap(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	head, err := w.f.Client.HeaderByNumber(w.ctx, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	return tip, new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
}

// batchAttempt is b as the tank's attempt at nonce with the given fees, as the signer stores it.
func batchAttempt(b *sweepBatch, nonce uint64, tip, feeCap *big.Int) txRow {
	return txRow{Nonce: nonce, To: b.Sweeper, Value: new(big.Int), Data: b.Data, Gas: sweepBatchGas(b), Tip: tip, Cap: feeCap, Auths: b.Auths}
}

// sweep builds, signs and sends one batch from the tank, and returns its receipt.
func (w *sweep7702World) sweep(entries []sweepBatchEntry, chainID uint64) (*sweepBatch, *types.Receipt, error) {
	w.t.Helper()
	b, err := buildSweepBatch(w.ctx, w.f.Client, chainID, w.sweeper, entries)
	if err != nil {
		return nil, nil, err
	}
	tankAddr := crypto.PubkeyToAddress(w.tank.PublicKey)
	nonce, err := w.f.Client.PendingNonceAt(w.ctx, tankAddr)
	if err != nil {
		return nil, nil, err
	}
	tip, feeCap := w.fees()
	tx, err := signAttempt(w.tank, w.f.ChainID, batchAttempt(b, nonce, tip, feeCap))
	if err != nil {
		return nil, nil, err
	}
	if err := w.f.Client.SendTransaction(w.ctx, tx); err != nil {
		return b, nil, err
	}
	r, err := w.f.WaitMined(w.ctx, tx.Hash())
	return b, r, err
}

type sweptDeposit struct {
	key    *ecdsa.PrivateKey
	addr   common.Address
	amount int64
	entry  sweepBatchEntry
}

// fill derives n deposits from index first on, has the buyers pay each a different amount of
// USDT, and returns the sweep entries (each its own payment, buyer and seller).
func (w *sweep7702World) fill(first uint32, n int) []sweptDeposit {
	out := make([]sweptDeposit, n)
	for i := range out {
		key := w.deposit(first + uint32(i))
		addr := crypto.PubkeyToAddress(key.PublicKey)
		amount := int64(100_000_000 + i*1_000_001) // 100 USDT and up, 6 decimals
		w.pay(i%2, addr, amount)
		buyer := w.f.Buyers[i%2].Address
		seller := w.f.Seller.Address
		if i%3 == 1 {
			seller = w.f.FeeRecipient.Address // another party, so that a mix-up would show
		}
		out[i] = sweptDeposit{key: key, addr: addr, amount: amount, entry: sweepBatchEntry{
			Key: key, Token: w.f.Addresses.USDT, Amount: big.NewInt(amount), Ref: payment.EscrowRef(ledger.NewID()), Buyer: buyer, Seller: seller,
		}}
	}
	return out
}

func entriesOf(ds []sweptDeposit) []sweepBatchEntry {
	out := make([]sweepBatchEntry, len(ds))
	for i, d := range ds {
		out[i] = d.entry
	}
	return out
}

// checkSwept asserts that each deposit's escrow is open with its own parties, token and amount,
// opened by the Funded event of receipt r whose funder is the deposit, and that the deposit holds
// no USDT and no native currency and is delegated to the sweeper.
func (w *sweep7702World) checkSwept(ds []sweptDeposit, r *types.Receipt) {
	w.t.Helper()
	funded := map[common.Hash]*bindings.AmnEscrowFunded{}
	for _, l := range r.Logs {
		if l.Address != w.f.Addresses.Escrow {
			continue
		}
		if ev, err := w.f.Escrow.ParseFunded(*l); err == nil {
			funded[ev.EscrowId] = ev
		}
	}
	if len(funded) != len(ds) {
		w.t.Fatalf("%d Funded events in the batch's receipt; want %d", len(funded), len(ds))
	}
	call := &bind.CallOpts{Context: w.ctx}
	for i, d := range ds {
		id, err := w.f.Escrow.EscrowId(call, d.addr, d.entry.Ref)
		if err != nil {
			w.t.Fatal(err)
		}
		ev := funded[id]
		if ev == nil || ev.Funder != d.addr || ev.Ref != d.entry.Ref || ev.Buyer != d.entry.Buyer || ev.Seller != d.entry.Seller ||
			ev.Token != w.f.Addresses.USDT || ev.Amount.Int64() != d.amount {
			w.t.Fatalf("deposit %d: Funded %+v; want funder %s, buyer %s, seller %s, %d USDT", i, ev, d.addr.Hex(), d.entry.Buyer.Hex(), d.entry.Seller.Hex(), d.amount)
		}
		rec, err := w.f.Escrow.Escrows(call, id)
		if err != nil {
			w.t.Fatal(err)
		}
		if rec.Status != escrowOpen || rec.Token != w.f.Addresses.USDT || rec.Buyer != d.entry.Buyer || rec.Seller != d.entry.Seller || rec.Amount.Int64() != d.amount {
			w.t.Fatalf("deposit %d: escrow record %+v", i, rec)
		}
		if got := w.usdt(d.addr); got != 0 {
			w.t.Fatalf("deposit %d still holds %d USDT", i, got)
		}
		bal, err := w.f.Client.BalanceAt(w.ctx, d.addr, nil)
		if err != nil || bal.Sign() != 0 {
			w.t.Fatalf("deposit %d holds %v native (%v): dust", i, bal, err)
		}
		code, err := w.f.Client.CodeAt(w.ctx, d.addr, nil)
		if err != nil || common.Bytes2Hex(code) != common.Bytes2Hex(types.AddressToDelegation(w.sweeper)) {
			w.t.Fatalf("deposit %d code %x (%v); want the delegation to %s", i, code, err, w.sweeper.Hex())
		}
	}
}

// TestSweep7702Batch is issue 22's acceptance 3 on anvil (Prague): ten deposits derived from the
// test mnemonic, paid by buyers, swept by ONE set-code transaction from the gas tank carrying
// their ten authorizations: each escrow funded with its own buyer, seller, token and amount, no
// token and no native currency left on any deposit, the tank's nonce moved by one, at most 40 %
// of today's gas per deposit (receipt, and bounded for geth's refund rule). Then forged calls to the delegated deposits (from other
// addresses, and from the operator with other destinations) move nothing.
func TestSweep7702Batch(t *testing.T) {
	w := newSweep7702World(t)
	tankAddr := crypto.PubkeyToAddress(w.tank.PublicKey)
	ds := w.fill(1000, 10)
	tankNonce, _ := w.f.Client.NonceAt(w.ctx, tankAddr, nil)
	tankBalance, _ := w.f.Client.BalanceAt(w.ctx, tankAddr, nil)

	b, r, err := w.sweep(entriesOf(ds), w.f.ChainID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != types.ReceiptStatusSuccessful || r.Type != types.SetCodeTxType || len(b.Auths) != 10 {
		t.Fatalf("batch: status %d, type %d, %d authorizations", r.Status, r.Type, len(b.Auths))
	}
	if n, _ := w.f.Client.NonceAt(w.ctx, tankAddr, nil); n != tankNonce+1 {
		t.Fatalf("tank nonce %d → %d: want one transaction", tankNonce, n)
	}
	for i, d := range ds {
		// The deposit signed no transaction: its nonce is 1, from its authorization alone.
		if n, _ := w.f.Client.NonceAt(w.ctx, d.addr, nil); n != 1 {
			t.Fatalf("deposit %d nonce %d; want 1 (its authorization)", i, n)
		}
	}
	w.checkSwept(ds, r)
	spent, _ := w.f.Client.BalanceAt(w.ctx, tankAddr, nil)
	cost := new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
	if new(big.Int).Sub(tankBalance, spent).Cmp(cost) != 0 {
		t.Fatalf("tank paid %s; the receipt says %s", new(big.Int).Sub(tankBalance, spent), cost)
	}
	checkGas(t, r, len(ds), len(b.Auths))

	// Forged calls. Deposit 0 is paid again; nobody but the operator can move it, and the
	// operator only into the escrow.
	victim := ds[0]
	w.pay(0, victim.addr, 5_000_000)
	attacker, _ := crypto.GenerateKey()
	attackerAddr := crypto.PubkeyToAddress(attacker.PublicKey)
	if err := w.f.SetBalance(w.ctx, attackerAddr, big.NewInt(1e18)); err != nil {
		t.Fatal(err)
	}
	swABI, _ := bindings.AmnSweeperMetaData.GetAbi()
	erc20, _ := bindings.ERC20MetaData.GetAbi()
	ref := payment.EscrowRef(ledger.NewID())
	pack := func(name string, args ...any) []byte {
		data, err := swABI.Pack(name, args...)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	transfer, _ := erc20.Pack("transfer", attackerAddr, big.NewInt(5_000_000))
	forged := []struct {
		name string
		key  *ecdsa.PrivateKey
		to   common.Address
		data []byte
	}{
		{"another address calls sweep on the deposit", attacker, victim.addr, pack("sweep", w.f.Addresses.USDT, big.NewInt(5_000_000), ref, attackerAddr, attackerAddr)},
		{"another address calls the escrow's callback", attacker, victim.addr, pack("payAmnEscrow", w.f.Addresses.USDT, big.NewInt(5_000_000))},
		{"another address calls sweepBatch", attacker, w.sweeper, pack("sweepBatch", []bindings.AmnSweeperSweep{{
			Deposit: victim.addr, Token: w.f.Addresses.USDT, Amount: big.NewInt(5_000_000), Ref: ref, Buyer: attackerAddr, Seller: attackerAddr}})},
		{"a buyer calls sweep on the deposit", w.f.Buyers[0].Key, victim.addr, pack("sweep", w.f.Addresses.USDT, big.NewInt(5_000_000), ref, w.f.Buyers[0].Address, w.f.Buyers[0].Address)},
		{"the operator sends a token transfer to another destination through the deposit", w.tank, victim.addr, transfer},
		{"the operator calls the escrow's callback itself", w.tank, victim.addr, pack("payAmnEscrow", w.f.Addresses.USDT, big.NewInt(5_000_000))},
		{"the operator calls sweepBatch through the deposit", w.tank, victim.addr, pack("sweepBatch", []bindings.AmnSweeperSweep{{
			Deposit: victim.addr, Token: w.f.Addresses.USDT, Amount: big.NewInt(5_000_000), Ref: ref, Buyer: attackerAddr, Seller: attackerAddr}})},
	}
	for _, c := range forged {
		if r := w.send(c.key, c.to, c.data); r.Status != types.ReceiptStatusFailed {
			t.Fatalf("%s: status %d; want a revert", c.name, r.Status)
		}
	}
	// The operator naming another "token" (the attacker's address, the escrow itself): the batch
	// runs, the entry fails (SweepFailed), nothing moves.
	for _, token := range []common.Address{attackerAddr, w.f.Addresses.Escrow, w.sweeper} {
		r := w.send(w.tank, w.sweeper, pack("sweepBatch", []bindings.AmnSweeperSweep{{
			Deposit: victim.addr, Token: token, Amount: big.NewInt(5_000_000), Ref: payment.EscrowRef(ledger.NewID()), Buyer: attackerAddr, Seller: attackerAddr}}))
		if r.Status != types.ReceiptStatusSuccessful || !hasSweepFailed(w.sw, r, victim.addr) {
			t.Fatalf("sweep naming token %s: status %d, want a SweepFailed for the deposit", token.Hex(), r.Status)
		}
	}
	if got := w.usdt(victim.addr); got != 5_000_000 {
		t.Fatalf("after the forged calls the deposit holds %d USDT; want 5000000 (nothing moved)", got)
	}
	if got := w.usdt(attackerAddr); got != 0 {
		t.Fatalf("attacker got %d USDT", got)
	}
	ev, err := w.f.Escrow.Escrows(&bind.CallOpts{Context: w.ctx}, mustEscrowID(t, w, victim.addr, ref))
	if err != nil || ev.Status != 0 {
		t.Fatalf("the forged reference opened an escrow: %+v %v", ev, err)
	}

	// The operator can sweep the second payment (already delegated: no authorization needed,
	// a plain call), into an escrow of its own reference.
	again := victim
	again.amount = 5_000_000
	again.entry.Amount = big.NewInt(5_000_000)
	again.entry.Ref = payment.EscrowRef(ledger.NewID())
	b2, r2, err := w.sweep([]sweepBatchEntry{again.entry}, w.f.ChainID)
	if err != nil || r2.Status != types.ReceiptStatusSuccessful || len(b2.Auths) != 0 || r2.Type != types.DynamicFeeTxType {
		t.Fatalf("second sweep: %v, %+v, %d authorizations", err, r2, len(b2.Auths))
	}
	w.checkSwept([]sweptDeposit{again}, r2)
}

// TestSweep7702AuthorizationForAnotherChain: an authorization names its chain id. Signed for
// another chain, it does not delegate the deposit here (the node skips it), and the batch's
// entry for that deposit moves nothing; an authorization for chain id 0 is never signed.
func TestSweep7702AuthorizationForAnotherChain(t *testing.T) {
	w := newSweep7702World(t)
	ds := w.fill(2000, 2)
	b, err := buildSweepBatch(w.ctx, w.f.Client, w.f.ChainID+1, w.sweeper, entriesOf(ds[:1]))
	if err != nil {
		t.Fatal(err)
	}
	good, err := buildSweepBatch(w.ctx, w.f.Client, w.f.ChainID, w.sweeper, entriesOf(ds[1:]))
	if err != nil {
		t.Fatal(err)
	}
	// One transaction carrying both: deposit 0's authorization for chain 57, deposit 1's for 56.
	b.Sweeps = append(b.Sweeps, good.Sweeps...)
	b.Auths = append(b.Auths, good.Auths...)
	swABI, _ := bindings.AmnSweeperMetaData.GetAbi()
	if b.Data, err = swABI.Pack("sweepBatch", b.Sweeps); err != nil {
		t.Fatal(err)
	}
	nonce, _ := w.f.Client.PendingNonceAt(w.ctx, crypto.PubkeyToAddress(w.tank.PublicKey))
	tip, feeCap := w.fees()
	tx, err := signAttempt(w.tank, w.f.ChainID, batchAttempt(b, nonce, tip, feeCap))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.f.Client.SendTransaction(w.ctx, tx); err != nil {
		t.Fatal(err)
	}
	r, err := w.f.WaitMined(w.ctx, tx.Hash())
	if err != nil || r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("batch: %v %+v", err, r)
	}
	if code, _ := w.f.Client.CodeAt(w.ctx, ds[0].addr, nil); len(code) != 0 {
		t.Fatalf("the other chain's authorization delegated the deposit: code %x", code)
	}
	if got := w.usdt(ds[0].addr); got != ds[0].amount {
		t.Fatalf("deposit with the other chain's authorization holds %d; want %d (nothing moved)", got, ds[0].amount)
	}
	if !hasSweepFailed(w.sw, r, ds[0].addr) {
		t.Fatal("no SweepFailed for the undelegated deposit")
	}
	w.checkSwept(ds[1:], r)

	key := w.deposit(2999)
	if _, err := sweepAuthorization(key, 0, w.sweeper, 0); !errors.As(err, new(*Rejection)) {
		t.Fatalf("chain id 0: %v; want a rejection", err)
	}
}

// TestSweep7702BatchOf50 measures a batch of 50 deposits on anvil from the receipt.
func TestSweep7702BatchOf50(t *testing.T) {
	w := newSweep7702World(t)
	ds := w.fill(3000, 50)
	b, r, err := w.sweep(entriesOf(ds), w.f.ChainID)
	if err != nil || r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("batch: %v %+v", err, r)
	}
	w.checkSwept(ds, r)
	checkGas(t, r, len(ds), len(b.Auths))
}

func hasSweepFailed(sw *bindings.AmnSweeper, r *types.Receipt, deposit common.Address) bool {
	for _, l := range r.Logs {
		if ev, err := sw.ParseSweepFailed(*l); err == nil && ev.Deposit == deposit {
			return true
		}
	}
	return false
}

func mustEscrowID(t *testing.T, w *sweep7702World, funder common.Address, ref [32]byte) [32]byte {
	t.Helper()
	id, err := w.f.Escrow.EscrowId(&bind.CallOpts{Context: w.ctx}, funder, ref)
	if err != nil {
		t.Fatal(fmt.Errorf("escrowId: %w", err))
	}
	return id
}

// A batch entry without a positive amount is refused before anything is read or signed: the
// sweeper moves exactly the amount named, so an entry must name what the books credited.
func TestSweep7702EntryNeedsItsAmount(t *testing.T) {
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, amount := range []*big.Int{nil, big.NewInt(0), big.NewInt(-1)} {
		_, err := buildSweepBatch(context.Background(), nil, 56, common.HexToAddress("0x5eee"), []sweepBatchEntry{{Key: key, Amount: amount}})
		var r *Rejection
		if !errors.As(err, &r) || !strings.Contains(r.Reason, "positive amount") {
			t.Fatalf("amount %v: %v; want a rejection", amount, err)
		}
	}
}
