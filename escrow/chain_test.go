package escrow_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// Tests in this file run against AmnEscrow deployed on a real anvil node by the devnet fixture.

func startFixture(t *testing.T, chainID uint64) (context.Context, *devnet.Fixture) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	f, err := devnet.Start(ctx, chainID, devnet.FixtureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return ctx, f
}

func domainOf(f *devnet.Fixture) escrow.Domain {
	return escrow.Domain{ChainID: f.ChainID, Contract: f.Addresses.Escrow}
}

// The Go digests equal the contract's own view functions for random inputs.
func TestDigestsMatchContract(t *testing.T) {
	t.Parallel()
	ctx, f := startFixture(t, 137)
	d := domainOf(f)
	call := &bind.CallOpts{Context: ctx}

	sep, err := f.Escrow.DomainSeparator(call)
	if err != nil {
		t.Fatal(err)
	}
	if common.Hash(sep) != d.Separator() {
		t.Fatalf("domain separator: contract %x, Go %x", sep, d.Separator())
	}
	rng := rand.New(rand.NewPCG(3, 4))
	counts := map[string]int{}
	for _, m := range randMessages(rng, 50) {
		want, err := d.Digest(m)
		if err != nil {
			t.Fatal(err)
		}
		var got [32]byte
		switch m := m.(type) {
		case escrow.Release:
			got, err = f.Escrow.ReleaseDigest(call, m.Binding())
		case escrow.Refund:
			got, err = f.Escrow.RefundDigest(call, m.Binding())
		case escrow.Settle:
			got, err = f.Escrow.SettleDigest(call, m.Binding())
		case escrow.SetCustodians:
			got, err = f.Escrow.SetCustodiansDigest(call, m.Custodians, m.Threshold, m.Nonce, m.Deadline)
		case escrow.SetArbiter:
			got, err = f.Escrow.SetArbiterDigest(call, m.Arbiter, m.Nonce, m.Deadline)
		case escrow.SetReclaimDelay:
			got, err = f.Escrow.SetReclaimDelayDigest(call, m.ReclaimDelay, m.Nonce, m.Deadline)
		}
		if err != nil {
			t.Fatal(err)
		}
		if common.Hash(got) != want {
			t.Fatalf("%T %+v: contract digest %x, Go %x", m, m, got, want)
		}
		counts[m.TypeString()[:strings.IndexByte(m.TypeString(), '(')]]++
	}
	t.Logf("compared %v digests with the contract's", counts)
}

var escrowABI = func() *abi.ABI {
	a, err := bindings.AmnEscrowMetaData.GetAbi()
	if err != nil {
		panic(err)
	}
	return a
}()

// revertName decodes the custom error (or Error(string) reason) that a node reports for a call
// or gas estimate.
func revertName(err error) string {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return ""
	}
	s, _ := de.ErrorData().(string)
	data, decErr := hexutil.Decode(s)
	if decErr != nil || len(data) < 4 {
		return ""
	}
	if e, err := escrowABI.ErrorByID([4]byte(data[:4])); err == nil {
		return e.Name
	}
	if reason, err := abi.UnpackRevert(data); err == nil {
		return "Error(" + reason + ")"
	}
	return hexutil.Encode(data[:4])
}

// expectRevert shows that send is refused: the node's gas estimate reports the custom error
// want, and the same transaction forced on chain (fixed gas limit, no estimate) is mined and
// fails.
func expectRevert(t *testing.T, ctx context.Context, f *devnet.Fixture, from devnet.Account, want string, send func(*bind.TransactOpts) (*types.Transaction, error)) {
	t.Helper()
	opts := f.Opts(ctx, from)
	opts.NoSend = true
	if _, err := send(opts); revertName(err) != want {
		t.Fatalf("want revert %s, got %q (%v)", want, revertName(err), err)
	}
	opts = f.Opts(ctx, from)
	opts.GasLimit = 1_000_000
	if r, err := f.Wait(ctx)(send(opts)); !errors.Is(err, devnet.ErrReverted) {
		t.Fatalf("forced transaction: want a mined revert (%s), got %v", want, err)
	} else {
		t.Logf("%s: reverted on chain in block %d", want, r.BlockNumber)
	}
}

