package hwwallet

import (
	"encoding/hex"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

func TestEncodeTypedValue(t *testing.T) {
	big256 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	for _, c := range []struct {
		typ  string
		v    any
		want string // hex; "" = error
	}{
		{"uint256", "1", "00000000000000000000000000000000000000000000000000000000000000" + "01"},
		{"uint256", big256, "ff" + repeatHex("ff", 31)},
		{"uint256", "0x10", repeatHex("00", 31) + "10"},
		{"uint256", (*math.HexOrDecimal256)(big.NewInt(56)), repeatHex("00", 31) + "38"},
		{"uint8", float64(255), "ff"},
		{"uint8", "256", ""},
		{"uint8", "-1", ""},
		{"int8", float64(-1), "ff"},
		{"int8", float64(-128), "80"},
		{"int8", float64(128), ""},
		{"int16", "-2", "fffe"},
		{"uint64", 1.5, ""},
		{"bool", true, "01"},
		{"bool", false, "00"},
		{"bool", "true", ""},
		{"address", "0x000000000000000000000000000000000000dEaD", repeatHex("00", 18) + "dead"},
		{"address", common.HexToAddress("0x01"), repeatHex("00", 19) + "01"},
		{"address", "0x1234", ""},
		{"bytes32", "0x" + repeatHex("ab", 32), repeatHex("ab", 32)},
		{"bytes32", "0xab", ""},
		{"bytes4", [32]byte{}, ""},
		{"bytes", "0x", ""},
		{"bytes", "0x0102", "0102"},
		{"string", "AmnEscrow", hex.EncodeToString([]byte("AmnEscrow"))},
		{"string", 5, ""},
		{"uint7", "1", ""},
		{"fixed128x18", "1", ""},
	} {
		got, err := encodeTypedValue(c.typ, c.v)
		switch {
		case c.want == "" && err == nil && !(c.typ == "bytes" && len(got) == 0):
			t.Errorf("%s %v: accepted as %x", c.typ, c.v, got)
		case c.want == "" && err != nil && !errors.Is(err, ErrUnsupported):
			t.Errorf("%s %v: %v does not wrap ErrUnsupported", c.typ, c.v, err)
		case c.want != "" && (err != nil || hex.EncodeToString(got) != c.want):
			t.Errorf("%s %v = %x, %v; want %s", c.typ, c.v, got, err, c.want)
		}
	}
}

func repeatHex(b string, n int) string {
	s := ""
	for range n {
		s += b
	}
	return s
}

func TestFieldTypes(t *testing.T) {
	src := typedDataSource{}
	src.td.Types = apitypes.Types{"Person": {{Name: "name", Type: "string"}}}
	for _, c := range []struct {
		typ       string
		dt        EthereumDataType
		size      uint32 // 0 = absent
		entryType EthereumDataType
	}{
		{"uint256", DataTypeUint, 32, 0},
		{"int8", DataTypeInt, 1, 0},
		{"bytes32", DataTypeBytes, 32, 0},
		{"bytes", DataTypeBytes, 0, 0},
		{"string", DataTypeString, 0, 0},
		{"bool", DataTypeBool, 0, 0},
		{"address", DataTypeAddress, 0, 0},
		{"address[]", DataTypeArray, 0, DataTypeAddress},
		{"uint16[3]", DataTypeArray, 3, DataTypeUint},
	} {
		ft, err := src.fieldType(c.typ)
		if err != nil {
			t.Errorf("%s: %v", c.typ, err)
			continue
		}
		gotSize := uint32(0)
		if ft.Size != nil {
			gotSize = *ft.Size
		}
		if ft.DataType != c.dt || gotSize != c.size || (c.entryType != 0) != (ft.EntryType != nil) ||
			(ft.EntryType != nil && ft.EntryType.DataType != c.entryType) || ft.StructName != nil {
			t.Errorf("%s: %+v", c.typ, ft)
		}
	}
	if ft, err := src.fieldType("Person"); err != nil || ft.DataType != DataTypeStruct || *ft.Size != 1 || *ft.StructName != "Person" {
		t.Errorf("Person: %+v, %v", ft, err)
	}
	for _, bad := range []string{"uint", "uint257", "bytes33", "bytes0", "address[][]", "Unknown", "uint8[x]"} {
		if _, err := src.fieldType(bad); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
