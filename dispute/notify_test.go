package dispute_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/dispute"
	"github.com/amanat/amn/notify"
)

// notes are the notifications of case id as stored: "kind user role outcome" per row, with the
// title each carries.
func (w *world) notes(t *testing.T, id uuid.UUID) (map[string]int, []string) {
	t.Helper()
	rows, err := w.owner.Query(context.Background(), `SELECT user_id, kind, data FROM notifications WHERE data->>'dispute' = $1 ORDER BY created_at, kind`, id.String())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got, titles := map[string]int{}, []string{}
	for rows.Next() {
		var user uuid.UUID
		var k string
		var data []byte
		if err := rows.Scan(&user, &k, &data); err != nil {
			t.Fatal(err)
		}
		var d struct{ Role, Outcome, Title, Amount, Token string }
		if err := json.Unmarshal(data, &d); err != nil {
			t.Fatal(err)
		}
		got[k+" "+user.String()+" "+d.Role+" "+d.Outcome+" "+d.Amount+" "+d.Token]++
		titles = append(titles, d.Title)
	}
	return got, titles
}

// failingNotifier writes the parties' notifications, then fails: the step must roll back with it.
type failingNotifier struct{ dispute.Parties }

var errNotifier = errors.New("the notifier failed")

func (f failingNotifier) DisputeOpened(ctx context.Context, tx pgx.Tx, c *dispute.Case, title string) error {
	if err := f.Parties.DisputeOpened(ctx, tx, c, title); err != nil {
		return err
	}
	return errNotifier
}

