package market_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
)

// openReleases is a market.OpenReleases answering open.
type openReleases struct{ open bool }

func (o *openReleases) HasOpenRelease(context.Context, uuid.UUID) (bool, error) { return o.open, nil }

// confirmedInEscrow is a deal whose buyer confirmed receipt, its payment in the escrow: the
// request is confirming with its first market_release job.
func (w *world) confirmedInEscrow(t *testing.T, c chainRoles, f *market.Service) deal {
	t.Helper()
	ctx := context.Background()
	d := w.paid(t, c, f)
	c.escrow(t, d.p)
	if _, err := w.m.Ship(ctx, d.seller, d.r.ID, market.ShipInput{Carrier: "DHL", Tracking: "1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.m.Deliver(ctx, d.seller, d.r.ID); err != nil {
		t.Fatal(err)
	}
	if r, err := w.m.Confirm(ctx, d.buyer, d.r.ID); err != nil || r.Status != market.Confirming {
		t.Fatalf("confirm: %+v, %v", r, err)
	}
	return d
}

// reasked follows once and checks how many stalled releases it asked for again and how many
// market_release jobs the request then has.
func (w *world) reasked(t *testing.T, f *market.Service, d deal, want, wantJobs int) {
	t.Helper()
	res, err := f.Follow(context.Background(), 100)
	if err != nil || res.Reasked != want || len(res.Refused) != 0 {
		t.Fatalf("follow: %+v, %v; want %d re-asked", res, err, want)
	}
	n := 0
	for _, j := range w.jobs(t, d.r.ID) {
		if j.Kind == "market_release" {
			n++
		}
	}
	if n != wantJobs {
		t.Fatalf("%d market_release jobs, want %d: %s", n, wantJobs, kinds(w.jobs(t, d.r.ID)))
	}
}

// completeJobs marks the request's jobs completed, as River does once they ran.
func (w *world) completeJobs(t *testing.T, d deal) {
	t.Helper()
	if _, err := w.owner.Exec(context.Background(), `UPDATE river_job SET state = 'completed', finalized_at = now()
		WHERE args->>'request_id' = $1 AND state <> 'completed'`, d.r.ID.String()); err != nil {
		t.Fatal(err)
	}
}

// A release that stalls with money in escrow is asked for again by market_follow, although the
// first market_release completed: when its transaction reverted (the payment back in_escrow) and
// when its intent expired unapproved (release_pending with no open intent). While a release job
// waits, or the release intent is open, nothing more is inserted.
func TestFollowAsksAgainForAStalledRelease(t *testing.T) {
	w := newWorld(t, nil)
	c, open := roles(t), &openReleases{}
	f := follower(t).WithOpenReleases(open)
	d := w.confirmedInEscrow(t, c, f)
	ctx := context.Background()
	w.reasked(t, f, d, 0, 1) // the confirm's job still waits

	// The job ran: the payment is release_pending with an open intent.
	owner := payment.New(dbtest.Pool(t), nil)
	if _, err := owner.RequestRelease(ctx, d.p.ID, "market:"+d.r.ID.String(), "confirmed"); err != nil {
		t.Fatal(err)
	}
	w.completeJobs(t, d)
	open.open = true
	w.reasked(t, f, d, 0, 1)

	// Submitted, then reverted: the payment is back in escrow.
	if _, err := owner.StartRelease(ctx, d.p.ID); err != nil {
		t.Fatal(err)
	}
	w.reasked(t, f, d, 0, 1) // releasing: under way
	if p, err := owner.ReleaseFailed(ctx, d.p.ID, "reverted"); err != nil || p.State != payment.InEscrow {
		t.Fatalf("release failed: %v, %v", p, err)
	}
	w.reasked(t, f, d, 1, 2)
	w.reasked(t, f, d, 0, 2) // the new job waits: no third

	// The new job asked; its intent expired unapproved, the payment stays release_pending.
	if _, err := owner.RequestRelease(ctx, d.p.ID, "market:"+d.r.ID.String(), "confirmed"); err != nil {
		t.Fatal(err)
	}
	w.completeJobs(t, d)
	w.reasked(t, f, d, 0, 2) // the intent is open
	open.open = false
	w.reasked(t, f, d, 1, 3)

	// Without an OpenReleases a release_pending payment is left alone (the worker without
	// escrow contracts asks for no intents).
	w.completeJobs(t, d)
	w.reasked(t, follower(t), d, 0, 3)
	if s := w.status(t, d.r); s != market.Confirming {
		t.Fatalf("status %s", s)
	}
}
