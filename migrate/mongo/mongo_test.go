package mongo_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/descope/virtualwebauthn"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/dispute"
	"github.com/amanat/amn/internal/ferrettest"
	importer "github.com/amanat/amn/migrate/mongo"
	"github.com/amanat/amn/points"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// source starts a FerretDB with the fixture in a database of the test's.
func source(t *testing.T) (*mongo.Database, *fixture) {
	t.Helper()
	srv := ferrettest.Start(t)
	src := srv.Client(t).Database(ferrettest.DatabaseName(t))
	return src, seedFixture(t, src)
}

// importPool is the pool `amn import mongo` opens on owner's database: working as amn_import,
// logged in as a user that is a member of that role only (docs/security.md). Every run of these
// tests imports through it, so they show that the role's grants suffice; the tests read and
// tamper with the result through owner.
func importPool(t *testing.T, owner *pgxpool.Pool) *pgxpool.Pool {
	t.Helper()
	p := dbtest.PoolLike(t, owner, db.RoleImport)
	var who string
	if err := p.QueryRow(context.Background(), `SELECT current_user::text`).Scan(&who); err != nil || who != db.RoleImport {
		t.Fatalf("the import's pool works as %q (%v), want %s", who, err, db.RoleImport)
	}
	return p
}

func run(t *testing.T, pool *pgxpool.Pool, src *mongo.Database, opts importer.Options) *importer.Report {
	t.Helper()
	im, err := importer.New(importPool(t, pool), src, opts)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := im.Run(context.Background())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return rep
}

func newID(coll string, id bson.ObjectID) uuid.UUID { return importer.NewID(coll, id) }

