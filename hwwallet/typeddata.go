package hwwallet

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	gemath "github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

// typedDataSource answers a device's EthereumSignTypedData requests from EIP-712 typed data,
// the way trezorlib's ethereum.sign_typed_data does: struct definitions by name, and values
// by member path (0 = domain, 1 = message, then member or array indices).
type typedDataSource struct {
	td apitypes.TypedData
}

// structAck describes the struct type name: its members' names and types in declaration
// order (the order that defines the type hash).
func (s typedDataSource) structAck(name string) (*EthereumTypedDataStructAck, error) {
	members, ok := s.td.Types[name]
	if !ok {
		return nil, fmt.Errorf("%w: the device asks for struct %q, which the typed data does not define", ErrUnsupported, name)
	}
	ack := &EthereumTypedDataStructAck{Members: make([]EthereumStructMember, len(members))}
	for i, m := range members {
		ft, err := s.fieldType(m.Type)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", name, m.Name, err)
		}
		ack.Members[i] = EthereumStructMember{Name: m.Name, Type: ft}
	}
	return ack, nil
}

func u32(n uint32) *uint32 { return &n }

// fieldType maps an EIP-712 type string to Trezor's EthereumFieldType.
func (s typedDataSource) fieldType(typ string) (EthereumFieldType, error) {
	if strings.HasSuffix(typ, "]") {
		open := strings.LastIndexByte(typ, '[')
		if open < 0 {
			return EthereumFieldType{}, fmt.Errorf("%w: type %q", ErrUnsupported, typ)
		}
		entry, err := s.fieldType(typ[:open])
		if err != nil {
			return EthereumFieldType{}, err
		}
		if entry.DataType == DataTypeArray {
			return EthereumFieldType{}, fmt.Errorf("%w: nested arrays (%q)", ErrUnsupported, typ)
		}
		ft := EthereumFieldType{DataType: DataTypeArray, EntryType: &entry}
		if n := typ[open+1 : len(typ)-1]; n != "" {
			size, err := strconv.ParseUint(n, 10, 16)
			if err != nil {
				return EthereumFieldType{}, fmt.Errorf("%w: array length in %q", ErrUnsupported, typ)
			}
			ft.Size = u32(uint32(size))
		}
		return ft, nil
	}
	switch {
	case typ == "string":
		return EthereumFieldType{DataType: DataTypeString}, nil
	case typ == "bool":
		return EthereumFieldType{DataType: DataTypeBool}, nil
	case typ == "address":
		return EthereumFieldType{DataType: DataTypeAddress}, nil
	case typ == "bytes":
		return EthereumFieldType{DataType: DataTypeBytes}, nil
	case strings.HasPrefix(typ, "bytes"):
		n, err := strconv.Atoi(typ[len("bytes"):])
		if err != nil || n < 1 || n > 32 {
			return EthereumFieldType{}, fmt.Errorf("%w: type %q", ErrUnsupported, typ)
		}
		return EthereumFieldType{DataType: DataTypeBytes, Size: u32(uint32(n))}, nil
	case strings.HasPrefix(typ, "uint"), strings.HasPrefix(typ, "int"):
		dt, bits := DataTypeUint, strings.TrimPrefix(typ, "uint")
		if !strings.HasPrefix(typ, "uint") {
			dt, bits = DataTypeInt, strings.TrimPrefix(typ, "int")
		}
		n, err := strconv.Atoi(bits)
		if err != nil || n < 8 || n > 256 || n%8 != 0 {
			return EthereumFieldType{}, fmt.Errorf("%w: type %q", ErrUnsupported, typ)
		}
		return EthereumFieldType{DataType: dt, Size: u32(uint32(n / 8))}, nil
	}
	if members, ok := s.td.Types[typ]; ok {
		return EthereumFieldType{DataType: DataTypeStruct, Size: u32(uint32(len(members))), StructName: &typ}, nil
	}
	return EthereumFieldType{}, fmt.Errorf("%w: type %q", ErrUnsupported, typ)
}

