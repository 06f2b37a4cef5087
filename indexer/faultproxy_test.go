package indexer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// faultProxy is an HTTP JSON-RPC proxy in front of an anvil node that misbehaves like the
// providers in CHAINS.md: HTTP 429s, requests that never answer (the client times out), dropped
// connections, truncated bodies, eth_getLogs range errors in one provider's words, and a node that
// lags behind the head.
type faultProxy struct {
	target string
	srv    *httptest.Server

	mu     sync.Mutex
	n      int
	rate   float64 // share of requests that get a transport fault
	faults int     // transport faults injected so far
	style  string  // range-error wording: alchemy, alchemy500, infura, infura-limit, quicknode, ankr, bsc, repeat; nobatch refuses batches
	limit  uint64  // widest eth_getLogs range accepted
	lag    uint64  // blocks behind the real head this node pretends to be
	seen   map[string]int
}

func newFaultProxy(t *testing.T, target string, rate float64, style string, limit, lag uint64) *faultProxy {
	p := &faultProxy{target: target, rate: rate, style: style, limit: limit, lag: lag, seen: map[string]int{}}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *faultProxy) count(what string) {
	p.mu.Lock()
	p.seen[what]++
	p.mu.Unlock()
}

func (p *faultProxy) counts() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]int{}
	for k, v := range p.seen {
		out[k] = v
	}
	return out
}

type rpcMsg struct {
	JSONRPC string            `json:"jsonrpc"`
	ID      json.RawMessage   `json:"id"`
	Method  string            `json:"method,omitempty"`
	Params  []json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage   `json:"result,omitempty"`
	Error   *rpcError         `json:"error,omitempty"`
}

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func hexNum(raw json.RawMessage) (uint64, bool) {
	var s string
	if json.Unmarshal(raw, &s) != nil || !strings.HasPrefix(s, "0x") {
		return 0, false
	}
	v, err := strconv.ParseUint(s[2:], 16, 64)
	return v, err == nil
}

func (p *faultProxy) head() (uint64, error) {
	resp, err := http.Post(p.target, "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}`))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var m rpcMsg
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		return 0, err
	}
	n, _ := hexNum(m.Result)
	return n, nil
}

func (p *faultProxy) rangeError(from, to uint64) *rpcError {
	lim := p.limit
	switch p.style {
	case "alchemy":
		return &rpcError{-32602, fmt.Sprintf("Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [0x%x, 0x%x]", from, from+lim-1)}
	case "alchemy500":
		return &rpcError{-32600, fmt.Sprintf("You can make eth_getLogs requests with up to a %d block range.", lim)}
	case "infura":
		return &rpcError{-32005, fmt.Sprintf("query returned more than 10000 results. Try with this block range [0x%x, 0x%x].", from, from+lim-1)}
	case "infura-limit":
		return &rpcError{-32602, fmt.Sprintf("range %d exceeds limit of %d", to-from+1, lim)}
	case "quicknode":
		return &rpcError{-32614, fmt.Sprintf("eth_getLogs is limited to a %d range", lim)}
	case "ankr":
		return &rpcError{-32600, "block range is too wide"}
	case "bsc":
		return &rpcError{-32000, fmt.Sprintf("exceed maximum block range: %d", lim)}
	case "repeat":
		// Always the same suggestion, itself too wide: believing it would loop forever.
		return &rpcError{-32602, fmt.Sprintf("Log response size exceeded. Based on your parameters, this block range should work: [0x%x, 0x%x]", from, from+2*lim)}
	}
	return &rpcError{-32000, "limit exceeded"}
}