// Acceptance 1 and 3: the fixture imports, verification passes, each malformed document is
// reported with its _id and reason, the held payment is listed with its provider ids, and the
// imported accounts sign in: by bcrypt password (then upgraded to argon2id) and by passkey.
func TestFixtureImportsVerifiesAndSignsIn(t *testing.T) {
	src, fx := source(t)
	pool, _ := dbtest.Isolated(t)
	rep := run(t, pool, src, importer.Options{Batch: 4})
	ctx := context.Background()

	if !rep.Verified {
		t.Fatalf("verification failed: %+v\nproblems: %+v", rep.Checks, rep.Problems)
	}
	for _, c := range rep.Checks {
		if c.SourceCount == 0 || c.TargetCount != c.SourceCount {
			t.Errorf("%s: source %d, target %d", c.Collection, c.SourceCount, c.TargetCount)
		}
	}
	if c := check(t, rep, "users"); c.SourceSum != fmt.Sprint(fx.points) || c.TargetSum != c.SourceSum {
		t.Errorf("points: source %s, target %s, want %d", c.SourceSum, c.TargetSum, fx.points)
	}
	if c := check(t, rep, "chats"); c.TargetSum != "3" {
		t.Errorf("chat messages in the target: %s, want 3", c.TargetSum)
	}

	// Acceptance 3: every malformed fixture document, with its _id and reason, and nothing else.
	if len(rep.Problems) != len(fx.bad) {
		t.Errorf("%d problems reported, want %d: %+v", len(rep.Problems), len(fx.bad), rep.Problems)
	}
	for name, reason := range fx.bad {
		found := false
		for _, p := range rep.Problems {
			if p.ID == fx.ids[name].Hex() {
				found = true
				if !strings.Contains(p.Reason, reason) {
					t.Errorf("%s (%s): reason %q, want it to say %q", name, p.ID, p.Reason, reason)
				}
			}
		}
		if !found {
			t.Errorf("%s (%s) is not in the report", name, fx.ids[name].Hex())
		}
	}

	// The payment whose funds the old backend holds is listed, with its provider ids; the released one is not.
	if len(rep.OpenPayments) != 1 || rep.OpenPayments[0].ID != fx.ids["p2"].Hex() ||
		rep.OpenPayments[0].ProviderIDs["paymentReference"] != "0x2222" || rep.OpenPayments[0].Amount != "8000000" {
		t.Fatalf("open payments: %+v", rep.OpenPayments)
	}

	// The dispute on the held payment is imported and listed with it; the resolved one is not listed.
	if len(rep.OpenDisputes) != 1 || rep.OpenDisputes[0].ID != fx.ids["d1"].Hex() || rep.OpenDisputes[0].PaymentStatus != "paid" ||
		rep.OpenDisputes[0].Payment != fx.ids["p2"].Hex() || rep.OpenDisputes[0].Amount != "8000000" {
		t.Fatalf("open disputes: %+v", rep.OpenDisputes)
	}
	if c := check(t, rep, "disputes"); c.SourceCount != 2 || c.TargetSum != "5" {
		t.Errorf("disputes: %+v (want 2 cases, 5 statements)", c)
	}
	if c := check(t, rep, "notifications"); c.SourceCount != 2 || c.TargetSum != "1" {
		t.Errorf("notifications: %+v (want 2, 1 read)", c)
	}

	// Statuses mapped; the accepted offer set; the pending old offer not acceptable.
	var status string
	var legacy bool
	var accepted uuid.NullUUID
	if err := pool.QueryRow(ctx, `SELECT status, legacy, accepted_offer FROM market_requests WHERE id = $1`,
		newID("purchaserequests", fx.ids["r1"])).Scan(&status, &legacy, &accepted); err != nil {
		t.Fatal(err)
	}
	if status != "completed" || !legacy || accepted.UUID != newID("selleroffers", fx.ids["o1"]) {
		t.Errorf("r1: %s legacy=%v accepted=%v", status, legacy, accepted)
	}
	if err := pool.QueryRow(ctx, `SELECT status FROM market_requests WHERE id = $1`, newID("purchaserequests", fx.ids["r2"])).Scan(&status); err != nil || status != "processing" {
		t.Errorf("r2 (old paid): %s %v", status, err)
	}
	if err := pool.QueryRow(ctx, `SELECT status FROM market_offers WHERE id = $1`, newID("selleroffers", fx.ids["o3"])).Scan(&status); err != nil || status != "expired" {
		t.Errorf("o3 (old pending): %s %v", status, err)
	}

	// Chat messages in their order, with the room's seqs.
	rows, _ := pool.Query(ctx, `SELECT seq, body FROM chat_messages WHERE conversation_id = $1 ORDER BY seq`, newID("chats", fx.ids["c1"]))
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var seq int64
		var body string
		err := r.Scan(&seq, &body)
		return fmt.Sprintf("%d:%s", seq, body), err
	})
	if err != nil || strings.Join(got, "|") != "1:Is it still available?|2:Yes|3:Deal" {
		t.Errorf("messages: %v %v", got, err)
	}

	// The blog post keeps its slug.
	var html string
	if err := pool.QueryRow(ctx, `SELECT body_html FROM blog_posts WHERE slug = 'hello-old-world'`).Scan(&html); err != nil || !strings.Contains(html, "<strong>post</strong>") {
		t.Errorf("post: %q %v", html, err)
	}

	checkImportedDisputes(t, pool, fx)
	checkImportedNotifications(t, pool, fx)

	// Points: the opening balance on the books.
	pts, err := points.New(pool, points.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	alice := newID("users", fx.ids["alice"])
	if b, err := pts.Balance(ctx, alice); err != nil || b.Available != 120 {
		t.Errorf("alice's balance: %+v %v", b, err)
	}

	// Sign-in as the API does it (amn_api): the bcrypt password, then the passkey.
	svc := authService(t, dbtest.PoolLike(t, pool, db.RoleAPI))
	if _, err := svc.Login(ctx, "alice@example.com", "wrong password here", auth.Client{}); !errors.Is(err, auth.ErrInvalidCredentials) {
		t.Fatalf("a wrong password: %v", err)
	}
	if _, err := svc.Login(ctx, "alice@example.com", alicePassword, auth.Client{}); err != nil {
		t.Fatalf("sign-in with the imported bcrypt password: %v", err)
	}
	var hash string
	if err := pool.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1`, alice).Scan(&hash); err != nil || !strings.HasPrefix(hash, "$argon2id$") {
		t.Fatalf("the hash after sign-in: %.12s… %v (want argon2id)", hash, err)
	}
	if _, err := svc.Login(ctx, "alice@example.com", alicePassword, auth.Client{}); err != nil {
		t.Fatalf("sign-in with the upgraded hash: %v", err)
	}

	// The passkey: the authenticator names the user with the old handle (the old id's hex).
	device := virtualwebauthn.NewAuthenticatorWithOptions(virtualwebauthn.AuthenticatorOptions{UserHandle: []byte(fx.ids["alice"].Hex())})
	sess := passkeyLogin(t, svc, device, fx.passkey)
	if sess.User.ID != alice {
		t.Fatalf("passkey signed in %s, want %s", sess.User.ID, alice)
	}
	var count int64
	if err := pool.QueryRow(ctx, `SELECT sign_count FROM auth_passkeys WHERE user_id = $1`, alice).Scan(&count); err != nil || count != 7 {
		t.Errorf("sign count after sign-in: %d %v, want 7", count, err)
	}
	// A replayed counter (a cloned authenticator) is refused; so is another user's handle.
	if _, err := tryPasskey(svc, device, fx.passkey); err == nil {
		t.Error("an assertion with a counter that did not go forward signed in")
	}
	other := fx.passkey
	other.Counter = 99
	bobs := virtualwebauthn.NewAuthenticatorWithOptions(virtualwebauthn.AuthenticatorOptions{UserHandle: []byte(fx.ids["bob"].Hex())})
	if _, err := tryPasskey(svc, bobs, other); err == nil {
		t.Error("alice's passkey signed in under bob's old handle")
	}
}

func check(t *testing.T, rep *importer.Report, coll string) importer.Check {
	t.Helper()
	for _, c := range rep.Checks {
		if c.Collection == coll {
			return c
		}
	}
	t.Fatalf("no check of %s", coll)
	return importer.Check{}
}

func authService(t *testing.T, pool *pgxpool.Pool) *auth.Service {
	t.Helper()
	keys, err := auth.GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	s, err := auth.New(pool, auth.Config{Issuer: "amn-test", Audience: "amn-test", Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var testRP = virtualwebauthn.RelyingParty{Name: "Amn", ID: auth.DefaultPasskeyRPID, Origin: auth.DefaultPasskeyOrigins[0]}

func tryPasskey(svc *auth.Service, device virtualwebauthn.Authenticator, cred virtualwebauthn.Credential) (auth.Session, error) {
	ctx := context.Background()
	c, err := svc.BeginPasskeyLogin(ctx)
	if err != nil {
		return auth.Session{}, err
	}
	opts, err := virtualwebauthn.ParseAssertionOptions(string(c.Options))
	if err != nil {
		return auth.Session{}, err
	}
	return svc.FinishPasskeyLogin(ctx, c.ID, []byte(virtualwebauthn.CreateAssertionResponse(testRP, device, cred, *opts)), auth.Client{})
}

func passkeyLogin(t *testing.T, svc *auth.Service, device virtualwebauthn.Authenticator, cred virtualwebauthn.Credential) auth.Session {
	t.Helper()
	s, err := tryPasskey(svc, device, cred)
	if err != nil {
		t.Fatalf("sign-in with the imported passkey: %v", err)
	}
	return s
}

// Acceptance 2: a second run changes nothing.
func TestRerunChangesNothing(t *testing.T) {
	src, _ := source(t)
	pool, _ := dbtest.Isolated(t)
	first := run(t, pool, src, importer.Options{})
	if !first.Changed() {
		t.Fatal("the first run imported nothing")
	}
	before := dump(t, pool)
	second := run(t, pool, src, importer.Options{})
	if second.Changed() {
		t.Fatalf("the second run changed something: %+v", second.Collections)
	}
	for _, c := range second.Collections {
		if c.Unchanged+c.Skipped != c.Read || c.Read == 0 {
			t.Errorf("%s: %+v", c.Collection, c)
		}
	}
	if after := dump(t, pool); after != before {
		t.Fatalf("the database changed:\n%s", diff(before, after))
	}
	if !second.Verified {
		t.Fatal("the second run's verification failed")
	}
}

// Acceptance 2: a run stopped midway (its context cancelled after n documents, inside a batch) and
// run again ends with the same database as a run never stopped, whichever collection it stopped in.
func TestKilledRunResumesToTheSameDatabase(t *testing.T) {
	src, _ := source(t)
	whole, _ := dbtest.Isolated(t)
	run(t, whole, src, importer.Options{Batch: 2})
	want := dump(t, whole)

	for _, stop := range []struct {
		coll string
		n    int64
	}{{"users", 3}, {"purchaserequests", 4}, {"chats", 1}, {"disputes", 3}} {
		t.Run(stop.coll, func(t *testing.T) {
			pool, _ := dbtest.Isolated(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			im, err := importer.New(importPool(t, pool), src, importer.Options{Batch: 2, AfterDocument: func(coll string, n int64) {
				if coll == stop.coll && n == stop.n {
					cancel()
				}
			}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := im.Run(ctx); !errors.Is(err, context.Canceled) {
				t.Fatalf("the stopped run: %v", err)
			}
			var checkpoints int
			if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM import_mongo_checkpoints`).Scan(&checkpoints); err != nil || checkpoints == 0 {
				t.Fatalf("no checkpoint left to resume from: %d %v", checkpoints, err)
			}
			rep := run(t, pool, src, importer.Options{Batch: 2})
			if !rep.Verified {
				t.Fatalf("the resumed run's verification failed: %+v", rep.Checks)
			}
			if got := dump(t, pool); got != want {
				t.Fatalf("resumed database differs from the uninterrupted one:\n%s", diff(want, got))
			}
		})
	}
}

