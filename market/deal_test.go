package market_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
)

// deal is a paid request (processing) with its buyer and the seller of its accepted offer.
type deal struct {
	buyer, seller market.Caller
	r             *market.Request
	p             *payment.Payment
}

// paid makes a deal whose payment is funded and followed: the request is processing.
func (w *world) paid(t *testing.T, c chainRoles, f *market.Service) deal {
	t.Helper()
	d := deal{buyer: w.user(t), seller: w.user(t)}
	d.r = w.request(t, d.buyer)
	o := w.offer(t, d.r, d.seller, 1_000_000)
	a, err := w.m.Accept(context.Background(), d.buyer, d.r.ID, o.ID, o.Revision)
	if err != nil {
		t.Fatal(err)
	}
	d.p = a.Payment
	c.deposit(t, d.p, 1_000_000, payment.Funded)
	if _, err := f.Follow(context.Background(), 100); err != nil {
		t.Fatal(err)
	}
	if s := w.status(t, d.r); s != market.Processing {
		t.Fatalf("paid request is %s", s)
	}
	return d
}

// job is one row of river_job about a request.
type job struct {
	ID          int64
	Kind, Queue string
	Args        []byte
	ScheduledAt time.Time
}

// jobs lists the jobs whose arguments name request id, oldest first.
func (w *world) jobs(t *testing.T, id uuid.UUID) []job {
	t.Helper()
	rows, err := w.owner.Query(context.Background(), `SELECT id, kind, queue, args, scheduled_at FROM river_job
		WHERE args->>'request_id' = $1 ORDER BY id`, id.String())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []job
	for rows.Next() {
		var j job
		if err := rows.Scan(&j.ID, &j.Kind, &j.Queue, &j.Args, &j.ScheduledAt); err != nil {
			t.Fatal(err)
		}
		out = append(out, j)
	}
	return out
}

// kinds lists the jobs' kinds, oldest first.
func kinds(jobs []job) string {
	var out []string
	for _, j := range jobs {
		out = append(out, j.Kind)
	}
	return strings.Join(out, " ")
}

