package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/notify"
)

func (w *world) importNote(n notify.ImportedNotification) error {
	return pgx.BeginTxFunc(context.Background(), w.owner, pgx.TxOptions{}, func(tx pgx.Tx) error {
		return notify.ImportNotification(context.Background(), tx, n)
	})
}

// An imported notification is history: in its user's list (kind mapped, read flag kept), with no
// socket event and no mail, even of an essential kind; a rerun never marks it unread again, and
// an import cannot take over another user's notification or carry what Notify refuses.
func TestImportedNotificationTellsNobody(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	alice, _ := w.user(t, "en", true)
	bob, _ := w.user(t, "en", true)
	at := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	n := notify.ImportedNotification{ID: uuid.New(), User: alice, Kind: notify.LegacyKind("dispute_resolved"),
		Data: map[string]any{"legacyType": "dispute_resolved", "title": "Resolved"}, CreatedAt: at}
	if n.Kind != notify.DisputeResolved || notify.LegacyKind("new_offer") != notify.Legacy {
		t.Fatalf("kinds: %s %s", n.Kind, notify.LegacyKind("new_offer"))
	}
	if err := w.importNote(n); err != nil {
		t.Fatal(err)
	}
	list, _, err := w.api.List(ctx, alice, nil, 10)
	if err != nil || len(list) != 1 || list[0].Kind != notify.DisputeResolved || list[0].ReadAt != nil || !list[0].CreatedAt.Equal(at) {
		t.Fatalf("alice's list: %+v %v", list, err)
	}
	if unread, _ := w.api.Unread(ctx, alice); unread != 1 {
		t.Fatalf("unread: %d", unread)
	}
	if ev, jobs := w.roomEvents(t, alice), w.jobs(t, alice, notify.DisputeResolved); ev != "" || jobs != 0 {
		t.Fatalf("the import told alice: events %q, mails %d", ev, jobs)
	}

	// Read here, then a rerun that says unread: it stays read.
	if _, _, err := w.api.MarkRead(ctx, alice, n.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.importNote(n); err != nil {
		t.Fatal(err)
	}
	if unread, _ := w.api.Unread(ctx, alice); unread != 0 {
		t.Fatalf("the rerun marked it unread: %d", unread)
	}

	// Another user's id, an unknown kind, a key Notify refuses, oversized data: refused, nothing written.
	theirs := n
	theirs.User = bob
	wantErr(t, "another user's notification", w.importNote(theirs), notify.ErrInvalid)
	bad := n
	bad.ID, bad.Kind = uuid.New(), "deal.exploded"
	wantErr(t, "unknown kind", w.importNote(bad), notify.ErrInvalid)
	bad.Kind, bad.Data = notify.Legacy, map[string]any{"<script>": "x"}
	wantErr(t, "bad key", w.importNote(bad), notify.ErrInvalid)
	bad.Data = map[string]any{"message": strings.Repeat("x", notify.MaxData)}
	wantErr(t, "oversized", w.importNote(bad), notify.ErrInvalid)
	if got := w.count(t, `SELECT count(*) FROM notifications WHERE user_id = ANY($1::uuid[])`, []uuid.UUID{alice, bob}); got != 1 {
		t.Fatalf("%d notifications", got)
	}
	if l, _, _ := w.api.List(ctx, bob, nil, 10); len(l) != 0 {
		t.Fatalf("bob's list: %+v", l)
	}
}
