package hwwallet

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"google.golang.org/protobuf/encoding/protowire"
)

// The messages in messages.go are plain structs whose fields carry a `pb` tag:
//
//	pb:"NUMBER,NAME,RULE,TYPE"
//
// NUMBER and NAME are the protobuf field number and name, RULE is required, optional or
// repeated, and TYPE is the protobuf type (uint32, bool, string, bytes, or an enum or message
// name) exactly as Trezor's messages.json spells it. Marshal and Unmarshal below encode from the
// tags and nothing else, so the test that checks the tags against messages.json checks what
// goes on the wire. Go types: required → a value, optional → a pointer (nil = absent; []byte nil
// = absent), repeated → a slice. Enums are named int32 types, nested messages structs.

// maxNesting bounds recursion through nested messages (EthereumFieldType nests itself), so a
// hostile payload cannot exhaust the stack.
const maxNesting = 16

type rule uint8

const (
	ruleRequired rule = iota + 1
	ruleOptional
	ruleRepeated
)

// pbField is one parsed `pb` tag.
type pbField struct {
	index  int
	num    protowire.Number
	name   string
	rule   rule
	pbType string
}

var fieldCache sync.Map // reflect.Type → []pbField

// pbFields returns t's tagged fields; a malformed tag is a programming error and panics (the
// wire-number test exercises every message type).
func pbFields(t reflect.Type) []pbField {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]pbField)
	}
	var fs []pbField
	for i := range t.NumField() {
		tag, ok := t.Field(i).Tag.Lookup("pb")
		if !ok {
			continue
		}
		parts := strings.Split(tag, ",")
		if len(parts) != 4 {
			panic(fmt.Sprintf("hwwallet: %s.%s: bad pb tag %q", t.Name(), t.Field(i).Name, tag))
		}
		num, err := strconv.Atoi(parts[0])
		if err != nil || num < 1 {
			panic(fmt.Sprintf("hwwallet: %s.%s: bad field number in %q", t.Name(), t.Field(i).Name, tag))
		}
		f := pbField{index: i, num: protowire.Number(num), name: parts[1], pbType: parts[3]}
		switch parts[2] {
		case "required":
			f.rule = ruleRequired
		case "optional":
			f.rule = ruleOptional
		case "repeated":
			f.rule = ruleRepeated
		default:
			panic(fmt.Sprintf("hwwallet: %s.%s: bad rule in %q", t.Name(), t.Field(i).Name, tag))
		}
		fs = append(fs, f)
	}
	fieldCache.Store(t, fs)
	return fs
}

// Marshal encodes m (a pointer to one of the message structs) as protobuf.
func Marshal(m Message) []byte {
	return marshalStruct(nil, reflect.ValueOf(m).Elem())
}

func marshalStruct(b []byte, v reflect.Value) []byte {
	for _, f := range pbFields(v.Type()) {
		fv := v.Field(f.index)
		switch f.rule {
		case ruleRequired:
			b = appendValue(b, f.num, fv)
		case ruleOptional:
			if (fv.Kind() == reflect.Pointer || fv.Kind() == reflect.Slice) && fv.IsNil() {
				continue
			}
			if fv.Kind() == reflect.Pointer {
				fv = fv.Elem()
			}
			b = appendValue(b, f.num, fv)
		case ruleRepeated:
			for i := range fv.Len() {
				b = appendValue(b, f.num, fv.Index(i))
			}
		}
	}
	return b
}

func appendValue(b []byte, num protowire.Number, v reflect.Value) []byte {
	switch v.Kind() {
	case reflect.Bool:
		b = protowire.AppendTag(b, num, protowire.VarintType)
		return protowire.AppendVarint(b, protowire.EncodeBool(v.Bool()))
	case reflect.Uint32, reflect.Uint64:
		b = protowire.AppendTag(b, num, protowire.VarintType)
		return protowire.AppendVarint(b, v.Uint())
	case reflect.Int32:
		// Enums: negative values are sign-extended to 64 bits, as protobuf does.
		b = protowire.AppendTag(b, num, protowire.VarintType)
		return protowire.AppendVarint(b, uint64(v.Int()))
	case reflect.String:
		b = protowire.AppendTag(b, num, protowire.BytesType)
		return protowire.AppendString(b, v.String())
	case reflect.Slice: // []byte: repeated fields never reach here as a whole
		b = protowire.AppendTag(b, num, protowire.BytesType)
		return protowire.AppendBytes(b, v.Bytes())
	case reflect.Struct:
		b = protowire.AppendTag(b, num, protowire.BytesType)
		return protowire.AppendBytes(b, marshalStruct(nil, v))
	case reflect.Pointer:
		return appendValue(b, num, v.Elem())
	}
	panic(fmt.Sprintf("hwwallet: cannot encode %s", v.Type()))
}

// errDecode is wrapped into ErrMalformedMessage by Unmarshal's callers.
var errDecode = errors.New("protobuf")

