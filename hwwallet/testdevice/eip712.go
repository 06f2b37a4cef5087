package testdevice

import (
	"bytes"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/hwwallet"
)

// The device side of EthereumSignTypedData, after trezor-firmware's
// core/src/apps/ethereum/sign_typed_data.py: collect every struct definition from the host,
// then hash the domain (member path [0]) and the message ([1]) asking for each value by its
// member path, show the fields, confirm, sign keccak256(0x1901 ‖ domain ‖ message).

type typedData struct {
	d     *Device
	types map[string][]hwwallet.EthereumStructMember
}

func (d *Device) signTypedData(r *hwwallet.EthereumSignTypedData) (hwwallet.Message, error) {
	w, err := d.wallet()
	if err != nil {
		return nil, err
	}
	td := &typedData{d: d, types: map[string][]hwwallet.EthereumStructMember{}}
	if err := td.collect("EIP712Domain"); err != nil {
		return nil, err
	}
	if err := td.collect(r.PrimaryType); err != nil {
		return nil, err
	}
	// The firmware first fetches the domain's name and version to title the screens.
	for i, m := range td.types["EIP712Domain"] {
		if m.Name == "name" || m.Name == "version" {
			v, err := td.value(m.Type, []uint32{0, uint32(i)})
			if err != nil {
				return nil, err
			}
			d.show("domain " + m.Name + ": " + display(m.Type, v))
		}
	}
	domain, err := td.hashStruct("EIP712Domain", []uint32{0}, "EIP712Domain")
	if err != nil {
		return nil, err
	}
	var message []byte
	if r.PrimaryType != "EIP712Domain" {
		if message, err = td.hashStruct(r.PrimaryType, []uint32{1}, r.PrimaryType); err != nil {
			return nil, err
		}
	}
	if err := d.confirm(hwwallet.ButtonSignTx, "sign typed data "+r.PrimaryType); err != nil {
		return nil, err
	}
	sig, addr, err := sign(w, r.AddressN, crypto.Keccak256([]byte{0x19, 0x01}, domain, message))
	if err != nil {
		return nil, err
	}
	return &hwwallet.EthereumTypedDataSignature{Signature: sig, Address: addr}, nil
}