// value is the encoded value at a member path: for an array its length (2 bytes big-endian,
// the device then asks for each element), otherwise the value itself.
func (s typedDataSource) value(path []uint32) ([]byte, error) {
	if len(path) == 0 {
		return nil, fmt.Errorf("%w: empty member path", ErrUnexpectedMessage)
	}
	var (
		typ  string
		data any
	)
	switch path[0] {
	case 0:
		typ, data = "EIP712Domain", map[string]any(s.td.Domain.Map())
	case 1:
		typ, data = s.td.PrimaryType, map[string]any(s.td.Message)
	default:
		return nil, fmt.Errorf("%w: member path root %d (want 0 or 1)", ErrUnexpectedMessage, path[0])
	}
	for depth, i := range path[1:] {
		if elem, ok := arrayElem(typ); ok {
			v := reflect.ValueOf(data)
			if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
				return nil, fmt.Errorf("%w: %v: %s holds %T, not a list", ErrUnsupported, path[:depth+2], typ, data)
			}
			if int(i) >= v.Len() {
				return nil, fmt.Errorf("%w: member path %v: index %d past the %d elements", ErrUnexpectedMessage, path, i, v.Len())
			}
			typ, data = elem, v.Index(int(i)).Interface()
			continue
		}
		members, ok := s.td.Types[typ]
		if !ok {
			return nil, fmt.Errorf("%w: member path %v goes into %s, which is not a struct", ErrUnexpectedMessage, path, typ)
		}
		if int(i) >= len(members) {
			return nil, fmt.Errorf("%w: member path %v: %s has %d members", ErrUnexpectedMessage, path, typ, len(members))
		}
		obj, ok := data.(map[string]any)
		if !ok {
			if m, isMsg := data.(apitypes.TypedDataMessage); isMsg {
				obj = m
			} else {
				return nil, fmt.Errorf("%w: %s holds %T, not an object", ErrUnsupported, typ, data)
			}
		}
		m := members[i]
		v, present := obj[m.Name]
		if !present {
			return nil, fmt.Errorf("%w: %s.%s has no value", ErrUnsupported, typ, m.Name)
		}
		typ, data = m.Type, v
	}
	if _, isArray := arrayElem(typ); isArray {
		v := reflect.ValueOf(data)
		if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
			return nil, fmt.Errorf("%w: %s holds %T, not a list", ErrUnsupported, typ, data)
		}
		if v.Len() > math.MaxUint16 {
			return nil, fmt.Errorf("%w: array of %d elements", ErrUnsupported, v.Len())
		}
		return []byte{byte(v.Len() >> 8), byte(v.Len())}, nil
	}
	if _, isStruct := s.td.Types[typ]; isStruct {
		return nil, fmt.Errorf("%w: member path %v names struct %s, not a value", ErrUnexpectedMessage, path, typ)
	}
	b, err := encodeTypedValue(typ, data)
	if err != nil {
		return nil, fmt.Errorf("member path %v (%s): %w", path, typ, err)
	}
	return b, nil
}

// arrayElem returns the element type of an array type string.
func arrayElem(typ string) (string, bool) {
	if !strings.HasSuffix(typ, "]") {
		return "", false
	}
	open := strings.LastIndexByte(typ, '[')
	if open < 0 {
		return "", false
	}
	return typ[:open], true
}

