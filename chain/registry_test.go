package chain

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

func TestRegistryDefaultsFromChainsMD(t *testing.T) {
	r := DefaultRegistry()
	bsc, err := r.Get("bsc")
	if err != nil {
		t.Fatal(err)
	}
	usdt, ok := bsc.TokenByAddress(common.HexToAddress("0x55d398326f99059fF775485246999027B3197955"))
	if !ok || usdt.Decimals != 18 {
		t.Errorf("BSC USDT = %+v, %v: want 18 decimals", usdt, ok)
	}
	poly, _ := r.Get("137")
	if poly.DepthFloor != 128 || poly.FirstBlock() != 14163521 || len(poly.FeeProxies) != 4 {
		t.Errorf("polygon: floor %d first block %d proxies %d", poly.DepthFloor, poly.FirstBlock(), len(poly.FeeProxies))
	}
	eth, _ := r.Get("eth")
	if eth.Tokens[0].Decimals != 6 || eth.FeeProxies[0].Address != common.HexToAddress("0x370DE27fdb7D1Ff1e1BaA7D11c5820a324Cf623C") {
		t.Errorf("eth defaults: %+v", eth)
	}
	for _, c := range r.All() {
		if err := c.Validate(); err != nil {
			t.Errorf("built-in %s invalid: %v", c.Key, err)
		}
	}
}

func TestRegistryMergeOverridesAndAdds(t *testing.T) {
	r := DefaultRegistry()
	err := r.Merge([]byte(`{"chains": [
		{"key": "bsc", "endpoints": ["https://bsc.example/KEY", "wss://bsc2.example"], "depth_floor": 20},
		{"key": "dev", "id": 31337, "block_time": "1s", "depth_floor": 2, "finality": "depth", "finality_stall": "1m",
		 "tokens": [{"symbol": "USDT", "address": "0x0000000000000000000000000000000000000001", "decimals": 6}]}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	bsc, _ := r.Get("bsc")
	if bsc.DepthFloor != 20 || len(bsc.Endpoints) != 2 || bsc.ID != 56 || len(bsc.Tokens) != 2 {
		t.Errorf("bsc after merge: %+v", bsc)
	}
	dev, err := r.Get("dev")
	if err != nil || dev.BlockTime != time.Second || dev.Finality != FinalityDepth {
		t.Errorf("dev: %+v, %v", dev, err)
	}
	// The native-currency ledger: the mainnet's currency is kept over a merge; a new chain without
	// one gets NATIVE, and a config may name it.
	if bsc.NativeLedger() != "bsc:BNB" || dev.NativeLedger() != "dev:NATIVE" {
		t.Errorf("native ledgers %q, %q", bsc.NativeLedger(), dev.NativeLedger())
	}
	if err := r.Merge([]byte(`{"chains": [{"key": "dev", "currency": "DEV"}]}`)); err != nil {
		t.Fatal(err)
	}
	if dev, _ := r.Get("dev"); dev.NativeLedger() != "dev:DEV" {
		t.Errorf("dev with a currency: %q", dev.NativeLedger())
	}
	for name, doc := range map[string]string{
		"unknown field":  `{"chains": [{"key": "bsc", "depht_floor": 3}]}`,
		"bad finality":   `{"chains": [{"key": "bsc", "finality": "vibes"}]}`,
		"bad endpoint":   `{"chains": [{"key": "bsc", "endpoints": ["ftp://x"]}]}`,
		"new without id": `{"chains": [{"key": "new", "block_time": "1s", "finality": "finalized", "finality_stall": "1m"}]}`,
		"no key":         `{"chains": [{"id": 5}]}`,
		"bad currency":   `{"chains": [{"key": "bsc", "currency": "B N B"}]}`,
	} {
		if err := DefaultRegistry().Merge([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := r.Get("solana"); !errors.Is(err, ErrUnknownChain) {
		t.Errorf("Get(solana) = %v", err)
	}
}

// TestWatchNativeSetting: watch_native reads auto, always and never (absent: auto), the old
// booleans as always and never, and refuses anything else.
func TestWatchNativeSetting(t *testing.T) {
	for in, want := range map[string]NativeWatch{`"auto"`: WatchAuto, `"always"`: WatchAlways, `"never"`: WatchNever,
		`true`: WatchAlways, `false`: WatchNever, `""`: WatchAuto} {
		var w NativeWatch
		if err := json.Unmarshal([]byte(in), &w); err != nil || w != want {
			t.Errorf("%s: %q, %v; want %q", in, w, err, want)
		}
	}
	for _, in := range []string{`"sometimes"`, `1`} {
		var w NativeWatch
		if err := json.Unmarshal([]byte(in), &w); err == nil {
			t.Errorf("%s: accepted as %q", in, w)
		}
	}
	if w := WatchAlways; json.Unmarshal([]byte(`null`), &w) != nil || w != WatchAlways {
		t.Errorf("null changed the setting to %q", w)
	}
	for _, c := range []struct {
		w          NativeWatch
		open, full bool
	}{{WatchAuto, false, false}, {WatchAuto, true, true}, {"", true, true}, {WatchAlways, false, true}, {WatchNever, true, false}} {
		if got := c.w.Full(c.open); got != c.full {
			t.Errorf("%q with a native payment open=%v: full %v, want %v", c.w, c.open, got, c.full)
		}
	}
	for _, c := range Defaults() {
		if c.WatchNative != WatchAuto {
			t.Errorf("%s: watch_native %q by default, want auto", c.Key, c.WatchNative)
		}
	}
}

// TestEIP7702Setting: the three mainnets run EIP-7702 by default (activations cited in
// Defaults) with no sweeper until one is deployed; a chain config sets both, and a devnet
// without the setting keeps the top-up path.
func TestEIP7702Setting(t *testing.T) {
	for _, c := range Defaults() {
		if !c.EIP7702 || c.Sweeper != (common.Address{}) {
			t.Errorf("%s: eip7702 %v, sweeper %s by default; want true and none", c.Key, c.EIP7702, c.Sweeper.Hex())
		}
	}
	r := DefaultRegistry()
	if err := r.Merge([]byte(`{"chains": [
		{"key": "bsc", "sweeper": "0x00000000000000000000000000000000000000aa"},
		{"key": "polygon", "eip7702": false},
		{"key": "dev", "id": 31337, "block_time": "1s", "finality": "finalized", "finality_stall": "1m"}]}`)); err != nil {
		t.Fatal(err)
	}
	bsc, _ := r.Get("bsc")
	poly, _ := r.Get("polygon")
	dev, _ := r.Get("dev")
	if !bsc.EIP7702 || bsc.Sweeper != common.HexToAddress("0xaa") || poly.EIP7702 || dev.EIP7702 {
		t.Errorf("bsc %v %s, polygon %v, dev %v", bsc.EIP7702, bsc.Sweeper.Hex(), poly.EIP7702, dev.EIP7702)
	}
}
