package payment

import (
	"fmt"
	"math/big"
	"strings"
)

// ParseUnits reads a decimal amount a person typed ("12.5") as base units of a token with the
// given decimals (12500000 for 6). More fractional digits than the token has is an error, never
// a rounding.
func ParseUnits(s string, decimals uint8) (*big.Int, error) {
	s = strings.TrimSpace(s)
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && frac == "" || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") ||
		(hasDot && frac == "") || !digits(whole) || !digits(frac) {
		return nil, fmt.Errorf("%w: amount %q is not a decimal number", ErrInvalid, s)
	}
	if len(frac) > int(decimals) {
		return nil, fmt.Errorf("%w: amount %q has more than %d decimals", ErrInvalid, s, decimals)
	}
	v, _ := new(big.Int).SetString(whole+frac+strings.Repeat("0", int(decimals)-len(frac)), 10)
	if v == nil {
		v = new(big.Int)
	}
	return v, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// FormatUnits shows base units as a decimal amount ("12.5"), for people.
func FormatUnits(v *big.Int, decimals uint8) string {
	if v == nil {
		return "0"
	}
	neg := v.Sign() < 0
	s := new(big.Int).Abs(v).String()
	if decimals > 0 {
		if len(s) <= int(decimals) {
			s = strings.Repeat("0", int(decimals)-len(s)+1) + s
		}
		s = s[:len(s)-int(decimals)] + "." + strings.TrimRight(s[len(s)-int(decimals):], "0")
		s = strings.TrimSuffix(s, ".")
	}
	if neg {
		s = "-" + s
	}
	return s
}