// encodeTypedValue encodes one atomic value as Trezor expects it: integers big-endian in
// exactly their type's byte size (two's complement for intN), addresses as 20 bytes, bool as
// one byte, bytesN as exactly N bytes, bytes raw, strings as UTF-8.
func encodeTypedValue(typ string, v any) ([]byte, error) {
	switch {
	case typ == "string":
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%w: string value of type %T", ErrUnsupported, v)
		}
		return []byte(s), nil
	case typ == "bool":
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("%w: bool value of type %T", ErrUnsupported, v)
		}
		if b {
			return []byte{1}, nil
		}
		return []byte{0}, nil
	case typ == "address":
		switch a := v.(type) {
		case common.Address:
			return a.Bytes(), nil
		case string:
			if !common.IsHexAddress(a) {
				return nil, fmt.Errorf("%w: address %q", ErrUnsupported, a)
			}
			return common.HexToAddress(a).Bytes(), nil
		}
		return nil, fmt.Errorf("%w: address value of type %T", ErrUnsupported, v)
	case strings.HasPrefix(typ, "bytes"):
		b, err := toBytes(v)
		if err != nil {
			return nil, err
		}
		if typ != "bytes" {
			n, _ := strconv.Atoi(typ[len("bytes"):])
			if len(b) != n {
				return nil, fmt.Errorf("%w: %s value of %d bytes", ErrUnsupported, typ, len(b))
			}
		}
		return b, nil
	case strings.HasPrefix(typ, "uint"), strings.HasPrefix(typ, "int"):
		signed := !strings.HasPrefix(typ, "uint")
		bits, err := strconv.Atoi(strings.TrimPrefix(strings.TrimPrefix(typ, "u"), "int"))
		if err != nil || bits < 8 || bits > 256 || bits%8 != 0 {
			return nil, fmt.Errorf("%w: type %q", ErrUnsupported, typ)
		}
		x, err := toBig(v)
		if err != nil {
			return nil, err
		}
		lo, hi := new(big.Int), new(big.Int).Lsh(big.NewInt(1), uint(bits))
		if signed {
			lo.Neg(new(big.Int).Lsh(big.NewInt(1), uint(bits-1)))
			hi.Rsh(hi, 1)
		}
		if x.Cmp(lo) < 0 || x.Cmp(hi) >= 0 {
			return nil, fmt.Errorf("%w: %s out of range for %s", ErrUnsupported, x, typ)
		}
		if x.Sign() < 0 {
			x = new(big.Int).Add(x, new(big.Int).Lsh(big.NewInt(1), uint(bits)))
		}
		return x.FillBytes(make([]byte, bits/8)), nil
	}
	return nil, fmt.Errorf("%w: type %q", ErrUnsupported, typ)
}

func toBytes(v any) ([]byte, error) {
	switch b := v.(type) {
	case []byte:
		return b, nil
	case hexutil.Bytes:
		return b, nil
	case [32]byte:
		return b[:], nil
	case common.Hash:
		return b[:], nil
	case string:
		out, err := hexutil.Decode(b)
		if err != nil {
			return nil, fmt.Errorf("%w: bytes value %q: %v", ErrUnsupported, b, err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%w: bytes value of type %T", ErrUnsupported, v)
}

func toBig(v any) (*big.Int, error) {
	switch x := v.(type) {
	case *big.Int:
		if x != nil {
			return x, nil
		}
	case *gemath.HexOrDecimal256:
		if x != nil {
			return (*big.Int)(x), nil
		}
	case gemath.HexOrDecimal256:
		return (*big.Int)(&x), nil
	case string:
		if n, ok := gemath.ParseBig256(x); ok {
			return n, nil
		}
		if n, ok := new(big.Int).SetString(x, 10); ok { // negative decimals
			return n, nil
		}
	case json.Number:
		if n, ok := new(big.Int).SetString(x.String(), 10); ok {
			return n, nil
		}
	case float64:
		if x == math.Trunc(x) && math.Abs(x) <= 1<<53 {
			return big.NewInt(int64(x)), nil
		}
	case int:
		return big.NewInt(int64(x)), nil
	case int64:
		return big.NewInt(x), nil
	case uint64:
		return new(big.Int).SetUint64(x), nil
	}
	return nil, fmt.Errorf("%w: integer value %v (%T)", ErrUnsupported, v, v)
}