// --since reads only the documents changed after the timestamp (and imports their changes).
func TestSinceImportsOnlyChangedDocuments(t *testing.T) {
	src, fx := source(t)
	pool, _ := dbtest.Isolated(t)
	run(t, pool, src, importer.Options{})
	ctx := context.Background()

	cut := fx.at.Add(time.Hour)
	later := cut.Add(time.Hour)
	if _, err := src.Collection("users").UpdateOne(ctx, bson.D{{Key: "_id", Value: fx.ids["bob"]}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "name", Value: "Bob's new shop"}, {Key: "points", Value: int32(45)}, {Key: "updatedAt", Value: later}}}}); err != nil {
		t.Fatal(err)
	}
	// The private request is renamed and made public: its search row (written by the requests'
	// triggers, as the import's role) is listed and finds the new title.
	if _, err := src.Collection("purchaserequests").UpdateOne(ctx, bson.D{{Key: "_id", Value: fx.ids["r3"]}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "title", Value: "An oak desk"}, {Key: "visibility", Value: "public"}, {Key: "updatedAt", Value: later}}}}); err != nil {
		t.Fatal(err)
	}
	newMsg := bson.D{{Key: "_id", Value: bson.NewObjectID()}, {Key: "sender", Value: fx.ids["bob"]}, {Key: "text", Value: "Shipped"}, {Key: "createdAt", Value: later}}
	if _, err := src.Collection("chats").UpdateOne(ctx, bson.D{{Key: "_id", Value: fx.ids["c1"]}},
		bson.D{{Key: "$push", Value: bson.D{{Key: "messages", Value: newMsg}}}, {Key: "$set", Value: bson.D{{Key: "updatedAt", Value: later}}}}); err != nil {
		t.Fatal(err)
	}

	// The dispute gains a message and is resolved with a refund; the notification is read.
	newDisputeMsg := bson.D{{Key: "_id", Value: bson.NewObjectID()}, {Key: "sender", Value: fx.ids["bob"]}, {Key: "message", Value: "Refunded"},
		{Key: "createdAt", Value: later}}
	if _, err := src.Collection("disputes").UpdateOne(ctx, bson.D{{Key: "_id", Value: fx.ids["d1"]}},
		bson.D{{Key: "$push", Value: bson.D{{Key: "messages", Value: newDisputeMsg}}}, {Key: "$set", Value: bson.D{{Key: "status", Value: "resolved"},
			{Key: "resolution", Value: "refund"}, {Key: "updatedAt", Value: later}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Collection("notifications").UpdateOne(ctx, bson.D{{Key: "_id", Value: fx.ids["n2"]}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "isRead", Value: true}, {Key: "updatedAt", Value: later}}}}); err != nil {
		t.Fatal(err)
	}

	rep := run(t, pool, src, importer.Options{Since: &cut})
	for _, c := range rep.Collections {
		want := int64(0)
		if c.Collection == "users" || c.Collection == "purchaserequests" || c.Collection == "chats" || c.Collection == "disputes" ||
			c.Collection == "notifications" {
			want = 1
		}
		if c.Read != want || c.Updated != want {
			t.Errorf("%s: read %d, updated %d; want %d", c.Collection, c.Read, c.Updated, want)
		}
	}
	if !rep.Verified {
		t.Fatalf("verification after the delta: %+v", rep.Checks)
	}
	bob := newID("users", fx.ids["bob"])
	var name string
	if err := pool.QueryRow(ctx, `SELECT display_name FROM users WHERE id = $1`, bob).Scan(&name); err != nil || name != "Bob's new shop" {
		t.Errorf("bob's name: %q %v", name, err)
	}
	var listed, found bool
	if err := pool.QueryRow(ctx, `SELECT listed, search @@ to_tsquery('simple', 'oak') FROM market_request_search WHERE request_id = $1`,
		newID("purchaserequests", fx.ids["r3"])).Scan(&listed, &found); err != nil || !listed || !found {
		t.Errorf("r3's search row after the delta: listed %v, finds its new title %v, %v", listed, found, err)
	}
	pts, _ := points.New(pool, points.DefaultConfig())
	if b, err := pts.Balance(ctx, bob); err != nil || b.Available != 45 {
		t.Errorf("bob's balance after the delta: %+v %v (want 45: the opening corrected)", b, err)
	}
	var msgs []string
	rows, _ := pool.Query(ctx, `SELECT body FROM chat_messages WHERE conversation_id = $1 ORDER BY seq`, newID("chats", fx.ids["c1"]))
	msgs, _ = pgx.CollectRows(rows, pgx.RowTo[string])
	if strings.Join(msgs, "|") != "Is it still available?|Yes|Deal|Shipped" {
		t.Errorf("messages after the delta: %v", msgs)
	}

	// The case: the new message appended, then the changed fields; the chain still holds.
	c := exportCase(t, pool, fx, "d1")
	kinds := make([]string, len(c.Entries))
	for i, e := range c.Entries {
		kinds[i] = string(e.Kind)
	}
	if strings.Join(kinds, ",") != "imported,evidence,evidence,evidence,evidence,evidence,reimported" ||
		c.Case.Status != dispute.Resolved || c.Case.Resolution != "refund" {
		t.Fatalf("the case after the delta: %s %s %s", kinds, c.Case.Status, c.Case.Resolution)
	}
	var readAt *time.Time
	if err := pool.QueryRow(ctx, `SELECT read_at FROM notifications WHERE id = $1`, newID("notifications", fx.ids["n2"])).Scan(&readAt); err != nil || readAt == nil || !readAt.Equal(later) {
		t.Errorf("n2 after the delta: read at %v %v, want %v", readAt, err, later)
	}
}

