package chain

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/rpc"
)

// RangeHint is what a provider's eth_getLogs error says about the range it would accept.
type RangeHint struct {
	// From, To: a range the provider suggests (Alchemy, Infura), when it names one.
	From, To uint64
	// Limit: the widest range the provider accepts, when it names one (QuickNode, public BSC
	// nodes, Infura's second form, Alchemy's variant).
	Limit uint64
}

// Suggested reports whether the hint names a range.
func (h RangeHint) Suggested() bool { return h.To >= h.From && h.To > 0 }

var (
	// Alchemy: "… this block range should work: [0x1, 0x7d0]"; Infura: "Try with this block range [0x1, 0x7d0]."
	reSuggested = regexp.MustCompile(`(?i)block range(?: should work)?:?\s*\[\s*(0x[0-9a-f]+|\d+)\s*,\s*(0x[0-9a-f]+|\d+)\s*\]`)
	// Infura: "range 1000000 exceeds limit of 10000"
	reExceedsLimit = regexp.MustCompile(`(?i)exceeds limit of\s*([\d,]+)`)
	// QuickNode: "eth_getLogs is limited to a 10,000 range"
	reLimitedTo = regexp.MustCompile(`(?i)limited to an? ([\d,]+) (?:block )?range`)
	// BSC public nodes: "exceed maximum block range: 5000"
	reMaxRange = regexp.MustCompile(`(?i)maximum block range:?\s*([\d,]+)`)
	// Alchemy's variant: "up to a 500 block range" / "up to a 2K block range"
	reUpTo = regexp.MustCompile(`(?i)up to an? ([\d,]+)(k?) block range`)
)

// rangeWords are phrases of range and result-size errors that carry no number: the caller
// halves the range.
var rangeWords = []string{
	"block range is too wide", "block range too large", "query returned more than", "log response size exceeded",
	"range too large", "too many blocks", "response size", "exceed maximum block range", "query timeout",
	"limit exceeded",
}

func parseNum(s string) (uint64, bool) {
	s = strings.ReplaceAll(s, ",", "")
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		v, err := strconv.ParseUint(s[2:], 16, 64)
		return v, err == nil
	}
	v, err := strconv.ParseUint(s, 10, 64)
	return v, err == nil
}

// ParseRangeError reads an eth_getLogs error: ok is false when it is not about the range or the
// size of the answer (then it is some other failure). A true ok with a zero hint means "too
// wide, no number given": halve.
func ParseRangeError(err error) (RangeHint, bool) {
	if err == nil {
		return RangeHint{}, false
	}
	msg := err.Error()
	var re rpc.Error
	if errors.As(err, &re) {
		msg = re.Error()
	}
	var h RangeHint
	if m := reSuggested.FindStringSubmatch(msg); m != nil {
		a, okA := parseNum(m[1])
		b, okB := parseNum(m[2])
		if okA && okB && b >= a {
			h.From, h.To = a, b
			return h, true
		}
	}
	for _, re := range []*regexp.Regexp{reExceedsLimit, reLimitedTo, reMaxRange} {
		if m := re.FindStringSubmatch(msg); m != nil {
			if v, ok := parseNum(m[1]); ok && v > 0 {
				h.Limit = v
				return h, true
			}
		}
	}
	if m := reUpTo.FindStringSubmatch(msg); m != nil {
		if v, ok := parseNum(m[1]); ok && v > 0 {
			if m[2] != "" {
				v *= 1000
			}
			h.Limit = v
			return h, true
		}
	}
	low := strings.ToLower(msg)
	for _, w := range rangeWords {
		if strings.Contains(low, w) {
			return h, true
		}
	}
	return h, false
}

// NextRange decides the next range width after a failed eth_getLogs over [from, to]: the
// provider's suggestion when it is usable and new, else half. repeated says the provider gave the
// same suggestion for the last failing attempt too (some keep suggesting a range they then
// refuse): it is ignored and the range halved.
func NextRange(from, to uint64, h RangeHint, repeated bool) uint64 {
	width := to - from + 1
	half := max(width/2, 1)
	if repeated {
		return half
	}
	switch {
	case h.Suggested() && h.From == from && h.To < to:
		return h.To - h.From + 1
	case h.Suggested():
		// A range elsewhere (providers sometimes answer for the start of the original request):
		// its width is still what they would accept.
		if w := h.To - h.From + 1; w < width {
			return w
		}
	case h.Limit > 0 && h.Limit < width:
		return h.Limit
	}
	return half
}
