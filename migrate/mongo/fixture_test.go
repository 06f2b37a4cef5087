package mongo_test

import (
	"context"
	"testing"
	"time"

	"github.com/descope/virtualwebauthn"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"golang.org/x/crypto/bcrypt"
)

// The fixture: documents shaped like the old backend's Mongoose models (camelCase fields,
// references as ObjectIds, createdAt/updatedAt timestamps), good ones and malformed ones. Every
// malformed document is in fixture.bad with a part of the reason the report must give.

const alicePassword = "correct horse battery staple"

type fixture struct {
	ids     map[string]bson.ObjectID
	bad     map[string]string // name → part of the reason
	points  int64             // the users' points, summed over the good users
	passkey virtualwebauthn.Credential
	at      time.Time // every good document's updatedAt
}

func oid(hexID string) bson.ObjectID {
	id, err := bson.ObjectIDFromHex(hexID)
	if err != nil {
		panic(err)
	}
	return id
}

// seedFixture fills db with the fixture.
func seedFixture(t testing.TB, db *mongo.Database) *fixture {
	t.Helper()
	ctx := context.Background()
	created := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	f := &fixture{at: created.Add(24 * time.Hour), bad: map[string]string{}, points: 150,
		passkey: virtualwebauthn.NewCredential(virtualwebauthn.KeyTypeEC2)}
	f.passkey.Counter = 7
	// ObjectIds in creation order, as Mongo makes them (a referrer is older than who it referred).
	f.ids = map[string]bson.ObjectID{
		"alice": oid("65e1a0000000000000000001"), "bob": oid("65e1a0000000000000000002"), "carol": oid("65e1a0000000000000000003"),
		"noEmail": oid("65e1a0000000000000000004"), "emailNumber": oid("65e1a0000000000000000005"), "pointsText": oid("65e1a0000000000000000006"),
		"badKey": oid("65e1a0000000000000000007"),
		"pt1":    oid("65e1b0000000000000000001"), "pt2": oid("65e1b0000000000000000002"), "pt3": oid("65e1b0000000000000000003"),
		"ptDangling": oid("65e1b0000000000000000004"),
		"tpl":        oid("65e1c0000000000000000001"),
		"r1":         oid("65e1d0000000000000000001"), "r2": oid("65e1d0000000000000000002"), "r3": oid("65e1d0000000000000000003"),
		"rStatus": oid("65e1d0000000000000000004"), "rNoTitle": oid("65e1d0000000000000000005"),
		"o1": oid("65e1e0000000000000000001"), "o2": oid("65e1e0000000000000000002"), "o3": oid("65e1e0000000000000000003"),
		"oDangling": oid("65e1e0000000000000000004"),
		"p1":        oid("65e1f0000000000000000001"), "p2": oid("65e1f0000000000000000002"), "pFraction": oid("65e1f0000000000000000003"),
		"c1": oid("65e200000000000000000001"), "cStranger": oid("65e200000000000000000002"),
		"b1": oid("65e210000000000000000001"), "bSlug": oid("65e210000000000000000002"),
		"d1": oid("65e220000000000000000001"), "d2": oid("65e220000000000000000002"), "dDangling": oid("65e220000000000000000003"),
		"dStatus": oid("65e220000000000000000004"), "dStranger": oid("65e220000000000000000005"),
		"n1": oid("65e230000000000000000001"), "n2": oid("65e230000000000000000002"), "nDangling": oid("65e230000000000000000003"),
		"nType": oid("65e230000000000000000004"),
	}
	id := f.ids
	hash, err := bcrypt.GenerateFromPassword([]byte(alicePassword), 10)
	if err != nil {
		t.Fatal(err)
	}
	ts := bson.D{{Key: "createdAt", Value: created}, {Key: "updatedAt", Value: f.at}}
	doc := func(fields ...bson.E) bson.D { return append(append(bson.D{}, fields...), ts...) }
	insert := func(coll string, docs ...bson.D) {
		t.Helper()
		many := make([]any, len(docs))
		for i, d := range docs {
			many[i] = d
		}
		if _, err := db.Collection(coll).InsertMany(ctx, many); err != nil {
			t.Fatalf("seeding %s: %v", coll, err)
		}
	}
	e := func(k string, v any) bson.E { return bson.E{Key: k, Value: v} }

	insert("users",
		doc(e("_id", id["alice"]), e("email", "Alice@Example.com"), e("password", string(hash)), e("roles", bson.A{"buyer"}),
			e("name", "Alice"), e("isEmailVerified", true), e("telegramId", int64(111000111)), e("referralCode", "ALICE001"),
			e("points", int32(120)),
			e("passkeys", bson.A{bson.D{e("credentialID", bson.Binary{Data: f.passkey.ID}),
				e("publicKey", bson.Binary{Data: f.passkey.Key.AttestationData()}), e("counter", int32(3)),
				e("transports", bson.A{"internal"}), e("deviceType", "singleDevice"), e("backedUp", false), e("name", "Alice's phone")}})),
		doc(e("_id", id["bob"]), e("email", "bob@example.com"), e("role", "seller"), e("name", "Bob's shop"),
			e("isEmailVerified", true), e("telegramId", "222000222"), e("referralCode", "BOB00002"), e("referredBy", id["alice"]),
			e("points", 30.0)),
		doc(e("_id", id["carol"]), e("email", "carol@example.com"), e("roles", bson.A{"admin", "user"}), e("name", "Carol"),
			e("points", int64(0))),
		doc(e("_id", id["noEmail"]), e("name", "Nobody")),
		doc(e("_id", id["emailNumber"]), e("email", int32(42))),
		doc(e("_id", id["pointsText"]), e("email", "dave@example.com"), e("points", "lots")),
		doc(e("_id", id["badKey"]), e("email", "erin@example.com"),
			e("passkeys", bson.A{bson.D{e("credentialID", "AQID"), e("publicKey", bson.Binary{Data: []byte{1, 2, 3}})}})),
	)
	f.bad["badKey"] = "passkey 0 public key"
	f.bad["noEmail"] = "missing field email"
	f.bad["emailNumber"] = "field email is a number, not a string"
	f.bad["pointsText"] = "field points is a string, not a number"

	insert("pointtransactions",
		doc(e("_id", id["pt1"]), e("user", id["alice"]), e("amount", int32(100)), e("type", "earn"), e("reason", "first deal")),
		doc(e("_id", id["pt2"]), e("user", id["alice"]), e("amount", int32(20)), e("type", "referral")),
		doc(e("_id", id["pt3"]), e("user", id["bob"]), e("amount", int32(30)), e("type", "earn")),
		doc(e("_id", id["ptDangling"]), e("user", id["pointsText"]), e("amount", int32(5)), e("type", "earn")),
	)
	f.bad["ptDangling"] = "dangling reference user"

	listing := func(title string) []bson.E {
		return []bson.E{e("title", title), e("description", "An old listing"), e("category", "Electronics"),
			e("productType", "physical"), e("chain", "bsc"), e("token", "USDT")}
	}
	insert("requesttemplates",
		doc(append(listing("Phone case, express"), e("_id", id["tpl"]), e("seller", id["bob"]), e("price", "25000000"),
			e("deliveryDays", int32(3)), e("isActive", true))...),
	)
	online := e("delivery", bson.D{e("type", "online")})
	insert("purchaserequests",
		doc(append(listing("A used phone"), e("_id", id["r1"]), e("buyer", id["alice"]), e("status", "completed"),
			e("budget", bson.D{e("min", "10000000"), e("max", "50000000")}), online, e("template", id["tpl"]))...),
		doc(append(listing("A lamp"), e("_id", id["r2"]), e("buyer", id["alice"]), e("status", "paid"),
			e("budget", bson.D{e("min", int64(1000000)), e("max", int64(9000000))}),
			e("delivery", bson.D{e("type", "physical"), e("address", bson.D{e("recipient", "Alice"), e("line1", "1 Old St"),
				e("city", "Tehran"), e("country", "IR")})}))...),
		doc(append(listing("A desk"), e("_id", id["r3"]), e("buyer", id["alice"]), e("status", "received_offers"),
			e("budget", bson.D{e("min", "0"), e("max", "70000000")}), online, e("visibility", "private"))...),
		doc(append(listing("Held"), e("_id", id["rStatus"]), e("buyer", id["alice"]), e("status", "on_hold"),
			e("budget", bson.D{e("min", "1"), e("max", "2")}), online)...),
		doc(e("_id", id["rNoTitle"]), e("buyer", id["alice"]), e("description", "x"), e("category", "misc"),
			e("productType", "service"), e("chain", "bsc"), e("token", "USDT"), e("status", "active"),
			e("budget", bson.D{e("min", "1"), e("max", "2")}), online),
	)
	f.bad["rStatus"] = `status "on_hold" is none of the old model's`
	f.bad["rNoTitle"] = "missing field title"

	insert("selleroffers",
		doc(e("_id", id["o1"]), e("request", id["r1"]), e("seller", id["bob"]), e("price", "40000000"), e("deliveryDays", int32(5)),
			e("notes", "Mint condition"), e("status", "accepted")),
		doc(e("_id", id["o2"]), e("request", id["r2"]), e("seller", id["bob"]), e("price", "8000000"), e("deliveryDays", int32(2)),
			e("status", "accepted")),
		doc(e("_id", id["o3"]), e("request", id["r3"]), e("seller", id["bob"]), e("price", "60000000"), e("deliveryDays", int32(9)),
			e("status", "pending")),
		doc(e("_id", id["oDangling"]), e("request", id["rStatus"]), e("seller", id["bob"]), e("price", "1"), e("deliveryDays", int32(1)),
			e("status", "pending")),
	)
	f.bad["oDangling"] = "dangling reference request"

	insert("payments",
		doc(e("_id", id["p1"]), e("request", id["r1"]), e("buyer", id["alice"]), e("seller", id["bob"]), e("amount", "40000000"),
			e("token", "USDT"), e("chain", "bsc"), e("status", "released"), e("provider", "request_network"),
			e("providerIds", bson.D{e("requestId", "01aa"), e("paymentReference", "0x1111"), e("txHash", "0xaaaa")})),
		doc(e("_id", id["p2"]), e("request", id["r2"]), e("buyer", id["alice"]), e("seller", id["bob"]), e("amount", "8000000"),
			e("token", "USDT"), e("chain", "bsc"), e("status", "paid"), e("provider", "request_network"),
			e("providerIds", bson.D{e("requestId", "02bb"), e("paymentReference", "0x2222"), e("txHash", "0xbbbb")})),
		doc(e("_id", id["pFraction"]), e("request", id["r3"]), e("amount", 12.5), e("token", "USDT"), e("chain", "bsc"),
			e("status", "pending")),
	)
	f.bad["pFraction"] = "field amount is 12.5, not a whole number"

	msg := func(n int, sender bson.ObjectID, text string) bson.D {
		return bson.D{e("_id", bson.NewObjectIDFromTimestamp(created.Add(time.Duration(n)*time.Minute))), e("sender", sender),
			e("text", text), e("createdAt", created.Add(time.Duration(n)*time.Minute))}
	}
	insert("chats",
		doc(e("_id", id["c1"]), e("request", id["r1"]), e("offer", id["o1"]), e("buyer", id["alice"]), e("seller", id["bob"]),
			e("messages", bson.A{msg(1, id["alice"], "Is it still available?"), msg(2, id["bob"], "Yes"), msg(3, id["alice"], "Deal")})),
		doc(e("_id", id["cStranger"]), e("request", id["r2"]), e("offer", id["o2"]), e("buyer", id["alice"]), e("seller", id["bob"]),
			e("messages", bson.A{msg(4, id["carol"], "Hello from someone else")})),
	)
	f.bad["cStranger"] = "sender is neither the buyer nor the seller"

	insert("blogposts",
		doc(e("_id", id["b1"]), e("author", id["carol"]), e("title", "Hello, old world"), e("slug", "hello-old-world"),
			e("content", "# Hi\n\nOld **post**."), e("tags", bson.A{"news"}), e("status", "published"),
			e("publishedAt", created)),
		doc(e("_id", id["bSlug"]), e("author", id["carol"]), e("title", "Bad"), e("slug", "Bad Slug!"), e("content", "x"),
			e("status", "draft")),
	)
	f.bad["bSlug"] = "slug"

	// Disputes: d1 is live on the payment whose funds the old backend holds (p2): imported as
	// history and listed; d2 was resolved on the released one (p1).
	at := func(min int) time.Time { return created.Add(time.Duration(min) * time.Minute) }
	dmsg := func(n int, sender bson.ObjectID, text string, admin bool) bson.D {
		return bson.D{e("_id", bson.NewObjectIDFromTimestamp(at(n))), e("sender", sender), e("message", text), e("isAdmin", admin),
			e("createdAt", at(n))}
	}
	insert("disputes",
		doc(e("_id", id["d1"]), e("request", id["r2"]), e("payment", id["p2"]), e("offer", id["o2"]), e("raisedBy", id["alice"]),
			e("reason", "not_received"), e("description", "The lamp never came."), e("status", "in_progress"),
			e("adminNotes", "Asked the seller for tracking."),
			e("evidence", bson.A{bson.D{e("_id", oid("65e221000000000000000001")), e("type", "image"), e("url", "https://old.example/e/1.jpg"),
				e("description", "The empty mailbox"), e("uploadedBy", id["alice"]), e("uploadedAt", at(5))}}),
			e("messages", bson.A{dmsg(6, id["alice"], "Where is it?", false), dmsg(7, id["bob"], "Sent last week", false),
				dmsg(8, id["carol"], "Tracking number, please", true)})),
		doc(e("_id", id["d2"]), e("request", id["r1"]), e("payment", id["p1"]), e("raisedBy", id["bob"]), e("reason", "payment_issue"),
			e("status", "resolved"), e("resolution", "no_action"), e("resolvedBy", id["carol"]), e("resolvedAt", at(60)),
			e("messages", bson.A{dmsg(9, id["bob"], "Payment is late", false)})),
		doc(e("_id", id["dDangling"]), e("request", id["rStatus"]), e("payment", id["p1"]), e("raisedBy", id["alice"]),
			e("reason", "other"), e("status", "pending")),
		doc(e("_id", id["dStatus"]), e("request", id["r1"]), e("payment", id["p1"]), e("raisedBy", id["alice"]),
			e("reason", "other"), e("status", "on_appeal")),
		doc(e("_id", id["dStranger"]), e("request", id["r1"]), e("payment", id["p1"]), e("raisedBy", id["alice"]),
			e("reason", "other"), e("status", "closed"), e("messages", bson.A{dmsg(10, id["carol"], "Not a party, not an admin", false)})),
	)
	f.bad["dDangling"] = "dangling reference request"
	f.bad["dStatus"] = `status "on_appeal" is none of the old model's`
	f.bad["dStranger"] = "messages.0: sender is neither the buyer nor the seller"

	insert("notifications",
		doc(e("_id", id["n1"]), e("user", id["bob"]), e("type", "offer_accepted"), e("title", "Offer accepted"),
			e("message", "Alice accepted your offer"), e("link", "/requests/old-r1"), e("isRead", true)),
		doc(e("_id", id["n2"]), e("user", id["alice"]), e("type", "new_offer"), e("title", "New offer"),
			e("message", "Bob made an offer"), e("isRead", false)),
		doc(e("_id", id["nDangling"]), e("user", id["noEmail"]), e("type", "system"), e("message", "x")),
		doc(e("_id", id["nType"]), e("user", id["alice"]), e("type", int32(3))),
	)
	f.bad["nDangling"] = "dangling reference user"
	f.bad["nType"] = "field type is a number, not a string"
	return f
}