// Opening and resolving a case each write one notification to the buyer and one to the seller
// (never to the admin or anyone else), with an essential email job each, in the case's
// transaction: a step that fails writes neither the case nor its notifications.
func TestOpeningAndResolvingNotifyBothPartiesInTheCasesTransaction(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	notes, err := notify.New(dbtest.PoolAs(t, db.RoleAPI), notify.Config{})
	if err != nil {
		t.Fatal(err)
	}
	d := w.deal(t, true)

	// A notifier that fails after writing: nothing of the opening stays.
	broken := w.d.WithNotifier(failingNotifier{dispute.Parties{Notify: notes}})
	_, err = broken.Open(ctx, d.buyer, dispute.OpenInput{RequestID: d.request, Reason: dispute.ReasonNotAsDescribed, Statement: "Scratched glass."})
	wantErr(t, "opening with a failing notifier", err, errNotifier)
	var n int
	if err := w.owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM notifications WHERE user_id IN ($1, $2)) + (SELECT count(*) FROM dispute_cases WHERE request_id = $3)`,
		d.buyer.UserID, d.seller.UserID, d.request).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a failed opening left %d notifications and cases (%v)", n, err)
	}
	if st, _ := w.requestStatus(t, d.request); st != "delivered" {
		t.Fatalf("a failed opening moved the request to %s", st)
	}

	svc := w.d.WithNotifier(dispute.Parties{Notify: notes})
	c, err := svc.Open(ctx, d.buyer, dispute.OpenInput{RequestID: d.request, Reason: dispute.ReasonNotAsDescribed, Statement: "Scratched glass."})
	if err != nil {
		t.Fatal(err)
	}
	got, titles := w.notes(t, c.ID)
	want := map[string]int{
		"dispute.opened " + d.buyer.UserID.String() + " buyer  1000000 USDT":   1,
		"dispute.opened " + d.seller.UserID.String() + " seller  1000000 USDT": 1,
	}
	if !equalCounts(got, want) {
		t.Fatalf("after opening: %v, want %v", got, want)
	}
	for _, title := range titles {
		if title != "Vintage camera lens" {
			t.Fatalf("a notification names the deal %q", title)
		}
	}

	a := w.admin(t)
	split := dispute.Resolution{Outcome: dispute.OutcomeCompensation, BuyerAmount: "300000"}
	p, err := svc.Propose(ctx, a, c.ID, split)
	if err != nil {
		t.Fatal(err)
	}
	for _, party := range []dispute.Caller{d.buyer, d.seller} {
		if _, err := svc.Accept(ctx, party, c.ID, p.Proposal.ID); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := w.notes(t, c.ID); !equalCounts(got, want) {
		t.Fatalf("steps before the resolution notified: %v", got)
	}
	if _, err := svc.Resolve(ctx, a, c.ID, split); err != nil {
		t.Fatal(err)
	}
	want["dispute.resolved "+d.buyer.UserID.String()+" buyer compensation 1000000 USDT"] = 1
	want["dispute.resolved "+d.seller.UserID.String()+" seller compensation 1000000 USDT"] = 1
	if got, _ := w.notes(t, c.ID); !equalCounts(got, want) {
		t.Fatalf("after resolving: %v, want %v", got, want)
	}
	// Both kinds are essential: each notification has its email job.
	if err := w.owner.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'notify_email' AND args->'data'->>'dispute' = $1`, c.ID.String()).Scan(&n); err != nil || n != 4 {
		t.Fatalf("%d notify_email jobs of the case, want 4 (%v)", n, err)
	}
	var others int
	if err := w.owner.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1`, a.UserID).Scan(&others); err != nil || others != 0 {
		t.Fatalf("the admin got %d notifications (%v)", others, err)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// A side that has not answered is reminded, once, a quarter of its answer period before the
// deadline (the worker, as amn_worker); a side that answered, a deadline a later request replaced
// and a case that ended remind nobody.
func TestSilentSideIsRemindedBeforeItsDeadline(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	worker := dbtest.PoolAs(t, db.RoleWorker)
	notes, err := notify.New(worker, notify.Config{})
	if err != nil {
		t.Fatal(err)
	}
	reminders := dispute.New(worker, dispute.DefaultConfig(), w.follower, nil).WithNotifier(dispute.Parties{Notify: notes})
	remind := func(c *dispute.Case) {
		t.Helper()
		for _, j := range ofKind(w.jobs(t, "case_id", c.ID.String()), "dispute_remind") {
			work[dispute.RemindArgs](t, &dispute.RemindWorker{Disputes: reminders}, j)
		}
	}
	count := func(c *dispute.Case) map[string]int {
		got, _ := w.notes(t, c.ID)
		out := map[string]int{}
		for k, n := range got {
			if strings.HasPrefix(k, "dispute.reminder ") {
				out[strings.Fields(k)[1]] += n
			}
		}
		return out
	}

	// Opening: the seller's deadline in 48 hours, its reminder 12 hours before.
	d := w.deal(t, true)
	c := w.open(t, d)
	var due, at time.Time
	for _, j := range w.jobs(t, "case_id", c.ID.String()) {
		switch j.Kind {
		case "dispute_answer_due":
			due = j.Sched
		case "dispute_remind":
			at = j.Sched
		}
	}
	if due.IsZero() || due.Sub(at) != 12*time.Hour {
		t.Fatalf("the reminder is due %v, the deadline %v", at, due)
	}
	remind(c)
	if got := count(c); len(got) != 1 || got[d.seller.UserID.String()] != 1 {
		t.Fatalf("reminders after the opening: %v, want one to the seller", got)
	}
	var mails int
	if err := w.owner.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'notify_email' AND args->>'kind' = 'dispute.reminder'`).Scan(&mails); err != nil || mails != 1 {
		t.Fatalf("%d reminder mails queued (%v), want 1: the kind is essential", mails, err)
	}

	// A seller who answered is not reminded.
	d2 := w.deal(t, true)
	c2 := w.open(t, d2)
	if _, err := w.d.AddEvidence(ctx, d2.seller, c2.ID, dispute.EvidenceInput{Statement: "It was sent on time."}); err != nil {
		t.Fatal(err)
	}
	remind(c2)
	if got := count(c2); len(got) != 0 {
		t.Fatalf("a side that answered was reminded: %v", got)
	}

	// An admin's request for evidence replaces the opening's deadline: its reminder does nothing,
	// the request's remind both silent sides.
	d3 := w.deal(t, true)
	c3 := w.open(t, d3)
	a := w.admin(t)
	if _, err := w.d.Assign(ctx, a, c3.ID, uuid.Nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.d.RequestEvidence(ctx, a, c3.ID, "Both: photos, please."); err != nil {
		t.Fatal(err)
	}
	remind(c3)
	if got := count(c3); len(got) != 2 || got[d3.buyer.UserID.String()] != 1 || got[d3.seller.UserID.String()] != 1 {
		t.Fatalf("reminders after a request for evidence: %v, want one to each side", got)
	}

	// A case that ended reminds nobody.
	d4 := w.deal(t, true)
	c4 := w.open(t, d4)
	if _, err := w.d.Withdraw(ctx, d4.buyer, c4.ID, "we agreed"); err != nil {
		t.Fatal(err)
	}
	remind(c4)
	if got := count(c4); len(got) != 0 {
		t.Fatalf("a withdrawn case reminded: %v", got)
	}
}
