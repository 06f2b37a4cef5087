package payment

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// Request Network's own published examples.
var rnReferenceExamples = []struct {
	source              string
	requestID, salt, to string
	wantRef             string
	wantTopic           string // keccak256 of the reference bytes, when the source gives it
}{
	{
		// RequestNetwork/requestNetwork packages/payment-detection/test/payment-reference-calculator.test.ts
		// ("can calculate the payment reference").
		source: "payment-reference-calculator.test.ts", requestID: "01847474747474", salt: "8d03ea7", to: "0x000001",
		wantRef: "a0098add01acc736",
	},
	{
		// RequestNetwork/requestNetwork packages/payment-detection/test/erc20/thegraph-info-retriever.test.ts
		// ("should get payment event from ethFeeProxy via subgraph"): a real Rinkeby payment whose
		// on-chain indexed reference is given; note the mixed case is lowercased before hashing.
		source:    "thegraph-info-retriever.test.ts",
		requestID: "0188791633ff0ec72a7dbdefb886d2db6cccfa98287320839c2f173c7a4e3ce7e1",
		salt:      "0ee84db293a752c6", to: "0x5000ee9fb9c96a2a09d8efb695ac21d6c429ff11",
		wantRef:   "2d7476c48c63ba65",
		wantTopic: "0x6c93723bc5f82e6fbb2ea994bf0fb572fa19f7a2a3146065e21752b95668efe5",
	},
}

func TestReferenceRequestNetworkExamples(t *testing.T) {
	for _, ex := range rnReferenceExamples {
		t.Run(ex.source, func(t *testing.T) {
			ref, err := NewReference(ex.requestID, ex.salt, ex.to)
			if err != nil {
				t.Fatal(err)
			}
			if ref.String() != ex.wantRef {
				t.Errorf("reference = %s, want %s", ref, ex.wantRef)
			}
			if ComputeReference(ex.requestID, ex.salt, ex.to) != ref {
				t.Error("ComputeReference and NewReference disagree")
			}
			// Case must not matter: Request Network lowercases the whole string.
			if up := ComputeReference(strings.ToUpper(ex.requestID), strings.ToUpper(ex.salt), strings.ToUpper(ex.to)); up != ref {
				t.Errorf("upper-case input gives %s", up)
			}
			if ex.wantTopic != "" {
				if got := ReferenceTopic(ref); got != common.HexToHash(ex.wantTopic) {
					t.Errorf("topic = %s, want %s", got.Hex(), ex.wantTopic)
				}
				if ref.Topic() != ReferenceTopic(ref) {
					t.Error("Topic() differs from ReferenceTopic")
				}
			}
		})
	}
	// A checksummed common.Address hashes as its lowercase form.
	to := common.HexToAddress("0x5000ee9fb9c96a2a09d8efb695ac21d6c429ff11")
	if got := ComputeReference(rnReferenceExamples[1].requestID, rnReferenceExamples[1].salt, to.Hex()); got.String() != "2d7476c48c63ba65" {
		t.Errorf("checksummed address gives %s", got)
	}
}

func TestNewReferenceRequiresInputs(t *testing.T) {
	// Mirrors Request Network's "should throw if a parameter is missing".
	for _, in := range [][3]string{{"", "8d03ea7", "0x000001"}, {"01847474747474", "", "0x000001"}, {"01847474747474", "8d03ea7", ""}} {
		if _, err := NewReference(in[0], in[1], in[2]); !errors.Is(err, ErrReferenceInput) {
			t.Errorf("%q: err = %v, want ErrReferenceInput", in, err)
		}
	}
}

func TestParseReference(t *testing.T) {
	want := Reference{0xa0, 0x09, 0x8a, 0xdd, 0x01, 0xac, 0xc7, 0x36}
	for _, s := range []string{"a0098add01acc736", "0xa0098add01acc736", "0XA0098ADD01ACC736", "A0098ADD01ACC736"} {
		got, err := ParseReference(s)
		if err != nil || got != want {
			t.Errorf("ParseReference(%q) = %s, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "0x", "a0098add01acc7", "a0098add01acc73600", "g0098add01acc736", "0xa0098add01acc73", " a0098add01acc736"} {
		if _, err := ParseReference(s); !errors.Is(err, ErrInvalidReference) {
			t.Errorf("ParseReference(%q): err = %v, want ErrInvalidReference", s, err)
		}
	}
	// JSON round trip uses the text form.
	b, err := json.Marshal(struct{ R Reference }{want})
	if err != nil || string(b) != `{"R":"a0098add01acc736"}` {
		t.Fatalf("marshal: %s, %v", b, err)
	}
	var back struct{ R Reference }
	if err := json.Unmarshal(b, &back); err != nil || back.R != want {
		t.Fatalf("unmarshal: %v, %v", back.R, err)
	}
	if err := json.Unmarshal([]byte(`{"R":"nothex"}`), &back); !errors.Is(err, ErrInvalidReference) {
		t.Errorf("unmarshal bad: %v", err)
	}
	if b := want.Bytes(); len(b) != 8 || b[0] != 0xa0 {
		t.Errorf("Bytes() = %x", b)
	}
	if !(Reference{}).IsZero() || want.IsZero() {
		t.Error("IsZero")
	}
}

func FuzzParseReference(f *testing.F) {
	for _, s := range []string{"a0098add01acc736", "0xa0098add01acc736", "", "0x", "zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseReference(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidReference) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		// Anything accepted round-trips to the canonical form.
		again, err := ParseReference(r.String())
		if err != nil || again != r {
			t.Fatalf("round trip of %q: %s, %v", s, again, err)
		}
		if !strings.EqualFold(strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X"), r.String()) {
			t.Fatalf("%q parsed as %s", s, r)
		}
	})
}