// Unmarshal decodes protobuf bytes into m (a pointer to one of the message structs). Unknown
// fields are skipped, as protobuf requires (newer firmware adds fields); a missing required
// field, a wrong wire type or a truncated value is an error wrapping ErrMalformedMessage.
func Unmarshal(b []byte, m Message) error {
	if err := unmarshalStruct(b, reflect.ValueOf(m).Elem(), 0); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrMalformedMessage, reflect.TypeOf(m).Elem().Name(), err)
	}
	return nil
}

func unmarshalStruct(b []byte, v reflect.Value, depth int) error {
	if depth > maxNesting {
		return fmt.Errorf("%w: nested deeper than %d", errDecode, maxNesting)
	}
	fields := pbFields(v.Type())
	seen := make([]bool, len(fields))
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("%w: tag: %v", errDecode, protowire.ParseError(n))
		}
		b = b[n:]
		fi := -1
		for i, f := range fields {
			if f.num == num {
				fi = i
				break
			}
		}
		if fi < 0 {
			n = protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return fmt.Errorf("%w: unknown field %d: %v", errDecode, num, protowire.ParseError(n))
			}
			b = b[n:]
			continue
		}
		f := fields[fi]
		fv := v.Field(f.index)
		var err error
		switch f.rule {
		case ruleRequired:
			n, err = decodeValue(b, typ, fv, depth)
		case ruleOptional:
			if fv.Kind() == reflect.Pointer {
				p := reflect.New(fv.Type().Elem())
				if n, err = decodeValue(b, typ, p.Elem(), depth); err == nil {
					fv.Set(p)
				}
			} else {
				n, err = decodeValue(b, typ, fv, depth)
			}
		case ruleRepeated:
			n, err = decodeRepeated(b, typ, fv, depth)
		}
		if err != nil {
			return fmt.Errorf("field %s (%d): %w", f.name, f.num, err)
		}
		b = b[n:]
		seen[fi] = true
	}
	for i, f := range fields {
		if f.rule == ruleRequired && !seen[i] {
			return fmt.Errorf("%w: required field %s (%d) missing", errDecode, f.name, f.num)
		}
	}
	return nil
}

// decodeRepeated appends one element to the slice fv, or several for a packed varint list
// (proto2 senders may pack; decoders must accept both).
func decodeRepeated(b []byte, typ protowire.Type, fv reflect.Value, depth int) (int, error) {
	et := fv.Type().Elem()
	if typ == protowire.BytesType && isVarintKind(et.Kind()) {
		packed, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return 0, fmt.Errorf("%w: packed: %v", errDecode, protowire.ParseError(n))
		}
		for len(packed) > 0 {
			e := reflect.New(et).Elem()
			m, err := decodeValue(packed, protowire.VarintType, e, depth)
			if err != nil {
				return 0, err
			}
			packed = packed[m:]
			fv.Set(reflect.Append(fv, e))
		}
		return n, nil
	}
	e := reflect.New(et).Elem()
	n, err := decodeValue(b, typ, e, depth)
	if err != nil {
		return 0, err
	}
	fv.Set(reflect.Append(fv, e))
	return n, nil
}

func isVarintKind(k reflect.Kind) bool {
	return k == reflect.Bool || k == reflect.Uint32 || k == reflect.Uint64 || k == reflect.Int32
}

func decodeValue(b []byte, typ protowire.Type, v reflect.Value, depth int) (int, error) {
	want := protowire.BytesType
	if isVarintKind(v.Kind()) {
		want = protowire.VarintType
	}
	if typ != want {
		return 0, fmt.Errorf("%w: wire type %d, want %d", errDecode, typ, want)
	}
	if want == protowire.VarintType {
		x, n := protowire.ConsumeVarint(b)
		if n < 0 {
			return 0, fmt.Errorf("%w: varint: %v", errDecode, protowire.ParseError(n))
		}
		switch v.Kind() {
		case reflect.Bool:
			v.SetBool(protowire.DecodeBool(x))
		case reflect.Uint32:
			if x > 1<<32-1 {
				return 0, fmt.Errorf("%w: %d overflows uint32", errDecode, x)
			}
			v.SetUint(x)
		case reflect.Uint64:
			v.SetUint(x)
		case reflect.Int32:
			v.SetInt(int64(int32(x)))
		}
		return n, nil
	}
	raw, n := protowire.ConsumeBytes(b)
	if n < 0 {
		return 0, fmt.Errorf("%w: length-delimited: %v", errDecode, protowire.ParseError(n))
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(string(raw))
	case reflect.Slice:
		v.SetBytes(append([]byte{}, raw...))
	case reflect.Struct:
		if err := unmarshalStruct(raw, v, depth+1); err != nil {
			return 0, err
		}
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		if err := unmarshalStruct(raw, p.Elem(), depth+1); err != nil {
			return 0, err
		}
		v.Set(p)
	default:
		return 0, fmt.Errorf("%w: cannot decode into %s", errDecode, v.Type())
	}
	return n, nil
}
