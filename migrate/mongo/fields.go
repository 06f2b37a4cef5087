package mongo

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// fields reads one source document field by field and keeps the first thing wrong with it (a
// missing field, a wrong type, a value out of range) as the document's reason to be skipped.
// Keys may be paths ("budget.max").
type fields struct {
	raw bson.Raw
	err error
}

func (f *fields) fail(format string, a ...any) {
	if f.err == nil {
		f.err = fmt.Errorf(format, a...)
	}
}

// lookup finds key; null and undefined count as missing.
func (f *fields) lookup(key string) (bson.RawValue, bool) {
	v, err := f.raw.LookupErr(strings.Split(key, ".")...)
	if err != nil || v.Type == bson.TypeNull || v.Type == bson.TypeUndefined {
		return bson.RawValue{}, false
	}
	return v, true
}

func (f *fields) missing(key string) { f.fail("missing field %s", key) }

func (f *fields) wrong(key string, v bson.RawValue, want string) {
	f.fail("field %s is %s, not %s", key, typeName(v.Type), want)
}

// str is a string field; required ones must be there and not blank.
func (f *fields) str(key string, required bool) string {
	v, ok := f.lookup(key)
	if !ok {
		if required {
			f.missing(key)
		}
		return ""
	}
	s, ok := v.StringValueOK()
	if !ok {
		f.wrong(key, v, "a string")
		return ""
	}
	if required && strings.TrimSpace(s) == "" {
		f.fail("field %s is empty", key)
	}
	return s
}

func (f *fields) boolean(key string) bool {
	v, ok := f.lookup(key)
	if !ok {
		return false
	}
	b, ok := v.BooleanOK()
	if !ok {
		f.wrong(key, v, "a boolean")
	}
	return b
}

// ref is an ObjectId field (a reference to another document).
func (f *fields) ref(key string, required bool) (bson.ObjectID, bool) {
	v, ok := f.lookup(key)
	if !ok {
		if required {
			f.missing(key)
		}
		return bson.ObjectID{}, false
	}
	id, ok := v.ObjectIDOK()
	if !ok {
		f.wrong(key, v, "an ObjectId")
		return bson.ObjectID{}, false
	}
	return id, true
}

// time is a date field.
func (f *fields) time(key string, required bool) time.Time {
	v, ok := f.lookup(key)
	if !ok {
		if required {
			f.missing(key)
		}
		return time.Time{}
	}
	t, ok := v.TimeOK()
	if !ok {
		f.wrong(key, v, "a date")
		return time.Time{}
	}
	return t.UTC()
}

// integer is a whole number: int32, int64, or a double without a fraction.
func (f *fields) integer(key string, required bool) (int64, bool) {
	v, ok := f.lookup(key)
	if !ok {
		if required {
			f.missing(key)
		}
		return 0, false
	}
	switch v.Type {
	case bson.TypeInt32:
		return int64(v.Int32()), true
	case bson.TypeInt64:
		return v.Int64(), true
	case bson.TypeDouble:
		d := v.Double()
		if d == math.Trunc(d) && math.Abs(d) < 1<<53 {
			return int64(d), true
		}
		f.fail("field %s is %v, not a whole number", key, d)
		return 0, false
	}
	f.wrong(key, v, "a number")
	return 0, false
}

