package market_test

import (
	"context"
	"math/big"
	"reflect"
	"slices"
	"testing"

	"github.com/google/uuid"

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
