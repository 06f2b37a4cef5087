package intent_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/signer"
)

// Watch hands every reading of an intent to its caller until the intent closes, and returns the
// last reading when its context ends first.
func TestWatchFollowsAnIntentUntilItCloses(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool := dbtest.Pool(t)
	d, _ := hd.ParseXpub(anvilXpub)
	s := payment.New(pool, d)
	store := intent.NewStore(pool, s, signer.TxRecord{})
	in, _, err := store.CreateSweep(ctx, funded(t, s, true).ID, escrow)
	if err != nil {
		t.Fatal(err)
	}

	// Not closing: the context ends it, with the last reading.
	short, stop := context.WithTimeout(ctx, 300*time.Millisecond)
	defer stop()
	readings := 0
	last, err := store.Watch(short, in.ID, 50*time.Millisecond, func(intent.Progress) { readings++ })
	if !errors.Is(err, context.DeadlineExceeded) || last.Intent == nil || last.Intent.State != intent.Pending || readings < 2 {
		t.Fatalf("watch of an open intent until the deadline: %v, last %+v, %d readings", err, last.Intent, readings)
	}

	// Closed while watched (the signer rejects it): the reading that shows it is the last.
	go func() {
		time.Sleep(150 * time.Millisecond)
		_, _ = pool.Exec(ctx, `UPDATE signer_intents SET state = 'rejected', reason = 'test' WHERE id = $1`, in.ID)
	}()
	var states []intent.State
	last, err = store.Watch(ctx, in.ID, 20*time.Millisecond, func(p intent.Progress) { states = append(states, p.Intent.State) })
	if err != nil || last.Intent.State != intent.Rejected || last.Intent.Reason != "test" {
		t.Fatalf("watch until rejected: %v, last %+v", err, last.Intent)
	}
	if states[0] != intent.Pending || states[len(states)-1] != intent.Rejected {
		t.Fatalf("readings %v: want pending first, rejected last", states)
	}
}