// only returns the one job of kind k; it fails unless there is exactly one.
func only(t *testing.T, jobs []job, k string) job {
	t.Helper()
	var found []job
	for _, j := range jobs {
		if j.Kind == k {
			found = append(found, j)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d %s jobs, want 1: %s", len(found), k, kinds(jobs))
	}
	return found[0]
}

// work runs worker w on the job row j, as River would.
func work[T river.JobArgs](t *testing.T, w river.Worker[T], j job) error {
	t.Helper()
	var args T
	if err := json.Unmarshal(j.Args, &args); err != nil {
		t.Fatal(err)
	}
	return w.Work(context.Background(), &river.Job[T]{JobRow: &rivertype.JobRow{ID: j.ID, Kind: j.Kind, EncodedArgs: j.Args}, Args: args})
}

var quiet = slog.New(slog.DiscardHandler)

// recorder is a Releaser that records what it is asked.
type recorder struct {
	mu    sync.Mutex
	asked []string
	err   error
}

func (r *recorder) RequestRelease(_ context.Context, p *payment.Payment, actor string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked = append(r.asked, fmt.Sprintf("%s by %s", uuid.UUID(p.ID), actor))
	return r.err
}

const paidEvents = opening + " paid:system:payment>processing"

// The seller ships with carrier and tracking (market_deliver scheduled at the offer's delivery
// time plus the grace), says it arrived (market_inspect at the category's inspection period, the
// reminders 2 and 1 days before), and the buyer confirms (market_release on its queue). Each step
// once, by its party only; the request's detail shows the shipment and the inspection's end.
func TestShipDeliverConfirm(t *testing.T) {
	w := newWorld(t, func(c *market.Config) { c.InspectionDays = map[string]int{"photo": 3} })
	c, f := roles(t), follower(t)
	d := w.paid(t, c, f)
	ctx := context.Background()
	day := 24 * time.Hour

	ship := market.ShipInput{Carrier: " DHL ", Tracking: "JD0146000033", Note: "fragile"}
	_, err := w.m.Ship(ctx, d.buyer, d.r.ID, ship)
	wantKind(t, "the buyer ships", err, kind.Refused)
	_, err = w.m.Ship(ctx, w.user(t), d.r.ID, ship)
	wantKind(t, "a stranger ships", err, kind.NotFound)
	_, err = w.m.Ship(ctx, d.seller, d.r.ID, market.ShipInput{Carrier: "DHL"})
	wantKind(t, "no tracking number", err, kind.Invalid)
	_, err = w.m.Ship(ctx, d.seller, d.r.ID, market.ShipInput{Carrier: "DHL", Tracking: strings.Repeat("9", 101)})
	wantKind(t, "an oversized tracking number", err, kind.Invalid)
	_, err = w.m.Ship(ctx, d.seller, d.r.ID, market.ShipInput{Carrier: "DHL\x00", Tracking: "1"})
	wantKind(t, "a control character", err, kind.Invalid)
	_, err = w.m.Confirm(ctx, d.buyer, d.r.ID)
	wantKind(t, "confirming before shipping", err, kind.Conflict)
	if j := w.jobs(t, d.r.ID); len(j) != 0 {
		t.Fatalf("refused steps left jobs: %s", kinds(j))
	}

	r, err := w.m.Ship(ctx, d.seller, d.r.ID, ship)
	if err != nil || r.Status != market.Delivery || r.Shipment == nil || r.Shipment.Carrier != "DHL" || r.Shipment.Tracking != "JD0146000033" {
		t.Fatalf("ship: %+v, %v", r, err)
	}
	if r.BuyerID != uuid.Nil {
		t.Fatalf("the seller's view shows the buyer %s", r.BuyerID)
	}
	_, err = w.m.Ship(ctx, d.seller, d.r.ID, ship)
	wantKind(t, "shipping twice", err, kind.Conflict)
	deliver := only(t, w.jobs(t, d.r.ID), "market_deliver")
	// The offer's 5 delivery days and the default 3 days' grace.
	if got := deliver.ScheduledAt.Sub(r.Shipment.ShippedAt); got != 8*day {
		t.Fatalf("market_deliver in %s, want 8 days", got)
	}

	_, err = w.m.Deliver(ctx, w.user(t), d.r.ID)
	wantKind(t, "a stranger delivers", err, kind.NotFound)
	if r, err = w.m.Deliver(ctx, d.seller, d.r.ID); err != nil || r.Status != market.Delivered || r.DeliveredAt == nil {
		t.Fatalf("deliver: %+v, %v", r, err)
	}
	if r.InspectionEndsAt == nil || r.InspectionEndsAt.Sub(*r.DeliveredAt) != 3*day || r.InspectionDays != 3 {
		t.Fatalf("inspection ends %v after %v (%d days), want 3 days", r.InspectionEndsAt, r.DeliveredAt, r.InspectionDays)
	}
	jobs := w.jobs(t, d.r.ID)
	if got := only(t, jobs, "market_inspect").ScheduledAt; !got.Equal(*r.InspectionEndsAt) {
		t.Fatalf("market_inspect at %s, want %s", got, r.InspectionEndsAt)
	}
	var reminders []time.Duration
	for _, j := range jobs {
		if j.Kind == "market_remind" {
			reminders = append(reminders, r.InspectionEndsAt.Sub(j.ScheduledAt))
		}
	}
	if fmt.Sprint(reminders) != fmt.Sprint([]time.Duration{2 * day, day}) {
		t.Fatalf("reminders before the end: %v", reminders)
	}

	_, err = w.m.Confirm(ctx, d.seller, d.r.ID)
	wantKind(t, "the seller confirms", err, kind.Refused)
	b, err := w.m.Confirm(ctx, d.buyer, d.r.ID)
	if err != nil || b.Status != market.Confirming || b.BuyerID != d.buyer.UserID || b.Shipment == nil {
		t.Fatalf("confirm: %+v, %v", b, err)
	}
	rel := only(t, w.jobs(t, d.r.ID), "market_release")
	var args market.ReleaseArgs
	if err := json.Unmarshal(rel.Args, &args); err != nil || args.PaymentID != uuid.UUID(d.p.ID) || rel.Queue != market.ReleaseQueue {
		t.Fatalf("release job %s on %s: %v", rel.Args, rel.Queue, err)
	}
	want := paidEvents + " ship:seller:processing>delivery deliver:seller:delivery>delivered confirm:buyer:delivered>confirming"
	if got := w.events(t, d.r.ID); got != want {
		t.Fatalf("events:\n got %s\nwant %s", got, want)
	}
}

// Online goods ship with a delivery note, not a carrier; a buyer may say they arrived.
func TestShipOnlineNeedsANote(t *testing.T) {
	w := newWorld(t, nil)
	c, f := roles(t), follower(t)
	ctx := context.Background()
	d := deal{buyer: w.user(t), seller: w.user(t)}
	in := input()
	in.ProductType, in.Delivery = "digital_product", market.DeliveryTo{Kind: "online"}
	var err error
	if d.r, err = w.m.CreateRequest(ctx, d.buyer, in); err != nil {
		t.Fatal(err)
	}
	o := w.offer(t, d.r, d.seller, 1_000_000)
	a, err := w.m.Accept(ctx, d.buyer, d.r.ID, o.ID, o.Revision)
	if err != nil {
		t.Fatal(err)
	}
	c.deposit(t, a.Payment, 1_000_000, payment.Funded)
	follow(t, f, 100, 1)
	_, err = w.m.Ship(ctx, d.seller, d.r.ID, market.ShipInput{Carrier: "DHL", Tracking: "1"})
	wantKind(t, "online goods without a note", err, kind.Invalid)
	_, err = w.m.Ship(ctx, d.seller, d.r.ID, market.ShipInput{Note: strings.Repeat("x", 2001)})
	wantKind(t, "an oversized note", err, kind.Invalid)
	r, err := w.m.Ship(ctx, d.seller, d.r.ID, market.ShipInput{Note: "the download link is in the chat"})
	if err != nil || r.Shipment.Note != "the download link is in the chat" {
		t.Fatalf("ship online: %+v, %v", r, err)
	}
	if r, err = w.m.Deliver(ctx, d.buyer, d.r.ID); err != nil || r.Status != market.Delivered {
		t.Fatalf("the buyer says it arrived: %+v, %v", r, err)
	}
}

// The silent buyer: nobody says the goods arrived, so market_deliver delivers them as the
// platform; the buyer says nothing through the inspection period, so market_inspect moves the
// request to confirming and inserts market_release, which waits for the sweep into the escrow and
// then asks for the release. Reminders write one row each. Every job run again does nothing.
func TestSilentBuyerGetsTheReleaseRequested(t *testing.T) {
	w := newWorld(t, nil)
	c, f := roles(t), follower(t)
	d := w.paid(t, c, f)
	ctx := context.Background()
	if _, err := w.m.Ship(ctx, d.seller, d.r.ID, market.ShipInput{Carrier: "DHL", Tracking: "1"}); err != nil {
		t.Fatal(err)
	}
	deliverW := &market.DeliverWorker{Market: f, Log: quiet}
	deliver := only(t, w.jobs(t, d.r.ID), "market_deliver")
	for range 2 {
		if err := work(t, deliverW, deliver); err != nil {
			t.Fatal(err)
		}
	}
	if s := w.status(t, d.r); s != market.Delivered {
		t.Fatalf("after market_deliver: %s", s)
	}
	jobs := w.jobs(t, d.r.ID)
	if got := kinds(jobs); got != "market_deliver market_inspect market_remind market_remind" {
		t.Fatalf("jobs after the platform's delivery: %s", got)
	}
	remindW := &market.RemindWorker{Market: f}
	for _, j := range jobs[2:] {
		for range 2 {
			if err := work(t, remindW, j); err != nil {
				t.Fatal(err)
			}
		}
	}
	inspectW := &market.InspectWorker{Market: f, Log: quiet}
	for range 2 {
		if err := work(t, inspectW, jobs[1]); err != nil {
			t.Fatal(err)
		}
	}
	want := paidEvents + " ship:seller:processing>delivery deliver:system:delivery>delivered reminder:system:>delivered" +
		" reminder:system:>delivered inspected:system:delivered>confirming"
	if got := w.events(t, d.r.ID); got != want {
		t.Fatalf("events:\n got %s\nwant %s", got, want)
	}

	rec := &recorder{}
	releaseW := &market.ReleaseWorker{Market: f, Releaser: rec, Log: quiet}
	release := only(t, w.jobs(t, d.r.ID), "market_release")
	var snooze *river.JobSnoozeError
	if err := work(t, releaseW, release); !errors.As(err, &snooze) || len(rec.asked) != 0 {
		t.Fatalf("release of a funded, unswept payment: %v (asked %v); want a snooze", err, rec.asked)
	}
	c.escrow(t, d.p)
	if err := work(t, releaseW, release); err != nil {
		t.Fatal(err)
	}
	if want := uuid.UUID(d.p.ID).String() + " by market:" + d.r.ID.String(); len(rec.asked) != 1 || rec.asked[0] != want {
		t.Fatalf("asked %v, want [%s]", rec.asked, want)
	}
	// The release is final on chain: the request completes; a late run of the job is done.
	if _, err := c.indexer.Released(ctx, d.p.ID); err != nil {
		t.Fatal(err)
	}
	follow(t, f, 100, 1)
	if err := work(t, releaseW, release); err != nil || len(rec.asked) != 1 {
		t.Fatalf("release after completion: %v, asked %v", err, rec.asked)
	}
}

// A buyer who confirms leaves the inspect and remind jobs of the delivery nothing to do; a
// delivery job of a request already delivered does nothing either; a release job of a request
// that is not confirming, or of a disputed one, is cancelled without asking.
func TestStaleJobsDoNothing(t *testing.T) {
	w := newWorld(t, nil)
	c, f := roles(t), follower(t)
	d := w.paid(t, c, f)
	ctx := context.Background()
	if _, err := w.m.Ship(ctx, d.seller, d.r.ID, market.ShipInput{Carrier: "DHL", Tracking: "1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.m.Deliver(ctx, d.seller, d.r.ID); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	releaseW := &market.ReleaseWorker{Market: f, Releaser: rec, Log: quiet}
	forged := job{Kind: "market_release", Args: fmt.Appendf(nil, `{"request_id":%q,"payment_id":%q}`, d.r.ID, uuid.UUID(d.p.ID))}
	var cancel *river.JobCancelError
	if err := work(t, releaseW, forged); !errors.As(err, &cancel) {
		t.Fatalf("a release job of a delivered request: %v, want cancelled", err)
	}
	if _, err := w.m.Confirm(ctx, d.buyer, d.r.ID); err != nil {
		t.Fatal(err)
	}
	jobs := w.jobs(t, d.r.ID)
	for _, k := range []string{"market_deliver", "market_inspect", "market_remind"} {
		for _, j := range jobs {
			if j.Kind != k {
				continue
			}
			var err error
			switch k {
			case "market_deliver":
				err = work(t, &market.DeliverWorker{Market: f, Log: quiet}, j)
			case "market_inspect":
				err = work(t, &market.InspectWorker{Market: f, Log: quiet}, j)
			default:
				err = work(t, &market.RemindWorker{Market: f}, j)
			}
			if err != nil {
				t.Fatalf("%s: %v", k, err)
			}
		}
	}
	want := paidEvents + " ship:seller:processing>delivery deliver:seller:delivery>delivered confirm:buyer:delivered>confirming"
	if got := w.events(t, d.r.ID); got != want {
		t.Fatalf("stale jobs moved the request:\n got %s\nwant %s", got, want)
	}
	// A release job whose payment id is not the request's is cancelled.
	other := job{Kind: "market_release", Args: fmt.Appendf(nil, `{"request_id":%q,"payment_id":%q}`, d.r.ID, uuid.New())}
	if err := work(t, releaseW, other); !errors.As(err, &cancel) {
		t.Fatalf("a release job of another payment: %v, want cancelled", err)
	}
	// A disputed request (issue #19 opens disputes; forged here) cancels its release job.
	if _, err := w.owner.Exec(ctx, `UPDATE market_requests SET status = 'disputed', resume_to = 'delivered' WHERE id = $1`, d.r.ID); err != nil {
		t.Fatal(err)
	}
	c.escrow(t, d.p)
	if err := work(t, releaseW, only(t, jobs, "market_release")); !errors.As(err, &cancel) || len(rec.asked) != 0 {
		t.Fatalf("release of a disputed request: %v, asked %v; want cancelled without asking", err, rec.asked)
	}
}

// A deal step and its jobs commit together: a confirm whose transaction fails at commit (a
// deferred trigger on this request) leaves neither the new status nor the release job. Concurrent
// confirms make one status change and one release job.
func TestDealStepAndItsJobCommitTogether(t *testing.T) {
	w := newWorld(t, nil)
	c, f := roles(t), follower(t)
	d := w.paid(t, c, f)
	ctx := context.Background()
	if _, err := w.m.Ship(ctx, d.seller, d.r.ID, market.ShipInput{Carrier: "DHL", Tracking: "1"}); err != nil {
		t.Fatal(err)
	}
	fn := "fail_" + strings.ReplaceAll(d.r.ID.String(), "-", "")
	for _, sql := range []string{
		`CREATE FUNCTION ` + fn + `() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$`,
		`CREATE CONSTRAINT TRIGGER ` + fn + ` AFTER UPDATE ON market_requests DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
			WHEN (NEW.id = '` + d.r.ID.String() + `' AND NEW.status = 'confirming') EXECUTE FUNCTION ` + fn + `()`,
	} {
		if _, err := w.owner.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.m.Confirm(ctx, d.buyer, d.r.ID); err == nil || !strings.Contains(err.Error(), "refused at commit") {
		t.Fatalf("confirm under the failing trigger: %v", err)
	}
	if s := w.status(t, d.r); s != market.Delivery {
		t.Fatalf("status after the rolled-back confirm: %s", s)
	}
	if got := kinds(w.jobs(t, d.r.ID)); got != "market_deliver" {
		t.Fatalf("jobs after the rolled-back confirm: %s", got)
	}
	if _, err := w.owner.Exec(ctx, `DROP TRIGGER `+fn+` ON market_requests; DROP FUNCTION `+fn+`()`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 10 {
		wg.Go(func() {
			if _, err := w.m.Confirm(ctx, d.buyer, d.r.ID); err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if !errors.Is(err, market.ErrIllegalTransition) {
				t.Errorf("a losing confirm: %v", err)
			}
		})
	}
	wg.Wait()
	if got := kinds(w.jobs(t, d.r.ID)); wins != 1 || got != "market_deliver market_release" {
		t.Fatalf("%d confirms won; jobs %s", wins, got)
	}
}

// The deal's settings are checked: inspection periods within 1 to 60 days for well-formed
// categories, a positive day, a bounded grace.
func TestDealConfigValidate(t *testing.T) {
	for name, mutate := range map[string]func(*market.Config){
		"zero day":            func(c *market.Config) { c.Day = 0 },
		"negative grace":      func(c *market.Config) { c.DeliveryGraceDays = -1 },
		"grace of a year":     func(c *market.Config) { c.DeliveryGraceDays = 365 },
		"zero inspection":     func(c *market.Config) { c.InspectionDays = map[string]int{"photo": 0} },
		"inspection too long": func(c *market.Config) { c.InspectionDays = map[string]int{"photo": 61} },
		"bad category":        func(c *market.Config) { c.InspectionDays = map[string]int{"Photo!": 3} },
	} {
		c := market.DefaultConfig()
		c.FeeAddress = feeAddr
		mutate(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c := market.DefaultConfig()
	c.FeeAddress, c.InspectionDays = feeAddr, map[string]int{"photo": 1, "design": 60}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}
