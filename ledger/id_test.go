package ledger_test

import (
	"testing"

	"github.com/amanat/amn/ledger"
)

func TestDeriveID(t *testing.T) {
	// Fixed vectors: changing the derivation would re-key every recorded transfer, so that a
	// re-indexed observation would be credited a second time.
	if got := ledger.DeriveID("payment:1").String(); got != "d25ca68f-79dd-a7ce-9ea5-3a4fd40c7693" {
		t.Fatalf("DeriveID(payment:1) = %s", got)
	}
	if ledger.DeriveID("payment:1") == ledger.DeriveID("payment:2") {
		t.Fatal("two keys, one id")
	}
	var block, tx [32]byte
	block[0], tx[0] = 1, 2
	base := ledger.ObservationID(56, block, tx, 3)
	if base.String() != "919ed678-fa23-2609-7feb-1c4c166f6cd2" {
		t.Fatalf("ObservationID = %s", base)
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
	first, again := ledger.ExpiryID(base), ledger.ExpiryID(base)
	if first == base || first != again {
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
