package market

import (
	"reflect"
	"strings"
	"testing"

	"github.com/amanat/amn/market/internal/marketdb"
)

// The browse query's rows are scanned by position into marketdb.MarketRequest: its columns must
// be the model's fields, in order (a column added to market_requests must be added to both).
func TestBrowseColumnsMatchTheModel(t *testing.T) {
	typ := reflect.TypeOf(marketdb.MarketRequest{})
	cols := strings.Split(browseColumns, ",")
	if len(cols) != typ.NumField() {
		t.Fatalf("%d browse columns, %d model fields", len(cols), typ.NumField())
	}
	for i, c := range cols {
		if got, want := strings.ReplaceAll(strings.TrimSpace(c), "_", ""), strings.ToLower(typ.Field(i).Name); got != want {
			t.Errorf("column %d is %q, the model's field %s", i, c, typ.Field(i).Name)
		}
	}
}
