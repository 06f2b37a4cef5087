package mongo

import (
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/amanat/amn/blog"
)

// Table tests of the field reader: each wrong shape is named in the reason.
func TestFieldsNameWhatIsWrong(t *testing.T) {
	doc := func(d bson.D) bson.Raw {
		b, err := bson.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := []struct {
		name string
		doc  bson.D
		read func(f *fields)
		want string
	}{
		{"missing", bson.D{}, func(f *fields) { f.str("email", true) }, "missing field email"},
		{"null is missing", bson.D{{Key: "email", Value: nil}}, func(f *fields) { f.str("email", true) }, "missing field email"},
		{"wrong type", bson.D{{Key: "email", Value: true}}, func(f *fields) { f.str("email", true) }, "field email is a boolean, not a string"},
		{"fraction", bson.D{{Key: "amount", Value: 1.5}}, func(f *fields) { f.amount("amount", true) }, "not a whole number"},
		{"negative", bson.D{{Key: "amount", Value: "-5"}}, func(f *fields) { f.amount("amount", true) }, "negative"},
		{"not digits", bson.D{{Key: "amount", Value: "12abc"}}, func(f *fields) { f.amount("amount", true) }, "not an amount in base units"},
		{"decimal fraction", bson.D{{Key: "amount", Value: mustDecimal(t, "12.50")}}, func(f *fields) { f.amount("amount", true) }, "not in base units"},
		{"ref not ObjectId", bson.D{{Key: "user", Value: "65e1a0000000000000000001"}}, func(f *fields) { f.ref("user", true) }, "field user is a string, not an ObjectId"},
		{"nested path", bson.D{{Key: "budget", Value: bson.D{}}}, func(f *fields) { f.amount("budget.max", true) }, "missing field budget.max"},
		{"array of numbers", bson.D{{Key: "tags", Value: bson.A{1}}}, func(f *fields) { f.strs("tags") }, "field tags.0 is a number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &fields{raw: doc(c.doc)}
			c.read(f)
			if f.err == nil || !strings.Contains(f.err.Error(), c.want) {
				t.Fatalf("error %v, want it to say %q", f.err, c.want)
			}
		})
	}
	// A Decimal128 without a fraction, a digit string and a whole double are amounts.
	for _, v := range []any{mustDecimal(t, "1.2E+3"), "1200", 1200.0, int32(1200), int64(1200)} {
		f := &fields{raw: doc(bson.D{{Key: "amount", Value: v}})}
		if got := f.amount("amount", true); f.err != nil || got.Int64() != 1200 {
			t.Errorf("%T %v: %v %v", v, v, got, f.err)
		}
	}
}

func mustDecimal(t testing.TB, s string) bson.Decimal128 {
	d, err := bson.ParseDecimal128(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// FuzzConvert feeds arbitrary BSON documents to every collection's conversion: it reports or
// accepts, and never panics (the source is outside input).
func FuzzConvert(f *testing.F) {
	for _, d := range []bson.D{
		{{Key: "_id", Value: bson.NewObjectID()}, {Key: "email", Value: "a@b.c"}, {Key: "points", Value: int32(3)}},
		{{Key: "budget", Value: bson.D{{Key: "min", Value: "1"}, {Key: "max", Value: 2.5}}}, {Key: "status", Value: "paid"}},
		{{Key: "messages", Value: bson.A{bson.D{{Key: "text", Value: "hi"}}}}, {Key: "passkeys", Value: bson.A{"x"}}},
	} {
		b, _ := bson.Marshal(d)
		f.Add(b)
	}
	bl, err := blog.New(nil, nil, blog.DefaultConfig())
	if err != nil {
		f.Fatal(err)
	}
	im := &Importer{blog: bl}
	f.Fuzz(func(t *testing.T, b []byte) {
		raw := bson.Raw(b)
		if raw.Validate() != nil {
			return
		}
		for _, c := range collections {
			res := &resolver{known: map[string]bool{}}
			it, err := c.convert(im, bson.NewObjectID(), &fields{raw: raw}, res)
			if err == nil && it.write == nil {
				t.Fatalf("%s: converted without a write", c.name)
			}
		}
	})
}
