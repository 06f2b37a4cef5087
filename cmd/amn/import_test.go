package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/internal/ferrettest"
)

// amn import mongo: JSON lines, the open payment and the dispute on it listed (and failing --strict), a dry run, and
// exit 1 when the target no longer matches the source (a row changed behind the import's back).
func TestImportMongoExitStatuses(t *testing.T) {
	srv := ferrettest.Start(t)
	src := srv.Client(t).Database("legacy")
	ctx := context.Background()
	at := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	user, seller, request, pay := bson.NewObjectID(), bson.NewObjectID(), bson.NewObjectID(), bson.NewObjectID()
	if _, err := src.Collection("users").InsertMany(ctx, []any{
		bson.D{{Key: "_id", Value: user}, {Key: "email", Value: "old@example.com"}, {Key: "points", Value: int32(5)}, {Key: "createdAt", Value: at}},
		bson.D{{Key: "_id", Value: seller}, {Key: "email", Value: "seller@example.com"}, {Key: "role", Value: "seller"}, {Key: "createdAt", Value: at}},
		bson.D{{Key: "_id", Value: bson.NewObjectID()}, {Key: "createdAt", Value: at}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Collection("purchaserequests").InsertOne(ctx, bson.D{{Key: "_id", Value: request}, {Key: "buyer", Value: user},
		{Key: "title", Value: "An old lamp"}, {Key: "category", Value: "home"}, {Key: "productType", Value: "physical"},
		{Key: "chain", Value: "bsc"}, {Key: "token", Value: "USDT"}, {Key: "budget", Value: bson.D{{Key: "min", Value: "1"}, {Key: "max", Value: "5000000"}}},
		{Key: "delivery", Value: bson.D{{Key: "type", Value: "online"}}}, {Key: "status", Value: "disputed"}, {Key: "createdAt", Value: at}}); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Collection("disputes").InsertOne(ctx, bson.D{{Key: "_id", Value: bson.NewObjectID()}, {Key: "request", Value: request},
		{Key: "payment", Value: pay}, {Key: "raisedBy", Value: user}, {Key: "reason", Value: "not_received"}, {Key: "status", Value: "pending"},
		{Key: "createdAt", Value: at}}); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Collection("payments").InsertOne(ctx, bson.D{{Key: "_id", Value: pay}, {Key: "request", Value: request},
		{Key: "buyer", Value: user}, {Key: "seller", Value: seller},
		{Key: "amount", Value: "5000000"}, {Key: "token", Value: "USDT"}, {Key: "chain", Value: "bsc"}, {Key: "status", Value: "held"},
		{Key: "provider", Value: "request_network"}, {Key: "providerIds", Value: bson.D{{Key: "paymentReference", Value: "0xfeed"}}},
		{Key: "createdAt", Value: at}}); err != nil {
		t.Fatal(err)
	}
	pool, url := dbtest.Isolated(t)
	// The import's login is a member of amn_import only, and inherits nothing from it (NOINHERIT):
	// the runs below succeed only if the command works as that role (SET ROLE) and the role may do
	// what the import does.
	env := []string{"AMN_DATABASE_URL=" + setRoleOnlyLogin(t, url, db.RoleImport)}
	args := []string{"import", "mongo", "--uri", srv.URI, "--database", "legacy"}

	code, out, errs := run(t, env, append(args, "--dry-run")...)
	if code != 0 || !strings.Contains(out, "dry run: nothing was written") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errs)
	}

	code, out, errs = run(t, env, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var last struct {
		Event        string `json:"event"`
		Verified     bool   `json:"verified"`
		Problems     []struct{ ID, Reason string }
		OpenPayments []struct {
			ProviderIDs map[string]string `json:"providerIds"`
		} `json:"open_payments"`
		OpenDisputes []struct {
			PaymentStatus string `json:"paymentStatus"`
		} `json:"open_disputes"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil || last.Event != "report" {
		t.Fatalf("last line %q: %v", lines[len(lines)-1], err)
	}
	if !last.Verified || len(last.Problems) != 1 || !strings.Contains(last.Problems[0].Reason, "missing field email") ||
		len(last.OpenPayments) != 1 || last.OpenPayments[0].ProviderIDs["paymentReference"] != "0xfeed" ||
		len(last.OpenDisputes) != 1 || last.OpenDisputes[0].PaymentStatus != "held" {
		t.Fatalf("report: %+v", last)
	}
	if !strings.HasPrefix(lines[0], `{"event":"progress","collection":"users"`) {
		t.Fatalf("first line: %s", lines[0])
	}

	code, out, errs = run(t, env, append(args, "--strict")...)
	if code != 1 || !strings.Contains(errs, "--strict: 1 documents skipped, 1 old payments hold funds, 1 old disputes are on them") ||
		!strings.Contains(out, "OPEN PAYMENT") || !strings.Contains(out, "OPEN DISPUTE") {
		t.Fatalf("--strict: exit %d\n%s%s", code, out, errs)
	}

	// A forged amount in the history: the rerun writes nothing (the source did not change), and
	// its verification finds the difference.
	if _, err := pool.Exec(ctx, `UPDATE payment_legacy SET amount = 1`); err != nil {
		t.Fatal(err)
	}
	code, out, errs = run(t, env, args...)
	if code != 1 || !strings.Contains(errs, "verification found differences") || !strings.Contains(out, "verified: false") {
		t.Fatalf("after the forged row: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs = run(t, env, append(args, "--since", "yesterday")...); code != 2 || !strings.Contains(errs, "since:") {
		t.Fatalf("a bad --since: exit %d %s", code, errs)
	}
}

// setRoleOnlyLogin is dbtest.Login for a login that holds none of role's privileges until it
// runs SET ROLE role (NOINHERIT; created so, its membership inherits nothing on PostgreSQL 16 too):
// a command that did not work as role (db.OpenAs) could do nothing with it.
func setRoleOnlyLogin(t *testing.T, rawURL, role string) string {
	t.Helper()
	ctx := context.Background()
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := "amn_test_login_noinherit_" + hex.EncodeToString(b[:])
	admin, err := pgx.Connect(ctx, dbtest.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE ROLE "+pgx.Identifier{name}.Sanitize()+" LOGIN NOINHERIT IN ROLE "+pgx.Identifier{role}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), dbtest.AdminURL())
		if err != nil {
			t.Errorf("dropping login %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP ROLE IF EXISTS "+pgx.Identifier{name}.Sanitize()); err != nil {
			t.Errorf("dropping login %s: %v", name, err)
		}
	})
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(name)
	return u.String()
}