// --dry-run reports what would change and writes nothing.
func TestDryRunWritesNothing(t *testing.T) {
	src, fx := source(t)
	pool, _ := dbtest.Isolated(t)
	before := dump(t, pool)
	rep := run(t, pool, src, importer.Options{DryRun: true, Batch: 3})
	var created int64
	for _, c := range rep.Collections {
		created += c.Created
	}
	if created == 0 || len(rep.Problems) != len(fx.bad) {
		t.Fatalf("the dry run would create %d and reports %d problems (want %d): %+v", created, len(rep.Problems), len(fx.bad), rep.Problems)
	}
	if after := dump(t, pool); after != before {
		t.Fatalf("the dry run wrote:\n%s", diff(before, after))
	}
}

// An old account cannot take over an account of this backend: an email already used here is
// reported, the existing account (and its password) left as it was, and verification fails.
func TestOldAccountDoesNotTakeOverAnExistingOne(t *testing.T) {
	src, fx := source(t)
	pool, _ := dbtest.Isolated(t)
	ctx := context.Background()
	mine := uuid.New()
	if _, err := pool.Exec(ctx, `INSERT INTO users (id, email, password_hash, roles) VALUES ($1, 'carol@example.com', 'mine', '{buyer}')`, mine); err != nil {
		t.Fatal(err)
	}
	// A Telegram account here already linked to someone else: alice's old telegramId names it.
	theirs := uuid.New()
	if _, err := pool.Exec(ctx, `INSERT INTO users (id, email, roles) VALUES ($1, 'tg@example.com', '{buyer}')`, theirs); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO auth_identities (provider, subject, user_id) VALUES ('telegram', '111000111', $1)`, theirs); err != nil {
		t.Fatal(err)
	}
	rep := run(t, pool, src, importer.Options{})
	reasons := map[string]string{}
	for _, p := range rep.Problems {
		reasons[p.ID] = p.Reason
	}
	if r := reasons[fx.ids["carol"].Hex()]; !strings.Contains(r, "users_email") {
		t.Fatalf("carol's old account: reason %q, want the taken email", r)
	}
	if r := reasons[fx.ids["alice"].Hex()]; !strings.Contains(r, "linked to another account") {
		t.Fatalf("alice's old account: reason %q, want the Telegram id taken", r)
	}
	var owner uuid.UUID
	if err := pool.QueryRow(ctx, `SELECT user_id FROM auth_identities WHERE subject = '111000111'`).Scan(&owner); err != nil || owner != theirs {
		t.Fatalf("the Telegram identity moved: %s %v", owner, err)
	}
	// Nothing of alice's half-written: no account, no opening balance.
	var n int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM users WHERE id = $1) + (SELECT count(*) FROM points_memos WHERE user_id = $1)`,
		newID("users", fx.ids["alice"])).Scan(&n); err != nil || n != 0 {
		t.Fatalf("alice's rows left behind: %d %v", n, err)
	}
	var hash string
	if err := pool.QueryRow(ctx, `SELECT password_hash FROM users WHERE email = 'carol@example.com'`).Scan(&hash); err != nil || hash != "mine" {
		t.Fatalf("the existing account changed: %q %v", hash, err)
	}
	if rep.Verified {
		t.Fatal("verification passed with an old account missing")
	}
}

