package indexer

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/amanat/amn/devnet"
)

// TestFollowNewHeadsWakesOnEveryBlock subscribes over anvil's WebSocket and expects a wake-up
// per mined block; with only HTTP endpoints it returns at once (the indexer polls).
func TestFollowNewHeadsWakesOnEveryBlock(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	node, err := devnet.StartAnvil(ctx, devnet.AnvilOptions{ChainID: 77})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Stop()
	done := make(chan struct{})
	go func() { FollowNewHeads(ctx, []string{node.URL}, make(chan struct{}), quiet); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("FollowNewHeads with HTTP endpoints only did not return")
	}
	wake := make(chan struct{}, 1)
	ws := "ws" + strings.TrimPrefix(node.URL, "http")
	go FollowNewHeads(ctx, []string{node.URL, ws}, wake, quiet)
	deadline := time.After(20 * time.Second)
	for i := 0; i < 3; i++ {
		// Mine until the wake-up comes (the subscription may not be up for the first block).
		tick := time.NewTicker(200 * time.Millisecond)
	wait:
		for {
			select {
			case <-wake:
				tick.Stop()
				break wait
			case <-tick.C:
				if _, err := devnetMine(ctx, node.URL); err != nil {
					t.Fatal(err)
				}
			case <-deadline:
				t.Fatalf("no wake-up %d from newHeads", i)
			}
		}
	}
}
