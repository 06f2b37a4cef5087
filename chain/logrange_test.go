package chain

import (
	"errors"
	"testing"
)

// rpcErr is a JSON-RPC error as go-ethereum's client returns it.
type rpcErr struct {
	code int
	msg  string
}

func (e rpcErr) Error() string  { return e.msg }
func (e rpcErr) ErrorCode() int { return e.code }

func TestParseRangeErrorProviders(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want RangeHint
		ok   bool
	}{
		{"alchemy", rpcErr{-32602, "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [0x1e8480, 0x1e8c4f]"},
			RangeHint{From: 0x1e8480, To: 0x1e8c4f}, true},
		{"alchemy 500", rpcErr{-32600, "You can make eth_getLogs requests with up to a 500 block range."}, RangeHint{Limit: 500}, true},
		{"alchemy 2K no suggestion", rpcErr{-32602, "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range"}, RangeHint{Limit: 2000}, true},
		{"infura suggestion", rpcErr{-32005, "query returned more than 10000 results. Try with this block range [0x10, 0x2F]."}, RangeHint{From: 0x10, To: 0x2f}, true},
		{"infura limit", rpcErr{-32602, "range 1000000 exceeds limit of 10000"}, RangeHint{Limit: 10000}, true},
		{"quicknode", rpcErr{-32614, "eth_getLogs is limited to a 10,000 range"}, RangeHint{Limit: 10000}, true},
		{"quicknode free", rpcErr{-32614, "eth_getLogs is limited to a 5 range"}, RangeHint{Limit: 5}, true},
		{"ankr", rpcErr{-32600, "block range is too wide"}, RangeHint{}, true},
		{"bsc", rpcErr{-32000, "exceed maximum block range: 5000"}, RangeHint{Limit: 5000}, true},
		{"bsc disabled", rpcErr{-32005, "limit exceeded"}, RangeHint{}, true},
		{"infura no suggestion", rpcErr{-32005, "query returned more than 10000 results"}, RangeHint{}, true},
		{"not a range error", rpcErr{-32000, "execution reverted"}, RangeHint{}, false},
		{"transport", errors.New("connection reset by peer"), RangeHint{}, false},
		{"nil", nil, RangeHint{}, false},
	} {
		got, ok := ParseRangeError(tc.err)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: ParseRangeError = %+v, %v; want %+v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestNextRange(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to uint64
		hint     RangeHint
		repeated bool
		want     uint64
	}{
		{"suggested range from the start", 100, 10099, RangeHint{From: 100, To: 2099}, false, 2000},
		{"suggested range elsewhere: its width", 100, 10099, RangeHint{From: 0, To: 499}, false, 500},
		{"suggestion wider than asked: halve", 100, 199, RangeHint{From: 100, To: 10099}, false, 50},
		{"named limit", 1, 10000, RangeHint{Limit: 5000}, false, 5000},
		{"limit not below the width: halve", 1, 1000, RangeHint{Limit: 5000}, false, 500},
		{"no number: halve", 1, 1000, RangeHint{}, false, 500},
		{"the same failing suggestion again: halve", 100, 2099, RangeHint{From: 100, To: 2099}, true, 1000},
		{"one block", 7, 7, RangeHint{}, false, 1},
	} {
		if got := NextRange(tc.from, tc.to, tc.hint, tc.repeated); got != tc.want {
			t.Errorf("%s: NextRange = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// FuzzParseRangeError: provider messages are outside input; parsing never panics and a suggested
// range is never inverted.
func FuzzParseRangeError(f *testing.F) {
	f.Add("this block range should work: [0x1, 0x2]")
	f.Add("Try with this block range [0xffffffffffffffff, 0x0].")
	f.Add("range 1 exceeds limit of 99,999,999,999,999,999,999")
	f.Add("up to a 0K block range")
	f.Fuzz(func(t *testing.T, msg string) {
		h, _ := ParseRangeError(rpcErr{-32000, msg})
		if h.Suggested() && h.To < h.From {
			t.Fatalf("inverted range %+v from %q", h, msg)
		}
		if w := NextRange(h.From, h.From+1000, h, false); w == 0 || w > 1001 {
			t.Fatalf("NextRange width %d from %+v", w, h)
		}
	})
}

func TestEndpointLabelHidesSecrets(t *testing.T) {
	for in, want := range map[string]string{
		"https://eth-mainnet.g.alchemy.com/v2/SECRETKEY":  "https://eth-mainnet.g.alchemy.com",
		"wss://user:pass@node.example:8546/ws?key=SECRET": "wss://node.example:8546",
		"http://127.0.0.1:8545":                           "http://127.0.0.1:8545",
	} {
		if got := EndpointLabel(in); got != want {
			t.Errorf("EndpointLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