// dump is the imported tables' content, in a fixed order, without the columns that say when a
// row was written (they differ between two runs by design).
func dump(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	queries := []string{
		`SELECT id, email, email_verified_at, password_hash, roles, status, display_name, created_at, updated_at FROM users ORDER BY id`,
		`SELECT provider, subject, user_id FROM auth_identities ORDER BY provider, subject`,
		`SELECT id, user_id, credential_id, credential, sign_count, name, created_at, legacy_user_handle FROM auth_passkeys ORDER BY id`,
		`SELECT user_id, code FROM points_codes ORDER BY user_id`,
		`SELECT referred_id, referrer_id, status FROM points_referrals ORDER BY referred_id`,
		`SELECT transfer_id, user_id, kind, reason, created_at FROM points_memos ORDER BY transfer_id`,
		`SELECT * FROM points_legacy_history ORDER BY id`,
		`SELECT id, ledger, debit_account_id, credit_account_id, amount, code FROM ledger_transfers ORDER BY id`,
		`SELECT id, ledger, code, debits_posted, credits_posted FROM ledger_accounts ORDER BY id`,
		`SELECT id, buyer_id, title, status, resume_to, legacy, accepted_offer, template_id, budget_min, budget_max, delivery, visibility, created_at, updated_at FROM market_requests ORDER BY id`,
		`SELECT id, request_id, seller_id, status, price, delivery_days, notes, legacy FROM market_offers ORDER BY id`,
		`SELECT id, seller_id, title, price, active, legacy FROM market_templates ORDER BY id`,
		`SELECT * FROM payment_legacy ORDER BY id`,
		`SELECT * FROM chat_conversations ORDER BY id`,
		`SELECT id, conversation_id, seq, sender_id, body, created_at FROM chat_messages ORDER BY id`,
		`SELECT room, last_seq FROM realtime_rooms ORDER BY room`,
		`SELECT room, seq, kind, payload FROM realtime_events ORDER BY room, seq`,
		`SELECT id, slug, title, body_html, status, publish_at, author_id FROM blog_posts ORDER BY id`,
		`SELECT * FROM dispute_cases ORDER BY id`,
		`SELECT * FROM dispute_entries ORDER BY case_id, seq`,
		`SELECT * FROM notifications ORDER BY id`,
		`SELECT collection, old_id, new_id, digest, source_at FROM import_mongo_ids ORDER BY collection, old_id`,
		`SELECT collection, scope, last_id FROM import_mongo_checkpoints ORDER BY collection, scope`,
	}
	var b strings.Builder
	for _, q := range queries {
		rows, err := pool.Query(context.Background(), `SELECT to_jsonb(t)::text FROM (`+q+`) t`)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		fmt.Fprintf(&b, "-- %s\n%s\n", q, strings.Join(lines, "\n"))
	}
	return b.String()
}