// amount is money in base units: a whole number, a Decimal128 without a fraction or a string of
// digits (Mongoose models kept large amounts as strings). Never negative.
func (f *fields) amount(key string, required bool) *big.Int {
	v, ok := f.lookup(key)
	if !ok {
		if required {
			f.missing(key)
		}
		return nil
	}
	var out *big.Int
	switch v.Type {
	case bson.TypeString:
		s := strings.TrimSpace(v.StringValue())
		n, ok := new(big.Int).SetString(s, 10)
		if !ok || len(s) > 78 {
			f.fail("field %s is %.40q, not an amount in base units", key, s)
			return nil
		}
		out = n
	case bson.TypeDecimal128:
		d := v.Decimal128()
		n, exp, err := d.BigInt()
		if err != nil {
			f.fail("field %s: %v", key, err)
			return nil
		}
		for ; exp > 0; exp-- {
			n.Mul(n, big.NewInt(10))
		}
		for ; exp < 0; exp++ {
			q, r := new(big.Int).QuoRem(n, big.NewInt(10), new(big.Int))
			if r.Sign() != 0 {
				f.fail("field %s is %s, not in base units", key, d.String())
				return nil
			}
			n = q
		}
		out = n
	default:
		i, ok := f.integer(key, true)
		if !ok {
			return nil
		}
		out = big.NewInt(i)
	}
	if out.Sign() < 0 {
		f.fail("field %s is negative", key)
		return nil
	}
	return out
}

// strs is an array of strings.
func (f *fields) strs(key string) []string {
	v, ok := f.lookup(key)
	if !ok {
		return nil
	}
	arr, ok := v.ArrayOK()
	if !ok {
		f.wrong(key, v, "an array")
		return nil
	}
	vals, err := arr.Values()
	if err != nil {
		f.fail("field %s: %v", key, err)
		return nil
	}
	out := make([]string, 0, len(vals))
	for i, e := range vals {
		s, ok := e.StringValueOK()
		if !ok {
			f.fail("field %s.%d is %s, not a string", key, i, typeName(e.Type))
			return nil
		}
		out = append(out, s)
	}
	return out
}

// docs is an array of embedded documents.
func (f *fields) docs(key string) []bson.Raw {
	v, ok := f.lookup(key)
	if !ok {
		return nil
	}
	arr, ok := v.ArrayOK()
	if !ok {
		f.wrong(key, v, "an array")
		return nil
	}
	vals, err := arr.Values()
	if err != nil {
		f.fail("field %s: %v", key, err)
		return nil
	}
	out := make([]bson.Raw, 0, len(vals))
	for i, e := range vals {
		d, ok := e.DocumentOK()
		if !ok {
			f.fail("field %s.%d is %s, not a document", key, i, typeName(e.Type))
			return nil
		}
		out = append(out, d)
	}
	return out
}

// bytes is binary data, or a string in base64url (unpadded or padded) or standard base64 (how
// the old backend's WebAuthn library stored credential ids and keys).
func (f *fields) bytes(key string, required bool) []byte {
	v, ok := f.lookup(key)
	if !ok {
		if required {
			f.missing(key)
		}
		return nil
	}
	if _, b, ok := v.BinaryOK(); ok {
		return b
	}
	if s, ok := v.StringValueOK(); ok {
		if b, err := decodeB64(s); err == nil {
			return b
		}
		f.fail("field %s is a string but not base64", key)
		return nil
	}
	f.wrong(key, v, "binary data")
	return nil
}

// decimalString is an integer field's decimal text (a Telegram id as number or string).
func (f *fields) decimalString(key string) string {
	v, ok := f.lookup(key)
	if !ok {
		return ""
	}
	if s, ok := v.StringValueOK(); ok {
		if _, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err != nil {
			f.fail("field %s is %.30q, not a number", key, s)
			return ""
		}
		return strings.TrimSpace(s)
	}
	n, ok := f.integer(key, true)
	if !ok {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

func typeName(t bson.Type) string {
	switch t {
	case bson.TypeString:
		return "a string"
	case bson.TypeInt32, bson.TypeInt64, bson.TypeDouble, bson.TypeDecimal128:
		return "a number"
	case bson.TypeBoolean:
		return "a boolean"
	case bson.TypeObjectID:
		return "an ObjectId"
	case bson.TypeDateTime:
		return "a date"
	case bson.TypeArray:
		return "an array"
	case bson.TypeEmbeddedDocument:
		return "a document"
	case bson.TypeBinary:
		return "binary data"
	}
	return "of BSON type " + t.String()
}
