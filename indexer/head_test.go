package indexer

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/devnet"
)

func TestSafeDepthNeverBelowFloor(t *testing.T) {
	t.Parallel()
	c := chain.Chain{Key: "polygon", DepthFloor: 128}
	for _, tc := range []struct {
		latest, finalized, want uint64
	}{
		{latest: 100, finalized: 90, want: 0},     // chain younger than the floor: nothing is safe
		{latest: 1000, finalized: 990, want: 872}, // finalized tag shallower than the floor: the floor wins
		{latest: 1000, finalized: 500, want: 500}, // finality lagging (stalled): wait for it
		{latest: 128, finalized: 126, want: 0},
	} {
		if got := (Heads{Latest: tc.latest, Finalized: tc.finalized}).SafeDepth(c); got != tc.want {
			t.Errorf("SafeDepth(latest %d, finalized %d) = %d, want %d", tc.latest, tc.finalized, got, tc.want)
		}
	}
}

func TestHeadTrackerFollowsAnvil(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	node, err := devnet.StartAnvil(ctx, devnet.AnvilOptions{ChainID: 137, SlotsInEpoch: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Stop()
	client, err := ethclient.Dial(node.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	reg := prometheus.NewRegistry()
	c := chain.Chain{Key: "polygon", ID: 137}
	h := NewHeadTracker(c, client, time.Second, NewHeadMetrics(reg), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := h.Ready(ctx); err == nil {
		t.Fatal("ready before any poll")
	}
	if err := client.Client().CallContext(ctx, nil, "anvil_mine", "0xa"); err != nil {
		t.Fatal(err)
	}
	if err := h.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	got := h.Heads()
	// With one slot per epoch anvil finalizes head − 2.
	if got.Latest != 10 || got.Finalized != 8 {
		t.Fatalf("heads = %+v, want latest 10 finalized 8", got)
	}
	if err := h.Ready(ctx); err != nil {
		t.Fatalf("not ready after a good poll: %v", err)
	}
	if v := testutil.ToFloat64(h.metrics.latest.WithLabelValues("polygon")); v != 10 {
		t.Fatalf("amn_chain_head_block = %v", v)
	}

	node.Stop()
	if err := h.Poll(ctx); err == nil {
		t.Fatal("poll of a stopped node succeeded")
	}
	if err := h.Ready(ctx); err == nil {
		t.Fatal("still ready after the node went away")
	}
}

func TestFinalizedAgeGrowsWhileFinalityStalls(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	now := time.Unix(1_700_000_000, 0)
	h := NewHeadTracker(chain.Chain{Key: "polygon"}, nil, time.Second, NewHeadMetrics(reg), slog.New(slog.NewTextHandler(io.Discard, nil)))
	h.now = func() time.Time { return now }
	h.record(100, 50)
	now = now.Add(10 * time.Minute)
	h.record(400, 50) // head moves, finality does not
	if age := testutil.ToFloat64(h.metrics.finalizedAge.WithLabelValues("polygon")); age != 600 {
		t.Fatalf("finalized age = %v s, want 600", age)
	}
	h.record(401, 51)
	if age := testutil.ToFloat64(h.metrics.finalizedAge.WithLabelValues("polygon")); age != 0 {
		t.Fatalf("finalized age after advancing = %v s, want 0", age)
	}
}
