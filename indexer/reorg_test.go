package indexer

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// rawTx returns a mined transaction's signed bytes, to replay it in a reorg.
func rawTx(t *testing.T, e *env, h common.Hash) hexutil.Bytes {
	t.Helper()
	tx, _, err := e.f.Client.TransactionByHash(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	b, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// signedTransfer signs (without sending) a USDT transfer from buyer with the given nonce.
func signedTransfer(t *testing.T, e *env, buyer int, nonce uint64, to common.Address, amount int64) hexutil.Bytes {
	t.Helper()
	ctx := context.Background()
	a, err := bindings.ERC20MetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	data, err := a.Pack("transfer", to, big.NewInt(amount))
	if err != nil {
		t.Fatal(err)
	}
	head, err := e.f.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	token := e.f.Addresses.USDT
	tx, err := types.SignNewTx(e.f.Buyers[buyer].Key, types.LatestSignerForChainID(new(big.Int).SetUint64(e.f.ChainID)), &types.DynamicFeeTx{
		Nonce: nonce, GasTipCap: big.NewInt(1e9), GasFeeCap: new(big.Int).Add(big.NewInt(1e9), new(big.Int).Mul(head.BaseFee, big.NewInt(4))),
		Gas: 200_000, To: &token, Data: data,
	})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := tx.MarshalBinary()
	return b
}

func reorg(t *testing.T, e *env, depth int, pairs []any) {
	t.Helper()
	if pairs == nil {
		pairs = []any{}
	}
	if err := e.f.RPC.CallContext(context.Background(), nil, "anvil_reorg", depth, pairs); err != nil {
		t.Fatalf("anvil_reorg %d: %v", depth, err)
	}
}

// countTransfers counts a payment's ledger transfers by pending state (open, posted, voided).
func countTransfers(t *testing.T, e *env, p ledger.ID) map[string]int {
	t.Helper()
	// A deposit final when first seen is one posted transfer (no pending row): it counts as posted.
	rows, err := e.db.Query(context.Background(), `SELECT coalesce(s.state::text, 'posted'), count(*) FROM ledger_transfers t
		LEFT JOIN ledger_pending s ON s.transfer_id = t.id WHERE t.payment_ref = $1
		AND (s.transfer_id IS NOT NULL OR (t.code = $2 AND NOT t.pending AND NOT t.post_pending AND NOT t.void_pending)) GROUP BY 1`,
		p.String(), int(chart.CodeDeposit))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		out[s] = n
	}
	return out
}

// TestReorgsBeforeFinality removes, moves and replaces a payment's transaction with reorgs of
// depth 1 to 64, before finality: the orphaned observation is voided, the new branch's one (if
// any) detected and, once final, credited, never twice.
//
// All cases share one chain and are credited together at the end: anvil loses contract state
// when it reorgs a long chain (seen past ~1,000 blocks), so the chain is kept short.
func TestReorgsBeforeFinality(t *testing.T) {
	t.Parallel()
	const floor = 70 // deeper than every reorg here, so nothing is final when it happens
	f := newFixture(t, 137)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, floor), Options{})
	usdt := f.Addresses.USDT
	ctx := context.Background()
	type want struct {
		name   string
		p      *payment.Payment
		state  payment.State
		amount int64
		posted int
	}
	var wants []want
	for _, depth := range reorgDepths {
		for _, mode := range []string{"remove", "move", "replace"} {
			name := fmt.Sprintf("%s/depth%d", mode, depth)
			const due = 1_000_000
			p := e.newPayment(137, usdt, due)
			tx := e.payViaProxy(p, 0, due)
			if depth > 1 {
				mine(t, f, depth-1)
			}
			e.catchUp()
			if s := e.state(p); s != payment.Detected {
				t.Fatalf("%s: before the reorg: %s, want detected", name, s)
			}
			old := obsOf(t, e, tx)
			var pairs []any
			w := want{name, p, payment.AwaitingPayment, 0, 0}
			switch mode {
			case "move":
				// With the payment alone, a depth-1 move would rebuild the very same block (same
				// transactions, parent and timestamp: same hash), which is no reorg at all. An
				// unrelated transfer beside it makes the new block a different one.
				nonce, err := f.Client.PendingNonceAt(ctx, f.Buyers[1].Address)
				if err != nil {
					t.Fatal(err)
				}
				marker := signedTransfer(t, e, 1, nonce, common.HexToAddress("0x00000000000000000000000000000000000e7e77"), 1)
				pairs = []any{[]any{rawTx(t, e, tx), depth - 1}, []any{marker, depth - 1}}
				w.state, w.amount, w.posted = payment.Funded, due, 1
			case "replace":
				orig, _, err := f.Client.TransactionByHash(ctx, tx)
				if err != nil {
					t.Fatal(err)
				}
				pairs = []any{[]any{signedTransfer(t, e, 0, orig.Nonce(), p.Deposit, due/2), 0}}
				w.state, w.amount, w.posted = payment.Underpaid, due/2, 1
			}
			wants = append(wants, w)
			reorg(t, e, depth, pairs)
			if mode != "remove" {
				// A block on top. Without it (remove) the new branch has the followed one's
				// height, and only the tip check sees the reorg.
				mine(t, f, 1)
			}
			e.catchUp()
			if len(old) != 1 {
				t.Fatalf("%s: observations before the reorg: %+v", name, old)
			}
			for _, o := range obsOf(t, e, tx) {
				if o.Obs.BlockHash == old[0].Obs.BlockHash && o.State != StateOrphaned {
					t.Errorf("%s: old observation is %s, want orphaned", name, o.State)
				}
			}
			wantNow := payment.Detected
			if mode == "remove" {
				wantNow = payment.AwaitingPayment
			}
			if s := e.state(p); s != wantNow {
				t.Errorf("%s: after the reorg: %s, want %s", name, s, wantNow)
			}
		}
	}
	mine(t, f, floor+2)
	e.catchUp()
	for _, w := range wants {
		got, err := pay.Get(ctx, w.p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != w.state || got.Received.Int64() != w.amount || got.PendingCount != 0 {
			t.Errorf("%s: after finality: %s received %s pending %d, want %s received %d", w.name, got.State, got.Received, got.PendingCount, w.state, w.amount)
		}
		if c := countTransfers(t, e, w.p.ID); c["voided"] != 1 || c["posted"] != w.posted || c["open"] != 0 {
			t.Errorf("%s: ledger: %v, want 1 voided and %d posted", w.name, c, w.posted)
		}
	}
	if v := testutil.ToFloat64(e.m.reorgs.WithLabelValues("polygon", "17-64")); v != 6 {
		t.Errorf("reorgs 17-64 = %v, want 6", v)
	}
}

