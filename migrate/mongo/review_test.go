package mongo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/descope/virtualwebauthn"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/amanat/amn/db/dbtest"
	importer "github.com/amanat/amn/migrate/mongo"
)

// The review of #21: what an import must not let through.

func e(k string, v any) bson.E { return bson.E{Key: k, Value: v} }

// An account of the old store whose email nobody verified is imported without its passkeys and
// Telegram id (whoever registered the address may have added them), and the report says so.
func TestUnverifiedAccountImportsWithoutPasskeysOrTelegram(t *testing.T) {
	src, fx := source(t)
	ctx := context.Background()
	cred := virtualwebauthn.NewCredential(virtualwebauthn.KeyTypeEC2)
	mallory := bson.NewObjectID()
	if _, err := src.Collection("users").InsertOne(ctx, bson.D{e("_id", mallory), e("email", "owner@example.com"),
		e("isEmailVerified", false), e("telegramId", int64(666000666)), e("name", "Not the owner"),
		e("passkeys", bson.A{bson.D{e("credentialID", bson.Binary{Data: cred.ID}), e("publicKey", bson.Binary{Data: cred.Key.AttestationData()})}}),
		e("createdAt", fx.at), e("updatedAt", fx.at)}); err != nil {
		t.Fatal(err)
	}
	pool, _ := dbtest.Isolated(t)
	rep := run(t, pool, src, importer.Options{})
	if !rep.Verified {
		t.Fatalf("verification: %+v", rep.Checks)
	}
	id := newID("users", mallory)
	var users, ways int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM users WHERE id = $1),
		(SELECT count(*) FROM auth_passkeys WHERE user_id = $1) + (SELECT count(*) FROM auth_identities WHERE user_id = $1)`, id).Scan(&users, &ways); err != nil {
		t.Fatal(err)
	}
	if users != 1 || ways != 0 {
		t.Fatalf("the account: %d rows, %d passkeys and identities (want 1 and 0)", users, ways)
	}
	found := false
	for _, n := range rep.Notes {
		found = found || (n.ID == mallory.Hex() && strings.Contains(n.Reason, "email not verified"))
	}
	if !found {
		t.Fatalf("the left-out passkeys are not in the report's notes: %+v", rep.Notes)
	}
	for _, p := range rep.Problems {
		if p.ID == mallory.Hex() {
			t.Fatalf("the account was skipped: %+v", p)
		}
	}
}

var _ = time.Now
