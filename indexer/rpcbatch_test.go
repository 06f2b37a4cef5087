package indexer

import (
	"context"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/payment"
)

// rpcRequests is how many JSON-RPC requests the env's pool sent for method (a batch counts once,
// as "batch"; a batch of blocks as "eth_getBlockByNumber").
func rpcRequests(t *testing.T, e *env, method string) float64 {
	t.Helper()
	mfs, err := e.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var n float64
	for _, mf := range mfs {
		if mf.GetName() != "amn_rpc_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			if label(m, "method") == method {
				n += m.GetCounter().GetValue()
			}
		}
	}
	return n
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// TestNativeReceiptsInOneBatch: the receipts of a step's native deposits (a reverted transaction
// moves no value, so each is checked) are read in one JSON-RPC batch, not one call each.
func TestNativeReceiptsInOneBatch(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 16) // a chain of its own: reconciliation elsewhere looks at every payment on a chain
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, 3), Options{})
	var ps []*payment.Payment
	for i := range 3 {
		p := e.newPayment(16, chain.NativeToken, 1_000_000_000)
		e.sendNative(p.Deposit, i%2, 1_000_000_000)
		ps = append(ps, p)
	}
	mine(t, f, 5)
	e.catchUp()
	for _, p := range ps {
		if s := e.state(p); s != payment.Funded {
			t.Fatalf("native payment %s: %s, want funded", p.ID, s)
		}
	}
	if n := rpcRequests(t, e, "eth_getTransactionReceipt"); n != 0 {
		t.Errorf("%v eth_getTransactionReceipt calls, want the receipts in a batch", n)
	}
	if n := rpcRequests(t, e, "batch"); n != 1 {
		t.Errorf("%v batches, want the three receipts in one", n)
	}
}

// TestCanonicalHashesOfSparseBlocks: final observations far apart (whose blocks are not worth
// reading as one range) have their blocks' hashes read in one batch, and they are the node's.
func TestCanonicalHashesOfSparseBlocks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, 18)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, 3), Options{})
	// Spread over more than 500 blocks: too far apart to be read as one range.
	mine(t, f, 620)
	nums := []uint64{3, 300, 600}
	var obs []observation
	for _, n := range nums {
		var o observation
		o.Obs.BlockNumber = n
		obs = append(obs, o)
	}
	before := rpcRequests(t, e, "eth_getBlockByNumber")
	got, err := e.ix.canonicalHashes(ctx, obs)
	if err != nil {
		t.Fatal(err)
	}
	if n := rpcRequests(t, e, "eth_getBlockByNumber") - before; n != 1 {
		t.Errorf("%v requests for three sparse blocks, want one batch", n)
	}
	for _, n := range nums {
		bs, err := e.rpc.Blocks(ctx, n, n, false)
		if err != nil {
			t.Fatal(err)
		}
		if got[n] != bs[0].Hash || got[n] == ([32]byte{}) {
			t.Errorf("block %d: %s, the node has %s", n, got[n].Hex(), bs[0].Hash.Hex())
		}
	}
	if len(got) != len(nums) {
		t.Errorf("%d hashes, want %d", len(got), len(nums))
	}
}
