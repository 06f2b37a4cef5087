package torture

import (
	"context"
	"flag"
	"testing"
	"time"

	"github.com/amanat/amn/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var seedFlag = flag.Uint64("seed", 0, "torture seed (0: from the clock); the report prints it")

// TestTortureShort is the short torture run of `make test`: two anvil chains with a finality
// window of 16 blocks, payments of every shape, random reorgs 1–16 deep moving and dropping their
// transactions, indexer kills and a fault proxy; at the end the books must equal the ground truth
// computed from the final chains' logs, payment by payment.
func TestTortureShort(t *testing.T) {
	seed := *seedFlag
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (go test ./indexer/torture -run TestTortureShort -seed %d reproduces the driver's sequence)", seed, seed)
	pool := dbtest.Pool(t)
	// Deposit indices from 1000 on (never below: a second run in the same process, -count=2, goes
	// on from where the first stopped).
	if _, err := pool.Exec(context.Background(), `SELECT setval('deposit_index_seq', greatest(1000, (SELECT last_value FROM deposit_index_seq)))`); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), Config{Seed: seed, DB: pool, Window: 16, Blocks: 150, Payments: 14, Faults: 0.05, Progress: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Reorgs == 0 || rep.Restarts == 0 || rep.Credited == 0 {
		t.Errorf("the run did too little to show anything: %s", rep)
	}
	if len(rep.Differences) > 0 {
		for _, line := range rep.Trace {
			t.Log(line)
		}
		t.Errorf("%d differences between the books and the final chains (seed %d):\n%s", len(rep.Differences), seed, rep)
	}
}
