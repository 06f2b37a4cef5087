package rnartifacts

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/amanat/amn/bindings"
)

// TestABIs checks the facts the rest of the system relies on (CHAINS.md).
func TestABIs(t *testing.T) {
	erc20, err := bindings.ERC20FeeProxyMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	m, ok := erc20.Methods["transferFromWithReferenceAndFee"]
	if !ok || hex.EncodeToString(m.ID) != "c219a14d" {
		t.Errorf("transferFromWithReferenceAndFee selector = %x, want c219a14d", m.ID)
	}
	ev := erc20.Events["TransferWithReferenceAndFee"]
	if got := ev.ID.Hex(); got != "0x9f16cbcc523c67a60c450e5ffe4f3b7b6dbe772e7abcadb2686ce029a9a0a2b6" {
		t.Errorf("ERC20FeeProxy event topic = %s", got)
	}
	eth, err := bindings.EthereumFeeProxyMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := eth.Methods["transferWithReferenceAndFee"]; !ok {
		t.Error("EthereumFeeProxy has no transferWithReferenceAndFee")
	}
	if got := eth.Events["TransferWithReferenceAndFee"].ID.Hex(); got != "0xa1c241e337c4610a9d0f881111e977e9dc8690c85fe2108897bb1483c66e6a96" {
		t.Errorf("EthereumFeeProxy event topic = %s", got)
	}
}

func TestBytecode(t *testing.T) {
	erc20, err := bindings.ERC20FeeProxyMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{ERC20FeeProxy, EthereumFeeProxy, "TestERC20"} {
		code, err := Bytecode(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// Solidity creation code starts with the free-memory-pointer setup 0x6080604052.
		if len(code) < 100 || !bytes.HasPrefix(code, []byte{0x60, 0x80, 0x60, 0x40, 0x52}) {
			t.Errorf("%s: %d bytes starting %x: not creation code", name, len(code), code[:min(len(code), 8)])
		}
	}
	// The ERC20FeeProxy runtime dispatches on its one selector and emits the documented event.
	code, _ := Bytecode(ERC20FeeProxy)
	if !bytes.Contains(code, erc20.Methods["transferFromWithReferenceAndFee"].ID) ||
		!bytes.Contains(code, erc20.Events["TransferWithReferenceAndFee"].ID.Bytes()) {
		t.Error("ERC20FeeProxy bytecode lacks its selector or event topic")
	}

	if _, err := Bytecode("NoSuchContract"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown contract: err = %v, want ErrNotFound", err)
	}
	if _, err := Bytecode("ERC20"); err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("ambiguous name: err = %v", err)
	}
}
