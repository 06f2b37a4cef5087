package ledger

import (
	"encoding/binary"
	"math/big"
	"math/bits"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/amanat/amn/db"
)

// The ledger writes large batches in PostgreSQL's binary formats, encoded here: the COPY format
// for transfers and entries, and binary array parameters for the write statement. pgx's general
// encoding looks up an encoder for every value and converts each amount with math/big divisions,
// which was a third of a batch's time in the client.

// Type OIDs of the parameters the ledger sends in binary.
const (
	oidInt2        = 21
	oidInt4        = 23
	oidInt8        = 20
	oidText        = 25
	oidNumeric     = 1700
	oidTimestamptz = 1184
	oidUUID        = 2950
)

// copyWriter appends rows in the binary COPY format: a header, then per row a field count and
// the fields, then a trailer.
type copyWriter struct{ b []byte }

func newCopyWriter(size int) *copyWriter {
	w := &copyWriter{b: make([]byte, 0, size+32)}
	w.b = append(w.b, "PGCOPY\n\xff\r\n\x00"...)
	w.b = binary.BigEndian.AppendUint32(w.b, 0) // flags
	w.b = binary.BigEndian.AppendUint32(w.b, 0) // header extension length
	return w
}

func (w *copyWriter) row(fields int16) { w.b = binary.BigEndian.AppendUint16(w.b, uint16(fields)) }

func (w *copyWriter) finish() []byte { return binary.BigEndian.AppendUint16(w.b, 0xffff) }

// Field encoders: each appends one value as COPY and binary arrays frame it, its length (-1 for
// NULL) and then its bytes.

func appendNull(b []byte) []byte { return binary.BigEndian.AppendUint32(b, 0xffffffff) }

func appendUUID(b []byte, id ID) []byte {
	return append(binary.BigEndian.AppendUint32(b, 16), id[:]...)
}

// appendOptUUID appends the zero id as NULL.
func appendOptUUID(b []byte, id ID) []byte {
	if id.IsZero() {
		return appendNull(b)
	}
	return appendUUID(b, id)
}

func appendText(b []byte, s string) []byte {
	return append(binary.BigEndian.AppendUint32(b, uint32(len(s))), s...)
}

// appendOptText appends "" as NULL.
func appendOptText(b []byte, s string) []byte {
	if s == "" {
		return appendNull(b)
	}
	return appendText(b, s)
}

func appendInt16(b []byte, v int16) []byte {
	return binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint32(b, 2), uint16(v))
}

func appendInt32(b []byte, v int32) []byte {
	return binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(b, 4), uint32(v))
}

func appendInt64(b []byte, v int64) []byte {
	return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint32(b, 8), uint64(v))
}

func appendBool(b []byte, v bool) []byte {
	b = binary.BigEndian.AppendUint32(b, 1)
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// postgresEpoch is where timestamptz counts its microseconds from.
var postgresEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()

func appendTime(b []byte, t time.Time) []byte { return appendInt64(b, t.UnixMicro()-postgresEpoch) }

// appendOptTime appends the zero time as NULL.
func appendOptTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return appendNull(b)
	}
	return appendTime(b, t)
}

func appendNumericField(b []byte, v *big.Int) []byte {
	at := len(b)
	b = appendNumeric(append(b, 0, 0, 0, 0), v)
	binary.BigEndian.PutUint32(b[at:], uint32(len(b)-at-4))
	return b
}

// binaryArray encodes a one-dimensional array of n elements of type oid as a binary parameter;
// elem appends element i with one of the field encoders above.
func binaryArray(oid uint32, n, size int, elem func(b []byte, i int) []byte) []byte {
	b := make([]byte, 0, 20+n*(4+size))
	if n == 0 {
		b = binary.BigEndian.AppendUint32(b, 0) // no dimensions
		b = binary.BigEndian.AppendUint32(b, 0)
		return binary.BigEndian.AppendUint32(b, oid)
	}
	b = binary.BigEndian.AppendUint32(b, 1)
	b = binary.BigEndian.AppendUint32(b, 0) // has nulls: set below
	b = binary.BigEndian.AppendUint32(b, oid)
	b = binary.BigEndian.AppendUint32(b, uint32(n))
	b = binary.BigEndian.AppendUint32(b, 1) // lower bound
	for i := range n {
		at := len(b)
		b = elem(b, i)
		if int32(binary.BigEndian.Uint32(b[at:])) == -1 {
			b[7] = 1
		}
	}
	return b
}

// appendNumeric appends an integer in NUMERIC's binary form: the number of base-10,000 digits,
// the weight of the first (digits-1 for an integer), the sign, the display scale (0), then the
// digits from the most significant.
func appendNumeric(b []byte, v *big.Int) []byte {
	const nbase = 10000
	var (
		words  [5]uint64  // NUMERIC(78,0) needs at most 260 bits
		digits [25]uint16 // 320 bits are at most 97 decimal digits
		n      int
	)
	ws := v.Bits()
	if len(ws) > len(words) || bits.UintSize != 64 {
		return appendNumericSlow(b, v)
	}
	top := len(ws)
	for i, x := range ws {
		words[i] = uint64(x)
	}
	for top > 0 {
		var rem uint64
		for i := top - 1; i >= 0; i-- {
			words[i], rem = bits.Div64(rem, words[i], nbase)
		}
		for top > 0 && words[top-1] == 0 {
			top--
		}
		digits[n] = uint16(rem)
		n++
	}
	sign := uint16(0)
	if v.Sign() < 0 {
		sign = 0x4000
	}
	weight := uint16(0)
	if n > 0 {
		weight = uint16(n - 1)
	}
	b = binary.BigEndian.AppendUint16(b, uint16(n))
	b = binary.BigEndian.AppendUint16(b, weight)
	b = binary.BigEndian.AppendUint16(b, sign)
	b = binary.BigEndian.AppendUint16(b, 0)
	for i := n - 1; i >= 0; i-- {
		b = binary.BigEndian.AppendUint16(b, digits[i])
	}
	return b
}

// appendNumericSlow is appendNumeric for values no NUMERIC(78,0) column accepts anyway (or a
// 32-bit build), by pgx's own encoder: the server refuses such values with the error it would
// give pgx's encoding.
func appendNumericSlow(b []byte, v *big.Int) []byte {
	n := db.Numeric(v)
	out, err := pgtype.NumericCodec{}.PlanEncode(nil, pgtype.NumericOID, pgtype.BinaryFormatCode, n).Encode(n, b)
	if err != nil { // a finite integer always encodes
		panic("ledger: encoding numeric " + v.String() + ": " + err.Error())
	}
	return out
}
