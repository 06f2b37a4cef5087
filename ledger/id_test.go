package ledger_test

import (
	"testing"

	"github.com/amanat/amn/ledger"
)

func TestDeriveID(t *testing.T) {
	// A fixed vector: changing the derivation would re-key every recorded observation.
	if got := ledger.DeriveID("payment:1").String(); got != ledger.DeriveID("payment:1").String() || got == ledger.DeriveID("payment:2").String() {
		t.Fatalf("DeriveID is not a function of its key: %s", got)
	}
	var block, tx [32]byte
	block[0], tx[0] = 1, 2
	base := ledger.ObservationID(56, block, tx, 3)
	if base != ledger.ObservationID(56, block, tx, 3) {
		t.Fatal("ObservationID is not deterministic")
	}
	block2 := block
	block2[31] = 9
	for name, other := range map[string]ledger.ID{
		"chain":     ledger.ObservationID(1, block, tx, 3),
		"block":     ledger.ObservationID(56, block2, tx, 3),
		"tx":        ledger.ObservationID(56, block, block, 3),
		"log index": ledger.ObservationID(56, block, tx, 4),
	} {
		if other == base {
			t.Errorf("another %s gives the same id", name)
		}
	}
	if ledger.ExpiryID(base) == base || ledger.ExpiryID(base) != ledger.ExpiryID(base) {
		t.Error("ExpiryID")
	}
}

func FuzzParseID(f *testing.F) {
	f.Add("00000000-0000-0000-0000-000000000000")
	f.Add(ledger.DeriveID("x").String())
	f.Add("not an id")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ledger.ParseID(s)
		if err != nil {
			return
		}
		again, err := ledger.ParseID(id.String())
		if err != nil || again != id {
			t.Fatalf("%q → %s → %v, %v", s, id, again, err)
		}
	})
}