func (p *faultProxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	// Every 1/rate-th request fails, the kinds in turn, so that each kind happens in any run long
	// enough; which request gets which still depends on the indexer's order of calls.
	p.mu.Lock()
	p.n++
	faulty := p.rate > 0 && p.n%int(math.Round(1/p.rate)) == 0
	pick := 0
	if faulty {
		// The kinds take turns by their own count, so five faults show every kind once.
		pick = p.faults % 5
		p.faults++
	}
	p.mu.Unlock()
	if faulty {
		switch pick {
		case 0:
			p.count("429")
			w.Header().Set("Retry-After", "0")
			http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
			return
		case 1:
			p.count("timeout")
			<-r.Context().Done() // never answers: the client's timeout ends it
			return
		case 2:
			p.count("drop")
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
		case 3:
			p.count("500")
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
		// case 4: truncated, below
	}
	batch := len(bytes.TrimSpace(body)) > 0 && bytes.TrimSpace(body)[0] == '['
	var msgs []rpcMsg
	if batch {
		err = json.Unmarshal(body, &msgs)
	} else {
		var m rpcMsg
		err = json.Unmarshal(body, &m)
		msgs = []rpcMsg{m}
	}
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if batch && p.style == "nobatch" {
		// Some providers answer a batch with one error object.
		p.count("batch refused")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch requests are not supported"}}`))
		return
	}
	var lagHead uint64
	if p.lag > 0 {
		h, err := p.head()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		lagHead = h - min(h, p.lag)
	}
	override := map[int]rpcMsg{}
	for i := range msgs {
		m := &msgs[i]
		switch m.Method {
		case "eth_getLogs":
			var q map[string]json.RawMessage
			if len(m.Params) == 1 && json.Unmarshal(m.Params[0], &q) == nil {
				from, ok1 := hexNum(q["fromBlock"])
				to, ok2 := hexNum(q["toBlock"])
				if ok1 && ok2 && to-from+1 > p.limit {
					p.count("range:" + p.style)
					override[i] = rpcMsg{JSONRPC: "2.0", ID: m.ID, Error: p.rangeError(from, to)}
					continue
				}
				if p.lag > 0 && ok2 && to > lagHead {
					// A lagging node answers for the blocks it has: fewer logs, no error.
					p.count("lag:logs")
					q["toBlock"], _ = json.Marshal(fmt.Sprintf("0x%x", max(lagHead, from)))
					m.Params[0], _ = json.Marshal(q)
				}
			}
		case "eth_getBlockByNumber", "eth_blockNumber":
			if p.lag == 0 {
				continue
			}
			if m.Method == "eth_blockNumber" {
				override[i] = rpcMsg{JSONRPC: "2.0", ID: m.ID, Result: json.RawMessage(fmt.Sprintf(`"0x%x"`, lagHead))}
				continue
			}
			var tag string
			if json.Unmarshal(m.Params[0], &tag) == nil && tag == "latest" {
				m.Params[0], _ = json.Marshal(fmt.Sprintf("0x%x", lagHead))
			} else if n, ok := hexNum(m.Params[0]); ok && n > lagHead {
				p.count("lag:null")
				override[i] = rpcMsg{JSONRPC: "2.0", ID: m.ID, Result: json.RawMessage("null")}
			}
		}
	}
	var fwd []byte
	if batch {
		fwd, _ = json.Marshal(msgs)
	} else {
		fwd, _ = json.Marshal(msgs[0])
	}
	resp, err := http.Post(p.target, "application/json", bytes.NewReader(fwd))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if len(override) > 0 {
		var answers []rpcMsg
		if batch {
			_ = json.Unmarshal(out, &answers)
		} else {
			var a rpcMsg
			_ = json.Unmarshal(out, &a)
			answers = []rpcMsg{a}
		}
		for i, a := range answers {
			for j, o := range override {
				if bytes.Equal(a.ID, msgs[j].ID) {
					answers[i] = o
				}
			}
		}
		if batch {
			out, _ = json.Marshal(answers)
		} else {
			out, _ = json.Marshal(answers[0])
		}
	}
	if faulty && pick == 4 {
		p.count("truncated")
		if hj, ok := w.(http.Hijacker); ok {
			if c, buf, err := hj.Hijack(); err == nil {
				fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(out))
				_, _ = buf.Write(out[:len(out)/2])
				_ = buf.Flush()
				c.Close()
				return
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(out)
}
