package signer

import (
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/indexer"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// askSweeps runs the worker's sweep job for each payment (as the indexer's credit enqueues it)
// and returns the sweep intents, in order. Nothing is signed yet: the signer's next tick finds
// them all.
func (w *world) askSweeps(ps ...*payment.Payment) []uuid.UUID {
	w.t.Helper()
	sw := &intent.SweepWorker{Intents: w.intents, Escrow: func(uint64) common.Address { return w.f.Addresses.Escrow }, Log: testLog(w.t)}
	ids := make([]uuid.UUID, len(ps))
	for i, p := range ps {
		if err := sw.Work(w.ctx, &river.Job[payment.SweepArgs]{Args: payment.SweepArgs{PaymentID: p.ID.String()}}); err != nil {
			w.t.Fatal(err)
		}
		ids[i] = w.mustOpen(p.ID)
	}
	return ids
}

// batchRows are the attempts of sweep batches in the world's database, oldest first.
func (w *world) batchRows() []txRow {
	w.t.Helper()
	rows, err := w.admin.Query(w.ctx, `SELECT id, intent_id, nonce, hash, raw, state FROM signer_txs WHERE step = 'sweep_batch' ORDER BY id`)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	var out []txRow
	for rows.Next() {
		var r txRow
		var nonce int64
		var hash string
		if err := rows.Scan(&r.ID, &r.IntentID, &nonce, &hash, &r.Raw, &r.State); err != nil {
			w.t.Fatal(err)
		}
		r.Nonce, r.Hash = uint64(nonce), common.HexToHash(hash)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		w.t.Fatal(err)
	}
	return out
}

// indexUntilInEscrow steps the platform's indexer until every payment is in_escrow: the Funded
// events of the batch, booked by the indexer (payment.Swept), move them. It returns the indexer.
func (w *world) indexUntilInEscrow(ps []*payment.Payment) *indexer.Indexer {
	w.t.Helper()
	ix := w.indexer()
	deadline := time.Now().Add(waitLimit)
	for {
		if _, err := ix.Step(w.ctx); err != nil {
			w.t.Logf("indexer step: %v", err)
		}
		left := 0
		for _, p := range ps {
			cur, err := w.payments.Get(w.ctx, p.ID)
			if err != nil {
				w.t.Fatal(err)
			}
			if cur.State != payment.InEscrow {
				left++
			}
		}
		if left == 0 {
			return ix
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%d payments not in_escrow at the deadline", left)
		}
		time.Sleep(50 * time.Millisecond) // a poll interval: blocks come from the ticker
	}
}

// checkEscrows asserts each payment's escrow on chain: open, the payment's token, buyer, seller
// and exactly what it received.
func (w *world) checkEscrows(ps []*payment.Payment) {
	w.t.Helper()
	for i, p := range ps {
		rec, err := w.f.Escrow.Escrows(&bind.CallOpts{Context: w.ctx}, p.EscrowID())
		if err != nil {
			w.t.Fatal(err)
		}
		if rec.Status != escrowOpen || rec.Token != w.f.Addresses.USDT || rec.Buyer != w.f.Buyers[0].Address ||
			rec.Seller != w.f.Seller.Address || rec.Amount.Cmp(p.Received) != 0 {
			w.t.Fatalf("payment %d: escrow %+v; want open, %s USDT for buyer %s, seller %s", i, rec, p.Received,
				w.f.Buyers[0].Address.Hex(), w.f.Seller.Address.Hex())
		}
	}
}

// TestSweepBatchEndToEnd is issue 22's acceptance 3 through the platform: on anvil (Prague), ten
// payments paid through the fee proxy and credited, ten sweep intents from the worker's job, and
// the signer sweeps them all in ONE transaction of the gas tank (its nonce moves by one; one
// batch row, ten members, ten authorizations). Every escrow holds its payment's parties, token
// and amount; the indexer books each Funded (payments in_escrow); the worker books the batch's gas
// once — the members' shares add up to gas used × price, the tank's ledger account moved exactly
// as its balance on chain — and booking again books nothing; reconciliation finds nothing.
func TestSweepBatchEndToEnd(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newBatchWorld(t, nil)
	ctx, f := w.ctx, w.f
	sw, err := bindings.NewAmnSweeper(w.chain.Sweeper, f.Client)
	if err != nil {
		t.Fatal(err)
	}
	if g, err := sw.ENTRYGAS(&bind.CallOpts{Context: ctx}); err != nil || g.Uint64() != sweeperEntryGas {
		t.Fatalf("AmnSweeper.ENTRY_GAS %v (%v); the signer's batch gas assumes %d", g, err, sweeperEntryGas)
	}
	tank := w.keys.OperatorAddress()
	ps := make([]*payment.Payment, 10)
	for i := range ps {
		ps[i] = w.paid(int64(10_000_000 + i*1_000_003))
	}
	ids := w.askSweeps(ps...)
	tankNonce := w.nonce(tank)
	tankBefore, err := f.Client.BalanceAt(ctx, tank, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		w.until(id, intent.Done)
	}

	// One transaction: the tank's nonce, one batch row, ten members.
	if n := w.nonce(tank); n != tankNonce+1 {
		t.Fatalf("the gas tank made %d transactions for ten sweeps; want one", n-tankNonce)
	}
	rows := w.batchRows()
	if len(rows) != 1 || rows[0].State != "confirmed" {
		t.Fatalf("batch attempts %+v; want one, confirmed", rows)
	}
	var members []uuid.UUID
	if err := w.admin.QueryRow(ctx, `SELECT array_agg(intent_id ORDER BY intent_id) FROM signer_batch_members WHERE nonce = $1`, int64(rows[0].Nonce)).Scan(&members); err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(ids)
	slices.SortFunc(want, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	if !slices.Equal(members, want) {
		t.Fatalf("batch members %v; want the ten sweeps %v", members, want)
	}
	r, err := f.Client.TransactionReceipt(ctx, rows[0].Hash)
	if err != nil || r.Status != types.ReceiptStatusSuccessful || r.Type != types.SetCodeTxType {
		t.Fatalf("batch receipt %+v (%v); want a successful set-code transaction", r, err)
	}
	var sent types.Transaction
	if err := sent.UnmarshalBinary(rows[0].Raw); err != nil || len(sent.SetCodeAuthorizations()) != 10 {
		t.Fatalf("the batch carries %d authorizations (%v); want ten", len(sent.SetCodeAuthorizations()), err)
	}
	for _, p := range ps {
		if got := w.usdt(p.Deposit); got.Sign() != 0 {
			t.Fatalf("deposit %s still holds %s USDT", p.Deposit.Hex(), got)
		}
		// The deposit signed no transaction: its nonce moved by its authorization alone.
		if n := w.nonce(p.Deposit); n != 1 {
			t.Fatalf("deposit %s nonce %d; want 1", p.Deposit.Hex(), n)
		}
	}
	w.checkEscrows(ps)
	// Each member shows the batch as its one transaction (amn admin intents).
	for _, id := range ids {
		txs := w.mustTxs(id)
		if len(txs) != 1 || txs[0].Step != StepSweepBatch || txs[0].Hash != strings.ToLower(rows[0].Hash.Hex()) || txs[0].State != "confirmed" {
			t.Fatalf("intent %s shows attempts %+v; want the batch", id, txs)
		}
	}

	// The indexer books each Funded: the payments reach in_escrow.
	ix := w.indexUntilInEscrow(ps)

	// The books: the batch's gas once, split over the ten (intent.BatchGasShare).
	if _, err := w.intents.BookGas(ctx, 0); err != nil {
		t.Fatal(err)
	}
	cost := new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
	books := ledger.New(w.admin)
	sum, onIntents := new(big.Int), new(big.Int)
	for _, id := range ids {
		tr, err := books.LookupTransfer(ctx, ledger.DeriveID("gas\x00"+id.String()+"\x00gas\x00"+strings.ToLower(rows[0].Hash.Hex())))
		if err != nil {
			t.Fatalf("intent %s: its share of the batch's gas is not booked: %v", id, err)
		}
		if share := intent.BatchGasShare(cost, members, rows[0].IntentID, id); tr.Amount.Cmp(share) != 0 {
			t.Fatalf("intent %s booked %s; its share is %s", id, tr.Amount, share)
		}
		sum.Add(sum, tr.Amount)
		in, err := w.intents.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		onIntents.Add(onIntents, in.GasCost)
	}
	if sum.Cmp(cost) != 0 || onIntents.Cmp(cost) != 0 {
		t.Fatalf("members' shares: %s booked, %s on the intents; the batch cost %s (gas %d × %s)", sum, onIntents, cost, r.GasUsed, r.EffectiveGasPrice)
	}
	const native = "bsc:BNB"
	tankAfter, err := f.Client.BalanceAt(ctx, tank, nil)
	if err != nil {
		t.Fatal(err)
	}
	spent := new(big.Int).Sub(tankBefore, tankAfter)
	if got := w.ledgerPosted(chart.GasTank(native, tank)); new(big.Int).Neg(got).Cmp(spent) != 0 {
		t.Fatalf("the tank's ledger account holds %s; the tank spent %s on chain", got, spent)
	}
	for _, p := range ps {
		if _, err := books.Account(ctx, chart.GasHeld(native, p.Deposit)); !errors.Is(err, ledger.ErrAccountNotFound) {
			t.Fatalf("deposit %s has a gas account (%v): no top-up, no deposit gas, no dust on the batch path", p.Deposit.Hex(), err)
		}
	}
	var transfers int
	count := func() int {
		var n int
		if err := w.admin.QueryRow(ctx, `SELECT count(*) FROM ledger_transfers`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	transfers = count()
	if n, err := w.intents.BookGas(ctx, 0); err != nil || n != 0 || count() != transfers {
		t.Fatalf("booking again booked %d intents (%v), %d transfers", n, err, count()-transfers)
	}
	if v, err := ledger.Check(ctx, w.admin); err != nil || v != nil {
		t.Fatalf("ledger check: %v %v", v, err)
	}

	// amn indexer reconcile's entry point: books and chain agree.
	rec, err := ix.Reconcile(ctx)
	for deadline := time.Now().Add(30 * time.Second); errors.Is(err, indexer.ErrNotReconcilable) && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		_, _ = ix.Step(ctx)
		rec, err = ix.Reconcile(ctx)
	}
	if err != nil || len(rec.Mismatches) != 0 || rec.Checked == 0 {
		t.Fatalf("reconcile: %+v, %v", rec, err)
	}
}

// A dust front-run of the batch: once the signer has signed the batch and before it is sent,
// someone sends one unit of the token and one wei to a deposit of it. The batch's entry carries
// the amount the books say the payment received, so the escrow records exactly that, not the
// deposit's balance: the indexer books the Funded (the payment is in_escrow) and the dust stays on
// the deposit. (With the deposit's whole balance swept, the escrow would hold received + 1 and
// payment.Swept would refuse it.)
func TestSweepBatchDustFrontRunFundsTheBooksAmount(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newBatchWorld(t, nil)
	ctx, f := w.ctx, w.f
	ps := []*payment.Payment{w.paid(21_000_000), w.paid(22_000_000)}
	victim := ps[1]
	griefer := newAccount(t, w)
	if _, err := f.Wait(ctx)(f.USDT.Transfer(f.Opts(ctx, f.Buyers[1]), griefer.Address, big.NewInt(1))); err != nil {
		t.Fatal(err)
	}
	dusted := false
	w.signer.afterSign = func(step string) error {
		if step != StepSweepBatch || dusted {
			return nil
		}
		dusted = true
		if _, err := f.Wait(ctx)(f.USDT.Transfer(f.Opts(ctx, griefer), victim.Deposit, big.NewInt(1))); err != nil {
			return err
		}
		_, err := f.Send(ctx, griefer, victim.Deposit, nil, big.NewInt(1))
		return err
	}
	ids := w.askSweeps(ps...)
	for _, id := range ids {
		w.until(id, intent.Done)
	}
	if !dusted {
		t.Fatal("the batch was never signed")
	}
	w.checkEscrows(ps)
	if got := w.usdt(victim.Deposit); got.Cmp(big.NewInt(1)) != 0 {
		t.Fatalf("the dusted deposit holds %s USDT; want the 1 dust unit left there", got)
	}
	if got, err := f.Client.BalanceAt(ctx, victim.Deposit, nil); err != nil || got.Cmp(big.NewInt(1)) != 0 {
		t.Fatalf("the dusted deposit holds %v wei (%v); want the 1 wei of dust", got, err)
	}
	w.indexUntilInEscrow(ps)
	sweep, err := ledger.New(w.admin).LookupTransfer(ctx, ledger.DeriveID("payment/sweep\x00"+victim.ID.String()))
	if err != nil || sweep.Amount.Cmp(victim.Received) != 0 {
		t.Fatalf("the ledger's sweep of the dusted payment: %+v, %v; want %s", sweep, err, victim.Received)
	}
}

// A batch priced too low to be mined is re-signed at the same tank nonce with higher fees, the
// same call data and the SAME authorizations (the deposits' nonces they name have not moved), under
// the same carrier; one attempt is mined, once, and every sweep is done.
func TestSweepBatchReplacedKeepsItsAuthorizations(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newBatchWorld(t, func(c *Config) { c.Chains[0].StuckAfter = 300 * time.Millisecond })
	w.signer.feeOverride = func(step string, attempt int, tip, feeCap *big.Int) (*big.Int, *big.Int) {
		if step == StepSweepBatch && attempt == 1 {
			return big.NewInt(1), big.NewInt(1) // 1 wei: below any base fee
		}
		return tip, feeCap
	}
	w.restartKeepingHooks()
	tank := w.keys.OperatorAddress()
	ps := []*payment.Payment{w.paid(31_000_000), w.paid(32_000_000), w.paid(33_000_000)}
	ids := w.askSweeps(ps...)
	before := w.nonce(tank)
	for _, id := range ids {
		w.until(id, intent.Done)
	}
	rows := w.batchRows()
	if len(rows) < 2 || rows[0].State != "replaced" || rows[len(rows)-1].State != "confirmed" {
		t.Fatalf("batch attempts %+v; want the first replaced, the last confirmed", rows)
	}
	var first types.Transaction
	if err := first.UnmarshalBinary(rows[0].Raw); err != nil {
		t.Fatal(err)
	}
	mined := 0
	for i, r := range rows {
		var tx types.Transaction
		if err := tx.UnmarshalBinary(r.Raw); err != nil {
			t.Fatal(err)
		}
		if r.Nonce != rows[0].Nonce || r.IntentID != rows[0].IntentID || !slices.Equal(tx.Data(), first.Data()) ||
			!slices.Equal(tx.SetCodeAuthorizations(), first.SetCodeAuthorizations()) || len(tx.SetCodeAuthorizations()) != 3 {
			t.Fatalf("attempt %d: nonce %d, carrier %s, %d authorizations; want the first's nonce %d, carrier %s, payload and 3 authorizations",
				i+1, r.Nonce, r.IntentID, len(tx.SetCodeAuthorizations()), rows[0].Nonce, rows[0].IntentID)
		}
		if i > 0 && tx.GasFeeCap().Cmp(new(big.Int).Div(new(big.Int).Mul(first.GasFeeCap(), big.NewInt(110)), big.NewInt(100))) < 0 {
			t.Fatalf("attempt %d's fee cap %s is not 10%% above the first's %s", i+1, tx.GasFeeCap(), first.GasFeeCap())
		}
		if _, err := w.f.Client.TransactionReceipt(w.ctx, r.Hash); err == nil {
			mined++
		}
	}
	if mined != 1 {
		t.Fatalf("%d attempts of the batch mined; want one", mined)
	}
	if n := w.nonce(tank); n != before+1 {
		t.Fatalf("the tank's nonce moved by %d; want one", n-before)
	}
	w.checkEscrows(ps)
	found := false
	for _, e := range w.auditEvents(ids[0]) {
		found = found || e == AuditReplaced
	}
	for _, e := range w.auditEvents(ids[1]) {
		found = found || e == AuditReplaced
	}
	for _, e := range w.auditEvents(ids[2]) {
		found = found || e == AuditReplaced
	}
	if !found {
		t.Fatal("no replaced event in the members' audit")
	}
}

// A member the batch skips (SweepFailed) is rejected with the reason, from the receipt; the other
// members are done. Here the deposit's key (which the test holds: the public test mnemonic)
// moves the deposit's nonce and its money after the batch was signed, so the deposit's
// authorization no longer applies and its entry fails. Its payment stays sweeping; once its money
// is back, `amn admin sweep` (SweepDue) asks again and the next batch — of one deposit,
// with a fresh authorization at the deposit's new nonce — sweeps it.
func TestSweepBatchSkippedMemberIsRejectedThenSweptAgain(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newBatchWorld(t, nil)
	ctx, f := w.ctx, w.f
	ps := []*payment.Payment{w.paid(41_000_000), w.paid(42_000_000)}
	victim := ps[1]
	key, err := w.keys.Ring.PrivateKey(victim.DepositIndex)
	if err != nil {
		t.Fatal(err)
	}
	holder := devnet.Account{Address: victim.Deposit, Key: key}
	moved := false
	w.signer.afterSign = func(step string) error {
		if step != StepSweepBatch || moved {
			return nil
		}
		moved = true
		if err := f.SetBalance(ctx, victim.Deposit, big.NewInt(1e16)); err != nil {
			return err
		}
		_, err := f.Wait(ctx)(f.USDT.Transfer(f.Opts(ctx, holder), f.Buyers[1].Address, victim.Received))
		return err
	}
	ids := w.askSweeps(ps...)
	w.until(ids[0], intent.Done)
	in := w.until(ids[1], intent.Rejected)
	if !strings.Contains(in.Reason, "skipped deposit "+victim.Deposit.Hex()) || !strings.Contains(in.Reason, "amn admin sweep") {
		t.Fatalf("rejected with %q; want the batch's skip of the deposit", in.Reason)
	}
	w.checkEscrows(ps[:1])
	if st, _ := w.escrowRecord(victim.ID); st != 0 {
		t.Fatalf("the skipped payment's escrow has status %d; want none", st)
	}
	if p, err := w.payments.Get(ctx, victim.ID); err != nil || p.State != payment.Sweeping {
		t.Fatalf("the skipped payment is %v (%v); want sweeping", p.State, err)
	}

	// The money comes back; the admin asks again; the next batch sweeps it.
	if _, err := f.Wait(ctx)(f.USDT.Transfer(f.Opts(ctx, f.Buyers[1]), victim.Deposit, victim.Received)); err != nil {
		t.Fatal(err)
	}
	w.signer.afterSign = nil
	due, err := w.intents.SweepDue(ctx, f.ChainID, func(uint64) (common.Address, error) { return f.Addresses.Escrow, nil }, false)
	if err != nil || len(due) != 1 || due[0].PaymentID != victim.ID.String() || due[0].Intent == "" {
		t.Fatalf("sweep due: %+v, %v; want the skipped payment", due, err)
	}
	again, err := uuid.Parse(due[0].Intent)
	if err != nil {
		t.Fatal(err)
	}
	w.until(again, intent.Done)
	w.checkEscrows(ps)
	w.indexUntilInEscrow(ps)
}

// The custody boundary on the batch path: the signer takes no row another role can write as its
// own. The database's owner (a) makes a sweep a member of a batch signed for others
// (signer_batch_members), and (b) changes the seller of a member whose batch is out: each is held
// against the sweep's own entry in the batch's call data and rejected. Nothing is signed for them,
// the tank makes no other transaction, and the honest member is done.
func TestSweepBatchForgedMembershipSignsNothing(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newBatchWorld(t, nil)
	ctx, f := w.ctx, w.f
	tank := w.keys.OperatorAddress()
	honest, changed, stowaway := w.paid(51_000_000), w.paid(52_000_000), w.paid(53_000_000)
	attacker := newAccount(t, w)
	var batchNonce int64 = -1
	var stowID uuid.UUID
	w.signer.afterSign = func(step string) error {
		if step != StepSweepBatch || batchNonce >= 0 {
			return nil
		}
		if err := w.admin.QueryRow(ctx, `SELECT nonce FROM signer_txs WHERE step = 'sweep_batch'`).Scan(&batchNonce); err != nil {
			return err
		}
		// (b): the seller of a member, changed once the batch is signed.
		if _, err := w.admin.Exec(ctx, `UPDATE signer_intents SET seller = $2 WHERE payment_id = $1`, changed.ID, hexAddr(attacker.Address)); err != nil {
			return err
		}
		// (a): a sweep in no batch, made a member of this one.
		stowID = w.askSweeps(stowaway)[0]
		_, err := w.admin.Exec(ctx, `INSERT INTO signer_batch_members (chain_id, sender, nonce, intent_id) VALUES ($1, $2, $3, $4)`,
			f.ChainID, hexAddr(tank), batchNonce, stowID)
		return err
	}
	ids := w.askSweeps(honest, changed)
	before := w.nonce(tank)
	w.until(ids[0], intent.Done)
	in := w.until(ids[1], intent.Rejected)
	if !strings.Contains(in.Reason, "does not match the sweep") {
		t.Fatalf("the changed member was rejected with %q; want its entry held against the batch", in.Reason)
	}
	stow := w.until(stowID, intent.Rejected)
	if stow.State != intent.Rejected || !strings.Contains(stow.Reason, "entries for the sweep's deposit") {
		t.Fatalf("the stowaway is %s: %q; want rejected, its deposit not in the batch", stow.State, stow.Reason)
	}
	if n := w.nonce(tank); n != before+1 {
		t.Fatalf("the tank made %d transactions; want the one batch", n-before)
	}
	if rows := w.batchRows(); len(rows) != 1 {
		t.Fatalf("%d batch attempts; want one", len(rows))
	}
	for _, p := range []*payment.Payment{stowaway} {
		if st, _ := w.escrowRecord(p.ID); st != 0 {
			t.Fatalf("the stowaway's escrow has status %d; want none", st)
		}
	}
	// The changed member's escrow holds what the signer signed: the payment's seller.
	w.checkEscrows([]*payment.Payment{honest, changed})
}

// A native payment and a token payment in one batch: the native deposit's entry sends exactly the
// books' amount through fundNative (one wei of dust sent to it after signing stays there), the
// token's its amount; both escrows hold exactly what their payments received, and the indexer
// books both.
func TestSweepBatchNativeAndTokenTogether(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newBatchWorld(t, nil)
	ctx, f := w.ctx, w.f
	native := w.paidNative(big.NewInt(4e16)) // 0.04 BNB
	token := w.paid(61_000_000)
	dusted := false
	w.signer.afterSign = func(step string) error {
		if step != StepSweepBatch || dusted {
			return nil
		}
		dusted = true
		_, err := f.Send(ctx, f.Buyers[1], native.Deposit, nil, big.NewInt(1))
		return err
	}
	ids := w.askSweeps(native, token)
	for _, id := range ids {
		w.until(id, intent.Done)
	}
	if rows := w.batchRows(); len(rows) != 1 {
		t.Fatalf("%d batch attempts; want one batch for both", len(rows))
	}
	rec, err := f.Escrow.Escrows(&bind.CallOpts{Context: ctx}, native.EscrowID())
	if err != nil || rec.Status != escrowOpen || rec.Token != (common.Address{}) || rec.Amount.Cmp(native.Received) != 0 ||
		rec.Buyer != f.Buyers[0].Address || rec.Seller != f.Seller.Address {
		t.Fatalf("native escrow %+v (%v); want open, native, %s", rec, err, native.Received)
	}
	if got := w.native(native.Deposit); got.Cmp(big.NewInt(1)) != 0 {
		t.Fatalf("the native deposit holds %s wei; want the 1 wei of dust (no gas dust: the tank paid)", got)
	}
	w.checkEscrows([]*payment.Payment{token})
	w.indexUntilInEscrow([]*payment.Payment{native, token})
}

// A sweeper that does not name this signer's tank as its operator (a configuration mistake) gets
// no batch: its sweeps are rejected with the reason and the tank signs nothing.
func TestSweepBatchRefusesAnotherOperatorsSweeper(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newBatchWorld(t, nil)
	other := newAccount(t, w)
	wrong, err := w.f.DeploySweeper(w.ctx, other.Address)
	if err != nil {
		t.Fatal(err)
	}
	w.cfg.Chains[0].Sweeper = wrong
	w.restart()
	tank := w.keys.OperatorAddress()
	before := w.nonce(tank)
	p := w.paid(71_000_000)
	in := w.until(w.askSweeps(p)[0], intent.Rejected)
	if !strings.Contains(in.Reason, "operator "+other.Address.Hex()) {
		t.Fatalf("rejected with %q; want the sweeper's operator named", in.Reason)
	}
	if n := w.nonce(tank); n != before {
		t.Fatalf("the tank made %d transactions", n-before)
	}
	if rows := w.batchRows(); len(rows) != 0 {
		t.Fatalf("%d batch attempts stored", len(rows))
	}
	if got := w.usdt(p.Deposit); got.Cmp(p.Received) != 0 {
		t.Fatalf("the deposit holds %s; want its %s untouched", got, p.Received)
	}
}