func balanceOf(t *testing.T, ctx context.Context, f *devnet.Fixture, token common.Address, who common.Address) *big.Int {
	t.Helper()
	erc20, err := bindings.NewERC20(token, f.Client)
	if err != nil {
		t.Fatal(err)
	}
	b, err := erc20.BalanceOf(&bind.CallOpts{Context: ctx}, who)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustWait(t *testing.T, ctx context.Context, f *devnet.Fixture, what string) func(*types.Transaction, error) *types.Receipt {
	t.Helper()
	return func(tx *types.Transaction, err error) *types.Receipt {
		t.Helper()
		r, err := f.Wait(ctx)(tx, err)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return r
	}
}

func sign(t *testing.T, digest common.Hash, k *ecdsa.PrivateKey) escrow.Approval {
	t.Helper()
	a, err := escrow.Sign(digest, k)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func custodianAddrs(f *devnet.Fixture) []common.Address {
	out := make([]common.Address, len(f.Custodians))
	for i, c := range f.Custodians {
		out[i] = c.Address
	}
	return out
}

// fundViaFeeProxy is the money path up to the escrow: the API's checkout block for a fresh
// deposit address (the HD-derived address in production) and a Request Network payment
// reference; the buyer's wallet sends its calls (approve, then ERC20FeeProxy's
// transferFromWithReferenceAndFee); the deposit address, given gas, approves AmnEscrow and funds
// the payment's escrow (reference payment.EscrowRef(paymentID)). It returns the escrow id, which
// the contract's escrowId, the Funded event and payment.EscrowID agree on.
func fundViaFeeProxy(t *testing.T, ctx context.Context, f *devnet.Fixture, token common.Address, decimals uint8, amount *big.Int, requestID string, buyer devnet.Account, paymentID ledger.ID) common.Hash {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	deposit := devnet.Account{Address: crypto.PubkeyToAddress(key.PublicKey), Key: key}
	erc20, err := bindings.NewERC20(token, f.Client)
	if err != nil {
		t.Fatal(err)
	}

	// Checkout with no proxy fee: the platform fee is taken at release.
	ref, err := payment.NewReference(requestID, "a1b2c3d4e5f60718", deposit.Address.Hex())
	if err != nil {
		t.Fatal(err)
	}
	checkout, err := payment.NewCheckout(payment.CheckoutRequest{
		ChainID: f.ChainID, Token: token, Decimals: decimals, Amount: amount, Fee: new(big.Int),
		Deposit: deposit.Address, Reference: ref, FeeProxy: f.Addresses.ERC20FeeProxy, FeeAddress: f.FeeRecipient.Address,
	})
	if err != nil {
		t.Fatal(err)
	}
	var rcpt *types.Receipt
	for _, c := range checkout.Transactions {
		value, ok := new(big.Int).SetString(c.Value, 10)
		if !ok {
			t.Fatalf("checkout value %q", c.Value)
		}
		if rcpt, err = f.Send(ctx, buyer, c.To, c.Data, value); err != nil {
			t.Fatalf("checkout %s: %v", c.Purpose, err)
		}
	}
	var seen bool
	for _, l := range rcpt.Logs {
		ev, err := f.FeeProxy.ParseTransferWithReferenceAndFee(*l)
		if err != nil || l.Address != f.Addresses.ERC20FeeProxy {
			continue
		}
		seen = true
		if ev.To != deposit.Address || ev.Amount.Cmp(amount) != 0 || ev.TokenAddress != token || ev.PaymentReference != ref.Topic() {
			t.Fatalf("fee proxy event %+v does not match the payment", ev)
		}
	}
	if !seen {
		t.Fatal("no TransferWithReferenceAndFee event from the fee proxy")
	}
	if got := balanceOf(t, ctx, f, token, deposit.Address); got.Cmp(amount) != 0 {
		t.Fatalf("deposit address holds %v, want %v", got, amount)
	}

	// Sweep: gas for the deposit address (the signer's gas tank in production), approve, fund.
	if err := f.SetBalance(ctx, deposit.Address, big.NewInt(1e17)); err != nil {
		t.Fatal(err)
	}
	mustWait(t, ctx, f, "deposit approve")(erc20.Approve(f.Opts(ctx, deposit), f.Addresses.Escrow, amount))
	rcpt = mustWait(t, ctx, f, "fund")(f.Escrow.Fund(f.Opts(ctx, deposit), payment.EscrowRef(paymentID), token, amount, buyer.Address, f.Seller.Address))
	t.Logf("fund: %d gas", rcpt.GasUsed)
	id := payment.EscrowID(deposit.Address, paymentID)
	if onChain, err := f.Escrow.EscrowId(&bind.CallOpts{Context: ctx}, deposit.Address, payment.EscrowRef(paymentID)); err != nil || onChain != id {
		t.Fatalf("contract escrowId = %x, %v; payment.EscrowID = %s", onChain, err, id.Hex())
	}
	ev, err := f.Funded(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Funder != deposit.Address || ev.Ref != payment.EscrowRef(paymentID) || ev.Amount.Cmp(amount) != 0 || ev.Token != token {
		t.Fatalf("Funded event %+v does not name the deposit, the payment's reference and %v", ev, amount)
	}
	e, err := f.Escrow.Escrows(&bind.CallOpts{Context: ctx}, id)
	if err != nil {
		t.Fatal(err)
	}
	if e.Status != 1 || e.Amount.Cmp(amount) != 0 || e.Buyer != buyer.Address || e.Seller != f.Seller.Address || e.Token != token {
		t.Fatalf("escrow record %+v after funding %v", e, amount)
	}
	return id
}

// Acceptance: buyer pays through the real ERC20FeeProxy into a deposit address, the deposit
// address funds AmnEscrow, two of three custodians sign a Release in Go, and the seller and fee
// recipient get exactly their amounts; one signature, a reordered pair, another chain's
// signatures and an expired deadline are all refused without moving money.
func TestReleaseTwoOfThreeAfterFeeProxyPayment(t *testing.T) {
	t.Parallel()
	ctx, f := startFixture(t, 56)
	buyer := f.Buyers[0]
	token := f.Addresses.USDT // 6 decimals, no return values: the hard case
	amount := big.NewInt(250_000_000)
	fee := big.NewInt(6_250_000) // 2.5 %
	sellerAmount := new(big.Int).Sub(amount, fee)
	paymentID := ledger.DeriveID("payment 7f3e release")
	buyerBefore := balanceOf(t, ctx, f, token, buyer.Address)

	escrowID := fundViaFeeProxy(t, ctx, f, token, 6, amount, "01e273ecc29d4b526df3a0f1f05ffc59372af8752c2b678096e49ac270416a7cdb", buyer, paymentID)
	if got := new(big.Int).Sub(buyerBefore, balanceOf(t, ctx, f, token, buyer.Address)); got.Cmp(amount) != 0 {
		t.Fatalf("buyer paid %v, want %v", got, amount)
	}

	now, err := f.Now(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r := escrow.Release{
		PaymentID: escrowID, Token: token, Seller: f.Seller.Address, SellerAmount: sellerAmount,
		FeeRecipient: f.FeeRecipient.Address, FeeAmount: fee, Deadline: big.NewInt(now.Add(time.Hour).Unix()),
	}
	d := domainOf(f)
	digest, err := d.Digest(r)
	if err != nil {
		t.Fatal(err)
	}
	// Custodians 2 and 0 approve, in that order: Quorum sorts them.
	approvals := []escrow.Approval{sign(t, digest, f.Custodians[2].Key), sign(t, digest, f.Custodians[0].Key)}
	sigs, err := escrow.Quorum(digest, approvals, custodianAddrs(f), f.Threshold)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := escrow.Quorum(digest, approvals[:1], custodianAddrs(f), f.Threshold); !errors.Is(err, escrow.ErrNotEnoughApprovals) {
		t.Fatalf("Quorum with one approval: %v", err)
	}

	submitter := f.Deployer // anyone may submit: the signatures are the authority
	release := func(r escrow.Release, sigs [][]byte) func(*bind.TransactOpts) (*types.Transaction, error) {
		return func(o *bind.TransactOpts) (*types.Transaction, error) {
			return f.Escrow.Release(o, r.PaymentID, r.Binding(), sigs)
		}
	}
	balances := func() [3]*big.Int {
		return [3]*big.Int{
			balanceOf(t, ctx, f, token, f.Seller.Address),
			balanceOf(t, ctx, f, token, f.FeeRecipient.Address),
			balanceOf(t, ctx, f, token, f.Addresses.Escrow),
		}
	}
	before := balances()
	if before[2].Cmp(amount) != 0 {
		t.Fatalf("escrow holds %v, want %v", before[2], amount)
	}

	t.Run("rejected", func(t *testing.T) {
		expectRevert(t, ctx, f, submitter, "NotEnoughSignatures", release(r, sigs[:1]))
		expectRevert(t, ctx, f, submitter, "SignersNotAscending", release(r, [][]byte{sigs[1], sigs[0]}))
		expectRevert(t, ctx, f, submitter, "DuplicateSigner", release(r, [][]byte{sigs[0], sigs[0]}))

		// The same custodians signing for another chain id: the contract recovers other
		// addresses from them, which are not custodians.
		other := escrow.Domain{ChainID: 1, Contract: d.Contract}
		otherDigest, err := other.Digest(r)
		if err != nil {
			t.Fatal(err)
		}
		otherSigs, err := escrow.Quorum(otherDigest, []escrow.Approval{sign(t, otherDigest, f.Custodians[0].Key), sign(t, otherDigest, f.Custodians[2].Key)}, custodianAddrs(f), f.Threshold)
		if err != nil {
			t.Fatal(err)
		}
		expectRevert(t, ctx, f, submitter, "NotCustodian", release(r, otherSigs))
		if _, err := escrow.Quorum(digest, []escrow.Approval{sign(t, otherDigest, f.Custodians[0].Key), sign(t, otherDigest, f.Custodians[2].Key)}, custodianAddrs(f), f.Threshold); !errors.Is(err, escrow.ErrNotEnoughApprovals) {
			t.Fatalf("Quorum accepted another chain's approvals: %v", err)
		}

		// Properly signed, but past its deadline.
		expired := r
		expired.Deadline = big.NewInt(now.Unix() - 1)
		expiredDigest, err := d.Digest(expired)
		if err != nil {
			t.Fatal(err)
		}
		expiredSigs, err := escrow.Quorum(expiredDigest, []escrow.Approval{sign(t, expiredDigest, f.Custodians[0].Key), sign(t, expiredDigest, f.Custodians[1].Key)}, custodianAddrs(f), f.Threshold)
		if err != nil {
			t.Fatal(err)
		}
		expectRevert(t, ctx, f, submitter, "Expired", release(expired, expiredSigs))

		// Valid signatures over other terms: more for the seller than approved.
		altered := r
		altered.SellerAmount, altered.FeeAmount = amount, new(big.Int)
		expectRevert(t, ctx, f, submitter, "NotCustodian", release(altered, sigs))

		if after := balances(); after[0].Cmp(before[0]) != 0 || after[1].Cmp(before[1]) != 0 || after[2].Cmp(before[2]) != 0 {
			t.Fatalf("refused releases moved money: before %v, after %v", before, after)
		}
	})
	if t.Failed() {
		return
	}

	rcpt := mustWait(t, ctx, f, "release")(release(r, sigs)(f.Opts(ctx, submitter)))
	t.Logf("release, 2-of-3, USDT-like token, with fee: %d gas (receipt)", rcpt.GasUsed)
	after := balances()
	if got := new(big.Int).Sub(after[0], before[0]); got.Cmp(sellerAmount) != 0 {
		t.Errorf("seller received %v, want %v", got, sellerAmount)
	}
	if got := new(big.Int).Sub(after[1], before[1]); got.Cmp(fee) != 0 {
		t.Errorf("fee recipient received %v, want %v", got, fee)
	}
	if after[2].Sign() != 0 {
		t.Errorf("escrow still holds %v", after[2])
	}
	if total, err := f.Escrow.TotalEscrowed(&bind.CallOpts{Context: ctx}, token); err != nil || total.Sign() != 0 {
		t.Errorf("totalEscrowed = %v, %v; want 0", total, err)
	}
	var released bool
	for _, l := range rcpt.Logs {
		if ev, err := f.Escrow.ParseReleased(*l); err == nil {
			released = ev.EscrowId == escrowID && ev.SellerAmount.Cmp(sellerAmount) == 0 && ev.FeeAmount.Cmp(fee) == 0
		}
	}
	if !released {
		t.Error("no matching Released event")
	}
	// The approval works once.
	expectRevert(t, ctx, f, submitter, "NotOpen", release(r, sigs))
}

// A refund with one EIP-712 approval and one in the eth_sign form (a device that signs only
// messages) returns the full amount to the buyer.
func TestRefundWithEthSignForm(t *testing.T) {
	t.Parallel()
	ctx, f := startFixture(t, 1)
	buyer := f.Buyers[1]
	token := f.Addresses.TUSD
	amount := new(big.Int).Mul(big.NewInt(125), big.NewInt(1e18))
	paymentID := ledger.DeriveID("payment 7f3e refund")
	before := balanceOf(t, ctx, f, token, buyer.Address)
	escrowID := fundViaFeeProxy(t, ctx, f, token, 18, amount, "refund-request", buyer, paymentID)

	now, err := f.Now(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r := escrow.Refund{PaymentID: escrowID, Token: token, Buyer: buyer.Address, Amount: amount, Deadline: big.NewInt(now.Add(time.Hour).Unix())}
	digest, err := domainOf(f).Digest(r)
	if err != nil {
		t.Fatal(err)
	}
	ethSign, err := escrow.SignEthSign(digest, f.Custodians[1].Key)
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := escrow.Quorum(digest, []escrow.Approval{ethSign, sign(t, digest, f.Custodians[2].Key)}, custodianAddrs(f), f.Threshold)
	if err != nil {
		t.Fatal(err)
	}
	rcpt := mustWait(t, ctx, f, "refund")(f.Escrow.Refund(f.Opts(ctx, f.Deployer), escrowID, r.Binding(), sigs))
	t.Logf("refund, 2-of-3 (one eth_sign form), 18-decimal token: %d gas", rcpt.GasUsed)
	if got := balanceOf(t, ctx, f, token, buyer.Address); got.Cmp(before) != 0 {
		t.Fatalf("buyer has %v after the refund, had %v before paying", got, before)
	}
}

// Acceptance: with no approval at all, the buyer takes an abandoned escrow back once the reclaim
// delay has passed on the chain's clock, and not a second earlier.
func TestBuyerReclaimsAfterDelay(t *testing.T) {
	t.Parallel()
	ctx, f := startFixture(t, 56)
	buyer := f.Buyers[0]
	token := f.Addresses.TUSD
	amount := new(big.Int).Mul(big.NewInt(40), big.NewInt(1e18))
	paymentID := ledger.DeriveID("payment 7f3e reclaim")
	before := balanceOf(t, ctx, f, token, buyer.Address)
	escrowID := fundViaFeeProxy(t, ctx, f, token, 18, amount, "reclaim-request", buyer, paymentID)

	call := &bind.CallOpts{Context: ctx}
	at, err := f.Escrow.ReclaimableAt(call, escrowID)
	if err != nil {
		t.Fatal(err)
	}
	now, err := f.Now(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := now.Unix() + int64(f.ReclaimDelay/time.Second); at.Int64() != want {
		t.Fatalf("reclaimableAt = %v, want funding time + %v = %d", at, f.ReclaimDelay, want)
	}
	reclaim := func(o *bind.TransactOpts) (*types.Transaction, error) { return f.Escrow.Reclaim(o, escrowID) }

	expectRevert(t, ctx, f, buyer, "ReclaimTooEarly", reclaim)
	// An hour short of the delay: still refused. (anvil's clock also follows the wall clock, so
	// the margin is generous rather than one second.)
	if err := f.IncreaseTime(ctx, f.ReclaimDelay-time.Hour); err != nil {
		t.Fatal(err)
	}
	expectRevert(t, ctx, f, buyer, "ReclaimTooEarly", reclaim)
	if err := f.IncreaseTime(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	if now, err := f.Now(ctx); err != nil || now.Unix() < at.Int64() {
		t.Fatalf("chain time %v (%v), want at least %v", now.Unix(), err, at)
	}
	expectRevert(t, ctx, f, f.Seller, "NotBuyer", reclaim)
	mustWait(t, ctx, f, "reclaim")(reclaim(f.Opts(ctx, buyer)))

	if got := balanceOf(t, ctx, f, token, buyer.Address); got.Cmp(before) != 0 {
		t.Fatalf("buyer has %v after reclaim, had %v before paying", got, before)
	}
	e, err := f.Escrow.Escrows(call, escrowID)
	if err != nil {
		t.Fatal(err)
	}
	if e.Status != 4 {
		t.Fatalf("status %d after reclaim, want 4 (Reclaimed)", e.Status)
	}
}

// A disputed escrow on anvil: the arbiter freezes it, an ordinary settle approval is refused, and
// a dispute resolution signed in Go by two custodians splits it exactly between buyer, seller and
// fee recipient; the Settled event names each part, and the approval works once.
func TestSettleSplitsAFrozenEscrowExactly(t *testing.T) {
	t.Parallel()
	ctx, f := startFixture(t, 56)
	buyer := f.Buyers[1]
	token := f.Addresses.TUSD
	amount := new(big.Int).Mul(big.NewInt(200), big.NewInt(1e18))
	paymentID := ledger.DeriveID("payment 7f3e settle")
	escrowID := fundViaFeeProxy(t, ctx, f, token, 18, amount, "settle-request", buyer, paymentID)
	buyerBefore := balanceOf(t, ctx, f, token, buyer.Address)
	sellerBefore := balanceOf(t, ctx, f, token, f.Seller.Address)
	feeBefore := balanceOf(t, ctx, f, token, f.FeeRecipient.Address)

	mustWait(t, ctx, f, "freeze")(f.Escrow.Freeze(f.Opts(ctx, f.Arbiter), escrowID))

	now, err := f.Now(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e18 := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }
	s := escrow.Settle{PaymentID: escrowID, Token: token, Buyer: buyer.Address, BuyerAmount: e18(60),
		Seller: f.Seller.Address, SellerAmount: e18(137), FeeRecipient: f.FeeRecipient.Address, FeeAmount: e18(3),
		ResolvesDispute: true, Deadline: big.NewInt(now.Add(time.Hour).Unix())}
	quorumOf := func(m escrow.Settle) [][]byte {
		digest, err := domainOf(f).Digest(m)
		if err != nil {
			t.Fatal(err)
		}
		sigs, err := escrow.Quorum(digest, []escrow.Approval{sign(t, digest, f.Custodians[0].Key), sign(t, digest, f.Custodians[2].Key)}, custodianAddrs(f), f.Threshold)
		if err != nil {
			t.Fatal(err)
		}
		return sigs
	}
	settle := func(m escrow.Settle, sigs [][]byte) func(*bind.TransactOpts) (*types.Transaction, error) {
		return func(o *bind.TransactOpts) (*types.Transaction, error) {
			return f.Escrow.Settle(o, escrowID, m.Binding(), sigs)
		}
	}
	submitter := f.Buyers[0]

	ordinary := s
	ordinary.ResolvesDispute = false
	expectRevert(t, ctx, f, submitter, "EscrowFrozen", settle(ordinary, quorumOf(ordinary)))
	// The resolution's signatures over other amounts (more to the buyer, less to the seller).
	sigs := quorumOf(s)
	greedy := s
	greedy.BuyerAmount, greedy.SellerAmount = e18(100), e18(97)
	expectRevert(t, ctx, f, submitter, "NotCustodian", settle(greedy, sigs))
	short := s
	short.SellerAmount = new(big.Int).Sub(s.SellerAmount, big.NewInt(1))
	expectRevert(t, ctx, f, submitter, "AmountMismatch", settle(short, quorumOf(short)))

	rcpt := mustWait(t, ctx, f, "settle")(settle(s, sigs)(f.Opts(ctx, submitter)))
	t.Logf("settle, 2-of-3, 18-decimal token: %d gas", rcpt.GasUsed)
	var ev *bindings.AmnEscrowSettled
	for _, l := range rcpt.Logs {
		if e, err := f.Escrow.ParseSettled(*l); err == nil && l.Address == f.Addresses.Escrow {
			ev = e
		}
	}
	if ev == nil || ev.EscrowId != escrowID || ev.Buyer != buyer.Address || ev.BuyerAmount.Cmp(s.BuyerAmount) != 0 ||
		ev.Seller != f.Seller.Address || ev.SellerAmount.Cmp(s.SellerAmount) != 0 || ev.FeeRecipient != f.FeeRecipient.Address ||
		ev.FeeAmount.Cmp(s.FeeAmount) != 0 || !ev.ResolvedDispute || ev.Token != token {
		t.Fatalf("Settled event %+v does not match the approved split %+v", ev, s)
	}
	for _, c := range []struct {
		who          string
		addr         common.Address
		before, part *big.Int
	}{{"buyer", buyer.Address, buyerBefore, s.BuyerAmount}, {"seller", f.Seller.Address, sellerBefore, s.SellerAmount},
		{"fee recipient", f.FeeRecipient.Address, feeBefore, s.FeeAmount}} {
		if got, want := balanceOf(t, ctx, f, token, c.addr), new(big.Int).Add(c.before, c.part); got.Cmp(want) != 0 {
			t.Errorf("%s holds %v after the settle, want %v", c.who, got, want)
		}
	}
	rec, err := f.Escrow.Escrows(&bind.CallOpts{Context: ctx}, escrowID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status != 5 || rec.Frozen {
		t.Fatalf("escrow status %d frozen %v after settle, want 5 (Settled), not frozen", rec.Status, rec.Frozen)
	}
	expectRevert(t, ctx, f, submitter, "NotOpen", settle(s, sigs))
}
