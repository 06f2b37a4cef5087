package hwwallet

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// trezorProto is the part of @trezor/protobuf's messages.json (protobufjs JSON) we check against.
type trezorProto struct {
	Fields map[string]struct {
		Rule    string         `json:"rule"`
		Type    string         `json:"type"`
		ID      int            `json:"id"`
		Options map[string]any `json:"options"`
	} `json:"fields"`
	Values map[string]int          `json:"values"`
	Nested map[string]*trezorProto `json:"nested"`
}

// loadTrezorMessages reads messages.json from node_modules, where `npm ci` (scripts/setup.sh)
// puts @trezor/protobuf. It is read at test time and never copied into the repository.
func loadTrezorMessages(t *testing.T) *trezorProto {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "node_modules", "@trezor", "protobuf", "messages.json")
		if b, err := os.ReadFile(p); err == nil {
			var root trezorProto
			if err := json.Unmarshal(b, &root); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			return &root
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("node_modules/@trezor/protobuf/messages.json not found: run scripts/setup.sh (npm ci)")
		}
		dir = parent
	}
}

// lookup finds a (possibly nested, dot-separated) type.
func (p *trezorProto) lookup(name string) *trezorProto {
	cur := p
	for part := range strings.SplitSeq(name, ".") {
		if cur == nil || cur.Nested == nil {
			return nil
		}
		cur = cur.Nested[part]
	}
	return cur
}

// protoNames maps each of our message structs to its name in Trezor's definitions.
func protoNames() map[reflect.Type]string {
	names := map[reflect.Type]string{
		reflect.TypeFor[EthereumStructMember](): "EthereumTypedDataStructAck.EthereumStructMember",
		reflect.TypeFor[EthereumFieldType]():    "EthereumTypedDataStructAck.EthereumFieldType",
	}
	for _, f := range messageRegistry {
		rt := reflect.TypeOf(f()).Elem()
		names[rt] = rt.Name()
	}
	return names
}