func diff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, "- "+x, "+ "+y)
		}
		if len(out) > 20 {
			break
		}
	}
	j, _ := json.Marshal(len(out))
	return string(j) + " lines differ:\n" + strings.Join(out, "\n")
}

// exportCase exports an imported case as its buyer would, and checks the bundle as anyone would.
func exportCase(t *testing.T, pool *pgxpool.Pool, fx *fixture, name string) *dispute.Bundle {
	t.Helper()
	_, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := dispute.DefaultConfig()
	cfg.BundleKey = key
	svc := dispute.New(dbtest.PoolLike(t, pool, db.RoleAPI), cfg, nil, nil)
	b, err := svc.Export(context.Background(), dispute.Caller{UserID: newID("users", fx.ids["alice"])}, newID("disputes", fx.ids[name]))
	if err != nil {
		t.Fatalf("export %s: %v", name, err)
	}
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dispute.VerifyBundle(raw, svc.PublicKey()); err != nil {
		t.Fatalf("the imported case's bundle does not verify: %v", err)
	}
	return b
}

// checkImportedDisputes: the old disputes are legacy cases with valid timelines (the old fields
// first, then the evidence and messages by time), their statuses mapped, and no step is taken on
// them here.
func checkImportedDisputes(t *testing.T, pool *pgxpool.Pool, fx *fixture) {
	t.Helper()
	ctx := context.Background()
	b := exportCase(t, pool, fx, "d1")
	alice, bob, carol := newID("users", fx.ids["alice"]), newID("users", fx.ids["bob"]), newID("users", fx.ids["carol"])
	if b.Case.Status != dispute.UnderReview || b.Case.Opener != dispute.ActorBuyer || b.Case.Reason != dispute.ReasonNotReceived ||
		b.Case.Buyer != alice || b.Case.Seller != bob || b.Case.Payment != newID("payments", fx.ids["p2"]) ||
		b.Case.Request != newID("purchaserequests", fx.ids["r2"]) || b.Case.Amount != "8000000" || b.Case.Resolution != "" {
		t.Errorf("d1: %+v", b.Case)
	}
	var got []string
	for _, e := range b.Entries {
		var body map[string]any
		if err := json.Unmarshal(e.Body, &body); err != nil {
			t.Fatal(err)
		}
		text, _ := body["statement"].(string)
		if text == "" {
			text, _ = body["description"].(string)
		}
		got = append(got, fmt.Sprintf("%s/%s/%s:%s", e.Kind, e.Actor, e.ActorID, text))
	}
	want := []string{"imported/system/:The lamp never came.", "evidence/buyer/" + alice.String() + ":The empty mailbox",
		"evidence/buyer/" + alice.String() + ":Where is it?", "evidence/seller/" + bob.String() + ":Sent last week",
		"evidence/admin/" + carol.String() + ":Tracking number, please"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("d1's timeline:\n got %q\nwant %q", got, want)
	}
	var first map[string]any
	_ = json.Unmarshal(b.Entries[0].Body, &first)
	if first["status"] != "in_progress" || first["adminNotes"] != "Asked the seller for tracking." || first["legacyId"] != fx.ids["d1"].Hex() {
		t.Errorf("the imported entry keeps the old fields: %v", first)
	}

	b2 := exportCase(t, pool, fx, "d2")
	if b2.Case.Status != dispute.Resolved || b2.Case.Resolution != "no_action" || b2.Case.Opener != dispute.ActorSeller ||
		b2.Case.Reason != dispute.ReasonPaymentProblem || len(b2.Entries) != 2 {
		t.Errorf("d2: %+v, %d entries", b2.Case, len(b2.Entries))
	}

	// History: the buyer can neither add to nor withdraw the imported case, nor an admin resolve it.
	svc := dispute.New(dbtest.PoolLike(t, pool, db.RoleAPI), dispute.DefaultConfig(), nil, nil)
	id := newID("disputes", fx.ids["d1"])
	if _, err := svc.AddEvidence(ctx, dispute.Caller{UserID: alice}, id, dispute.EvidenceInput{Statement: "more"}); !errors.Is(err, dispute.ErrLegacy) {
		t.Errorf("evidence on an imported case: %v", err)
	}
	if _, err := svc.Withdraw(ctx, dispute.Caller{UserID: alice}, id, "changed my mind"); !errors.Is(err, dispute.ErrLegacy) {
		t.Errorf("withdrawing an imported case: %v", err)
	}
	if _, err := svc.Resolve(ctx, dispute.Caller{UserID: carol, Admin: true}, id, dispute.Resolution{Outcome: dispute.OutcomeRefund, Note: "x"}); !errors.Is(err, dispute.ErrLegacy) {
		t.Errorf("resolving an imported case: %v", err)
	}
	// A stranger does not learn it exists.
	if _, err := svc.Get(ctx, dispute.Caller{UserID: uuid.New()}, id); !errors.Is(err, dispute.ErrNotFound) {
		t.Errorf("a stranger reading the case: %v", err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM dispute_entries WHERE case_id = $1`, id).Scan(&n); err != nil || n != 5 {
		t.Errorf("d1 has %d entries after the refused steps: %v", n, err)
	}
	// Nothing moved: no payment here, no job, no conversation for the cases.
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM payments) + (SELECT count(*) FROM river_job WHERE kind LIKE 'dispute%')`).Scan(&n); err != nil || n != 0 {
		t.Errorf("payments or dispute jobs after the import: %d %v", n, err)
	}
}

// checkImportedNotifications: kinds mapped (an unknown one kept as legacy), the read flag kept,
// and nobody told: no socket event, no mail.
func checkImportedNotifications(t *testing.T, pool *pgxpool.Pool, fx *fixture) {
	t.Helper()
	ctx := context.Background()
	read := func(name string) (string, map[string]any, bool) {
		var k string
		var data map[string]any
		var readAt *time.Time
		if err := pool.QueryRow(ctx, `SELECT kind, data, read_at FROM notifications WHERE id = $1`, newID("notifications", fx.ids[name])).Scan(&k, &data, &readAt); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return k, data, readAt != nil
	}
	if k, data, isRead := read("n1"); k != "offer.accepted" || !isRead || data["title"] != "Offer accepted" || data["legacyType"] != "offer_accepted" {
		t.Errorf("n1: %s %v read=%v", k, data, isRead)
	}
	if k, data, isRead := read("n2"); k != "legacy" || isRead || data["message"] != "Bob made an offer" || data["legacyType"] != "new_offer" {
		t.Errorf("n2: %s %v read=%v", k, data, isRead)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM realtime_events WHERE kind LIKE 'notification%') +
		(SELECT count(*) FROM river_job WHERE kind = 'notify_email')`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the import told someone: %d events or mails %v", n, err)
	}
}
