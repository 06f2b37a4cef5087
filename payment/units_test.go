package payment_test

import (
	"errors"
	"math/big"
	"testing"

	"github.com/amanat/amn/payment"
)

func TestUnits(t *testing.T) {
	for _, tc := range []struct {
		in       string
		decimals uint8
		want     string
	}{
		{"12.5", 6, "12500000"}, {"0.000001", 6, "1"}, {"1", 18, "1000000000000000000"}, {"007", 0, "7"},
		{".5", 1, "5"}, {"1.0", 6, "1000000"}, {"123456789012345678901234567890", 18, "123456789012345678901234567890000000000000000000"},
	} {
		got, err := payment.ParseUnits(tc.in, tc.decimals)
		if err != nil || got.String() != tc.want {
			t.Errorf("ParseUnits(%q, %d) = %v, %v; want %s", tc.in, tc.decimals, got, err, tc.want)
		}
		back, _ := new(big.Int).SetString(tc.want, 10)
		if again, err := payment.ParseUnits(payment.FormatUnits(back, tc.decimals), tc.decimals); err != nil || again.Cmp(back) != 0 {
			t.Errorf("round trip of %s: %v, %v", tc.want, again, err)
		}
	}
	for _, bad := range []struct {
		in       string
		decimals uint8
	}{{"", 6}, {"1.", 6}, {"-1", 6}, {"+1", 6}, {"1e6", 6}, {"1,5", 6}, {"0.0000001", 6}, {"1.5", 0}, {"1.2.3", 6}, {" . ", 6}} {
		if _, err := payment.ParseUnits(bad.in, bad.decimals); !errors.Is(err, payment.ErrInvalid) {
			t.Errorf("ParseUnits(%q, %d) err = %v, want ErrInvalid", bad.in, bad.decimals, err)
		}
	}
	if got := payment.FormatUnits(big.NewInt(12500000), 6); got != "12.5" {
		t.Errorf("FormatUnits = %s", got)
	}
	if got := payment.FormatUnits(big.NewInt(1), 18); got != "0.000000000000000001" {
		t.Errorf("FormatUnits = %s", got)
	}
}

func FuzzParseUnits(f *testing.F) {
	f.Add("12.5", uint8(6))
	f.Add("0", uint8(0))
	f.Fuzz(func(t *testing.T, s string, decimals uint8) {
		decimals %= 37
		v, err := payment.ParseUnits(s, decimals)
		if err != nil {
			return
		}
		if v.Sign() < 0 {
			t.Fatalf("negative amount from %q", s)
		}
		again, err := payment.ParseUnits(payment.FormatUnits(v, decimals), decimals)
		if err != nil || again.Cmp(v) != 0 {
			t.Fatalf("round trip of %q: %v %v", s, again, err)
		}
	})
}