// TestReorgDeeperThanFinalityHalts credits a payment, then reorgs past it: crediting halts with
// the critical metric, the credited rows stay as they were, and nothing more is processed.
func TestReorgDeeperThanFinalityHalts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, 1)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, 2), Options{})
	p := e.newPayment(1, f.Addresses.USDT, 500_000)
	tx := e.payViaProxy(p, 1, 500_000)
	mine(t, f, 4)
	e.catchUp()
	if s := e.state(p); s != payment.Funded {
		t.Fatalf("state %s, want funded", s)
	}
	books := ledgerOf(t, pool, p.ID)
	reorg(t, e, 6, nil) // removes the payment's block, which was final
	mine(t, f, 1)
	var err error
	for range 5 {
		if _, err = e.ix.Step(ctx); err != nil {
			break
		}
	}
	if !errors.Is(err, ErrHalted) {
		t.Fatalf("step after a reorg of a credited block: %v, want ErrHalted", err)
	}
	if v := testutil.ToFloat64(e.m.halted.WithLabelValues("eth")); v != 1 {
		t.Errorf("amn_indexer_halted = %v", v)
	}
	cp, _, err := LoadCheckpoint(ctx, pool, 1)
	if err != nil || !cp.Halted || cp.HaltReason == "" {
		t.Fatalf("checkpoint %+v, %v: want halted with a reason", cp, err)
	}
	if o := obsOf(t, e, tx); len(o) != 1 || o[0].State != StateCredited {
		t.Errorf("credited observation rewritten: %+v", o)
	}
	if after := ledgerOf(t, pool, p.ID); after != books {
		t.Errorf("ledger changed after the halt:\n%s\nwas\n%s", after, books)
	}
	if _, err := e.ix.Step(ctx); !errors.Is(err, ErrHalted) {
		t.Errorf("second step: %v, want still halted", err)
	}
	// An operator resumes after looking: the indexer then carries on (and halts again, since the
	// credited block is still gone — the evidence does not go away by itself).
	if err := Resume(ctx, pool, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ix.Step(ctx); !errors.Is(err, ErrHalted) {
		t.Errorf("after resume: %v, want halted again", err)
	}
}

// reorgDepths are the reorg depths tried, deepest first while the chain is short.
var reorgDepths = []int{64, 33, 16, 7, 3, 2, 1}