// TestWireNumbers checks every message type number, every field (number, name, rule, type) and
// every enum value this package puts on the wire against Trezor's published definitions.
func TestWireNumbers(t *testing.T) {
	root := loadTrezorMessages(t)
	types := root.lookup("MessageType")
	if types == nil || len(types.Values) < 100 {
		t.Fatal("messages.json has no MessageType enum: unexpected @trezor/protobuf layout")
	}
	for num, f := range messageRegistry {
		m := f()
		name := reflect.TypeOf(m).Elem().Name()
		if m.MessageType() != num {
			t.Errorf("%s: registered as %d, MessageType() = %d", name, num, m.MessageType())
		}
		want, ok := types.Values[name]
		switch {
		case !ok:
			t.Errorf("%s: not in Trezor's MessageType enum", name)
		case want != int(num):
			t.Errorf("%s: type number %d, Trezor's is %d", name, num, want)
		}
	}

	checked := 0
	for rt, name := range protoNames() {
		def := root.lookup(name)
		if def == nil {
			t.Errorf("%s: no such message in messages.json", name)
			continue
		}
		for _, f := range pbFields(rt) {
			checked++
			tf, ok := def.Fields[f.name]
			if !ok {
				t.Errorf("%s.%s: no such field", name, f.name)
				continue
			}
			if tf.ID != int(f.num) {
				t.Errorf("%s.%s: field number %d, Trezor's is %d", name, f.name, f.num, tf.ID)
			}
			if tf.Type != f.pbType {
				t.Errorf("%s.%s: type %s, Trezor's is %s", name, f.name, f.pbType, tf.Type)
			}
			wantRule := map[string]rule{"required": ruleRequired, "repeated": ruleRepeated, "": ruleOptional}[tf.Rule]
			if wantRule != f.rule {
				t.Errorf("%s.%s: rule %d, Trezor's is %q", name, f.name, f.rule, tf.Rule)
			}
			if packed, _ := tf.Options["packed"].(bool); packed {
				t.Errorf("%s.%s: Trezor packs it; we send unpacked", name, f.name)
			}
			checkGoType(t, name, f, rt.Field(f.index).Type)
		}
	}
	if checked < 40 {
		t.Fatalf("checked only %d fields: the walk is broken", checked)
	}

	for _, e := range []struct {
		proto  string
		prefix string
		values map[string]int
	}{
		{"Failure.FailureType", "Failure_", map[string]int{
			"UnexpectedMessage": int(FailureUnexpectedMessage), "ButtonExpected": int(FailureButtonExpected),
			"DataError": int(FailureDataError), "ActionCancelled": int(FailureActionCancelled),
			"PinExpected": int(FailurePinExpected), "PinCancelled": int(FailurePinCancelled),
			"PinInvalid": int(FailurePinInvalid), "InvalidSignature": int(FailureInvalidSignature),
			"ProcessError": int(FailureProcessError), "NotInitialized": int(FailureNotInitialized),
			"InvalidSession": int(FailureInvalidSession), "Busy": int(FailureBusy),
			"FirmwareError": int(FailureFirmwareError),
		}},
		{"EthereumTypedDataStructAck.EthereumDataType", "", map[string]int{
			"UINT": int(DataTypeUint), "INT": int(DataTypeInt), "BYTES": int(DataTypeBytes),
			"STRING": int(DataTypeString), "BOOL": int(DataTypeBool), "ADDRESS": int(DataTypeAddress),
			"ARRAY": int(DataTypeArray), "STRUCT": int(DataTypeStruct),
		}},
		{"PinMatrixRequest.PinMatrixRequestType", "PinMatrixRequestType_", map[string]int{
			"Current": int(PinMatrixCurrent), "NewFirst": int(PinMatrixNewFirst), "NewSecond": int(PinMatrixNewSecond),
		}},
		{"ButtonRequest.ButtonRequestType", "ButtonRequest_", map[string]int{
			"Other": int(ButtonOther), "ProtectCall": int(ButtonProtectCall), "SignTx": int(ButtonSignTx),
			"Address": int(ButtonAddress), "PinEntry": int(ButtonPinEntry),
		}},
	} {
		def := root.lookup(e.proto)
		if def == nil {
			t.Errorf("%s: no such enum", e.proto)
			continue
		}
		for name, v := range e.values {
			got, ok := def.Values[e.prefix+name]
			if !ok || got != v {
				t.Errorf("%s.%s%s = %d, Trezor's is %d (present: %v)", e.proto, e.prefix, name, v, got, ok)
			}
		}
	}
}

// checkGoType makes sure the Go field can carry the protobuf type its tag names.
func checkGoType(t *testing.T, msg string, f pbField, gt reflect.Type) {
	t.Helper()
	if f.rule == ruleRepeated {
		if gt.Kind() != reflect.Slice {
			t.Errorf("%s.%s: repeated but Go type %s", msg, f.name, gt)
			return
		}
		gt = gt.Elem()
	} else if f.rule == ruleOptional && gt.Kind() == reflect.Pointer {
		gt = gt.Elem()
	} else if f.rule == ruleOptional && f.pbType != "bytes" {
		t.Errorf("%s.%s: optional needs a pointer for presence, Go type %s", msg, f.name, gt)
	}
	var ok bool
	switch f.pbType {
	case "uint32":
		ok = gt.Kind() == reflect.Uint32
	case "bool":
		ok = gt.Kind() == reflect.Bool
	case "string":
		ok = gt.Kind() == reflect.String
	case "bytes":
		ok = gt.Kind() == reflect.Slice && gt.Elem().Kind() == reflect.Uint8
	default: // an enum (int32) or a message (struct) named like the Go type
		ok = (gt.Kind() == reflect.Int32 || gt.Kind() == reflect.Struct) && gt.Name() == f.pbType
	}
	if !ok {
		t.Errorf("%s.%s: Go type %s cannot carry protobuf %s", msg, f.name, gt, f.pbType)
	}
}