// collect asks for a struct definition and, recursively, for the structs it uses.
func (td *typedData) collect(name string) error {
	resp, err := td.d.exchange(&hwwallet.EthereumTypedDataStructRequest{Name: name}, hwwallet.TypeEthereumTypedDataStructAck)
	if err != nil {
		return err
	}
	members := resp.(*hwwallet.EthereumTypedDataStructAck).Members
	td.types[name] = members
	for _, m := range members {
		if err := validateFieldType(&m.Type); err != nil {
			return err
		}
		t := &m.Type
		for t.DataType == hwwallet.DataTypeArray {
			t = t.EntryType
		}
		if t.DataType == hwwallet.DataTypeStruct {
			if _, ok := td.types[*t.StructName]; !ok {
				if err := td.collect(*t.StructName); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func validateFieldType(f *hwwallet.EthereumFieldType) error {
	bad := func(msg string) error { return fail(hwwallet.FailureDataError, "%s", msg) }
	if f.DataType == hwwallet.DataTypeArray {
		if f.EntryType == nil {
			return bad("Missing entry_type in array")
		}
		if err := validateFieldType(f.EntryType); err != nil {
			return err
		}
	} else if f.EntryType != nil {
		return bad("Unexpected entry_type in nonarray")
	}
	if f.DataType == hwwallet.DataTypeStruct {
		if f.StructName == nil {
			return bad("Missing struct_name in struct")
		}
	} else if f.StructName != nil {
		return bad("Unexpected struct_name in nonstruct")
	}
	switch f.DataType {
	case hwwallet.DataTypeStruct:
		if f.Size == nil {
			return bad("Missing size in struct")
		}
	case hwwallet.DataTypeBytes:
		if f.Size != nil && (*f.Size < 1 || *f.Size > 32) {
			return bad("Invalid size in bytes")
		}
	case hwwallet.DataTypeUint, hwwallet.DataTypeInt:
		if f.Size == nil || *f.Size < 1 || *f.Size > 32 {
			return bad("Invalid size in int/uint")
		}
	case hwwallet.DataTypeString, hwwallet.DataTypeBool, hwwallet.DataTypeAddress:
		if f.Size != nil {
			return bad("Unexpected size in str/bool/addr")
		}
	case hwwallet.DataTypeArray:
	default:
		return bad("Invalid data type")
	}
	return nil
}

// typeName is a member type as the type string spells it.
func typeName(f *hwwallet.EthereumFieldType) string {
	switch f.DataType {
	case hwwallet.DataTypeArray:
		if f.Size == nil {
			return typeName(f.EntryType) + "[]"
		}
		return typeName(f.EntryType) + "[" + strconv.Itoa(int(*f.Size)) + "]"
	case hwwallet.DataTypeStruct:
		return *f.StructName
	case hwwallet.DataTypeBool:
		return "bool"
	case hwwallet.DataTypeAddress:
		return "address"
	case hwwallet.DataTypeString:
		return "string"
	case hwwallet.DataTypeUint:
		return "uint" + strconv.Itoa(int(*f.Size)*8)
	case hwwallet.DataTypeInt:
		return "int" + strconv.Itoa(int(*f.Size)*8)
	case hwwallet.DataTypeBytes:
		if f.Size == nil {
			return "bytes"
		}
		return "bytes" + strconv.Itoa(int(*f.Size))
	}
	return "?"
}

// encodeType is EIP-712's encodeType: the primary type, then its dependencies sorted by name.
func (td *typedData) encodeType(primary string) string {
	deps := map[string]bool{}
	var find func(string)
	find = func(name string) {
		if deps[name] {
			return
		}
		deps[name] = true
		for _, m := range td.types[name] {
			t := &m.Type
			for t.DataType == hwwallet.DataTypeArray {
				t = t.EntryType
			}
			if t.DataType == hwwallet.DataTypeStruct {
				find(*t.StructName)
			}
		}
	}
	find(primary)
	delete(deps, primary)
	order := []string{primary}
	for name := range deps {
		order = append(order, name)
	}
	slices.Sort(order[1:])
	var b strings.Builder
	for _, name := range order {
		fields := make([]string, len(td.types[name]))
		for i, m := range td.types[name] {
			fields[i] = typeName(&m.Type) + " " + m.Name
		}
		b.WriteString(name + "(" + strings.Join(fields, ",") + ")")
	}
	return b.String()
}

// hashStruct is keccak256(typeHash ‖ encodeData), fetching each value from the host.
func (td *typedData) hashStruct(typ string, path []uint32, title string) ([]byte, error) {
	members, ok := td.types[typ]
	if !ok {
		return nil, fail(hwwallet.FailureDataError, "Unknown struct %s", typ)
	}
	var enc bytes.Buffer
	enc.Write(crypto.Keccak256([]byte(td.encodeType(typ))))
	for i, m := range members {
		mp := append(slices.Clone(path), uint32(i))
		switch m.Type.DataType {
		case hwwallet.DataTypeStruct:
			h, err := td.hashStruct(*m.Type.StructName, mp, title+"."+m.Name)
			if err != nil {
				return nil, err
			}
			enc.Write(h)
		case hwwallet.DataTypeArray:
			n := 0
			if m.Type.Size != nil {
				n = int(*m.Type.Size)
			} else {
				size2 := uint32(2)
				v, err := td.value(hwwallet.EthereumFieldType{DataType: hwwallet.DataTypeUint, Size: &size2}, mp)
				if err != nil {
					return nil, err
				}
				n = int(v[0])<<8 | int(v[1])
			}
			var arr bytes.Buffer
			for j := range n {
				ep := append(slices.Clone(mp), uint32(j))
				if m.Type.EntryType.DataType == hwwallet.DataTypeStruct {
					h, err := td.hashStruct(*m.Type.EntryType.StructName, ep, fmt.Sprintf("%s.%s[%d]", title, m.Name, j))
					if err != nil {
						return nil, err
					}
					arr.Write(h)
					continue
				}
				v, err := td.value(*m.Type.EntryType, ep)
				if err != nil {
					return nil, err
				}
				td.d.show(fmt.Sprintf("%s.%s[%d]: %s", title, m.Name, j, display(*m.Type.EntryType, v)))
				arr.Write(encodeField(*m.Type.EntryType, v))
			}
			enc.Write(crypto.Keccak256(arr.Bytes()))
		default:
			v, err := td.value(m.Type, mp)
			if err != nil {
				return nil, err
			}
			td.d.show(title + "." + m.Name + ": " + display(m.Type, v))
			enc.Write(encodeField(m.Type, v))
		}
	}
	return crypto.Keccak256(enc.Bytes()), nil
}

// value asks for the value at path and validates it against its type.
func (td *typedData) value(f hwwallet.EthereumFieldType, path []uint32) ([]byte, error) {
	resp, err := td.d.exchange(&hwwallet.EthereumTypedDataValueRequest{MemberPath: path}, hwwallet.TypeEthereumTypedDataValueAck)
	if err != nil {
		return nil, err
	}
	v := resp.(*hwwallet.EthereumTypedDataValueAck).Value
	switch {
	case f.Size != nil && len(v) != int(*f.Size):
		return nil, fail(hwwallet.FailureDataError, "Invalid length")
	case f.Size == nil && len(v) > 1024:
		return nil, fail(hwwallet.FailureDataError, "Invalid length, bigger than 1024")
	case f.DataType == hwwallet.DataTypeBool && (len(v) != 1 || v[0] > 1):
		return nil, fail(hwwallet.FailureDataError, "Invalid boolean value")
	case f.DataType == hwwallet.DataTypeAddress && len(v) != 20:
		return nil, fail(hwwallet.FailureDataError, "Invalid address")
	case f.DataType == hwwallet.DataTypeString && !utf8.Valid(v):
		return nil, fail(hwwallet.FailureDataError, "Invalid UTF-8")
	}
	return v, nil
}

// encodeField is one member's 32-byte word in encodeData.
func encodeField(f hwwallet.EthereumFieldType, v []byte) []byte {
	switch f.DataType {
	case hwwallet.DataTypeBytes:
		if f.Size == nil {
			return crypto.Keccak256(v)
		}
		return common.RightPadBytes(v, 32)
	case hwwallet.DataTypeString:
		return crypto.Keccak256(v)
	case hwwallet.DataTypeInt:
		w := common.LeftPadBytes(v, 32)
		if len(v) > 0 && v[0]&0x80 != 0 { // sign-extend
			for i := range 32 - len(v) {
				w[i] = 0xff
			}
		}
		return w
	default: // UINT, BOOL, ADDRESS
		return common.LeftPadBytes(v, 32)
	}
}

// display is how the screen shows a value.
func display(f hwwallet.EthereumFieldType, v []byte) string {
	switch f.DataType {
	case hwwallet.DataTypeUint:
		return new(big.Int).SetBytes(v).String()
	case hwwallet.DataTypeInt:
		x := new(big.Int).SetBytes(v)
		if len(v) > 0 && v[0]&0x80 != 0 {
			x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(8*len(v))))
		}
		return x.String()
	case hwwallet.DataTypeAddress:
		return common.BytesToAddress(v).Hex()
	case hwwallet.DataTypeBool:
		return strconv.FormatBool(v[0] == 1)
	case hwwallet.DataTypeString:
		return string(v)
	}
	return fmt.Sprintf("0x%x", v)
}
