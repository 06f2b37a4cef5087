package market_test

import (
	"context"
	"math/big"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/market"
)

// The search follows a request's words through edits (the triggers of migration 00042), and
// every shape of the browse query (browse.go builds one per set of filters) returns the rows
// whole and right: each equals the request's public view read by id.
func TestBrowseShapesAndSearchFollowEdits(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	buyer := w.user(t)
	in := input()
	word, other := "w"+uuid.NewString()[:8], "w"+uuid.NewString()[:8]
	in.Title = "Camera " + word
	r, err := w.m.CreateRequest(ctx, buyer, in)
	if err != nil {
		t.Fatal(err)
	}
	finds := func(b market.Browse) bool {
		t.Helper()
		list, err := w.m.BrowseRequests(ctx, b)
		if err != nil {
			t.Fatalf("%+v: %v", b, err)
		}
		for _, x := range list {
			want, err := w.m.PublicRequest(ctx, x.ID)
			if err != nil || !reflect.DeepEqual(x, *want) {
				t.Fatalf("%+v listed %+v; by id: %+v, %v", b, x, want, err)
			}
		}
		return slices.ContainsFunc(list, func(x market.Request) bool { return x.ID == r.ID })
	}
	lo, hi := big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), 80)
	for _, b := range []market.Browse{
		{}, {Category: "photo"}, {ProductType: "physical_product"}, {ChainKey: "bsc"}, {TokenSymbol: "USDT"},
		{Q: word}, {Q: "camera " + word, Category: "photo"},
		{Category: "photo", ProductType: "physical_product", ChainKey: "bsc", TokenSymbol: "USDT", BudgetAtLeast: lo, BudgetAtMost: hi, Q: word},
		{ChainKey: "bsc", TokenSymbol: "USDT", BudgetAtMost: hi, Q: word},
	} {
		b.Limit = market.MaxPage
		if !finds(b) {
			t.Errorf("%+v does not find the request", b)
		}
	}
	for _, b := range []market.Browse{
		{Q: other}, {Q: word, Category: "music"}, {Q: word, ProductType: "service"},
		{Q: word, ChainKey: "bsc", TokenSymbol: "USDT", BudgetAtMost: big.NewInt(1)},
		{Q: word, After: market.Cursor{At: r.CreatedAt, ID: r.ID}},
		{Category: "photo' OR true --", Q: word}, {Q: "' OR true --"},
	} {
		if finds(b) {
			t.Errorf("%+v finds the request", b)
		}
	}
	in.Title, in.Description = "Lens "+other, "Now about "+other
	if _, err := w.m.EditRequest(ctx, buyer, r.ID, in); err != nil {
		t.Fatal(err)
	}
	if finds(market.Browse{Q: word}) || !finds(market.Browse{Q: other}) {
		t.Fatal("the search did not follow the edit")
	}
}

// A search without other filters reads its page from market_request_search alone (migration
// 00069): what it keeps of each request (listed, category, creation time) follows every write,
// so the words never find a request the list would not show, and pages by cursor go on where
// the last one ended. The worker's status change (an expiry) goes through its own grants.
func TestSearchFollowsTheListing(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	buyer := w.user(t)
	word := "w" + uuid.NewString()[:8]
	in := input()
	in.Title = "Camera " + word
	soon := time.Now().Add(2 * time.Hour)
	in.ExpiresAt = &soon
	older, err := w.m.CreateRequest(ctx, buyer, in)
	if err != nil {
		t.Fatal(err)
	}
	in.ExpiresAt = nil
	r, err := w.m.CreateRequest(ctx, buyer, in)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(b market.Browse) []uuid.UUID {
		t.Helper()
		if b.Limit == 0 {
			b.Limit = market.MaxPage
		}
		list, err := w.m.BrowseRequests(ctx, b)
		if err != nil {
			t.Fatalf("%+v: %v", b, err)
		}
		var out []uuid.UUID
		for _, x := range list {
			out = append(out, x.ID)
		}
		return out
	}
	want := func(b market.Browse, w ...uuid.UUID) {
		t.Helper()
		if got := ids(b); !slices.Equal(got, w) {
			t.Fatalf("%+v found %v, want %v", b, got, w)
		}
	}
	want(market.Browse{Q: word}, r.ID, older.ID)
	want(market.Browse{Q: word, Category: "photo"}, r.ID, older.ID)
	want(market.Browse{Q: word, Category: "music"})
	want(market.Browse{Q: word, Limit: 1}, r.ID)
	want(market.Browse{Q: word, Limit: 1, After: market.Cursor{At: r.CreatedAt, ID: r.ID}}, older.ID)
	want(market.Browse{Q: word, Category: "photo", After: market.Cursor{At: older.CreatedAt, ID: older.ID}})

	in.Category = "music"
	if _, err := w.m.EditRequest(ctx, buyer, r.ID, in); err != nil {
		t.Fatal(err)
	}
	want(market.Browse{Q: word, Category: "music"}, r.ID)
	want(market.Browse{Q: word, Category: "photo"}, older.ID)
	in.Visibility = "private"
	if _, err := w.m.EditRequest(ctx, buyer, r.ID, in); err != nil {
		t.Fatal(err)
	}
	want(market.Browse{Q: word}, older.ID)
	want(market.Browse{Q: word, Category: "music"})
	in.Visibility = "public"
	if _, err := w.m.EditRequest(ctx, buyer, r.ID, in); err != nil {
		t.Fatal(err)
	}
	want(market.Browse{Q: word}, r.ID, older.ID)

	worker := market.New(dbtest.PoolAs(t, db.RoleWorker), nil, nil, market.DefaultConfig())
	later := worker.WithClock(func() time.Time { return soon.Add(time.Minute) })
	if _, n, err := later.ExpireDue(ctx, 1000); err != nil || n < 1 {
		t.Fatalf("requests expired %d, %v", n, err)
	}
	want(market.Browse{Q: word}, r.ID)
	if _, err := w.m.CancelRequest(ctx, buyer, r.ID); err != nil {
		t.Fatal(err)
	}
	want(market.Browse{Q: word})
}
