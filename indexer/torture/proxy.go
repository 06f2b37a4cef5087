package torture

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
)

// faultProxy is a JSON-RPC proxy in front of an anvil node that breaks a share of the requests
// the way providers do: HTTP 429 and 502, dropped connections, bodies cut in half, and stale
// heads (eth_blockNumber and the `latest` block answered a few blocks behind).
type faultProxy struct {
	target string
	srv    *httptest.Server
	rate   float64

	mu    sync.Mutex
	rnd   *rand.Rand
	count int
}

func newFaultProxy(target string, rate float64, seed uint64) *faultProxy {
	p := &faultProxy{target: target, rate: rate, rnd: rand.New(rand.NewPCG(seed, 7))}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	return p
}

func (p *faultProxy) URL() string { return p.srv.URL }

func (p *faultProxy) Close() { p.srv.CloseClientConnections(); p.srv.Close() }

func (p *faultProxy) broken() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count
}

// fault picks what happens to a request: "" (nothing) or a fault.
func (p *faultProxy) fault() (string, uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rnd.Float64() >= p.rate {
		return "", 0
	}
	p.count++
	kinds := []string{"429", "502", "drop", "truncate", "stale"}
	return kinds[p.rnd.IntN(len(kinds))], uint64(1 + p.rnd.IntN(3))
}

type msg struct {
	JSONRPC string            `json:"jsonrpc"`
	ID      json.RawMessage   `json:"id"`
	Method  string            `json:"method,omitempty"`
	Params  []json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage   `json:"result,omitempty"`
	Error   json.RawMessage   `json:"error,omitempty"`
}

func (p *faultProxy) post(body []byte) ([]byte, error) {
	resp, err := http.Post(p.target, "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func (p *faultProxy) head() (uint64, error) {
	out, err := p.post([]byte(`{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}`))
	if err != nil {
		return 0, err
	}
	var m msg
	var s string
	if err := json.Unmarshal(out, &m); err != nil || json.Unmarshal(m.Result, &s) != nil {
		return 0, fmt.Errorf("bad eth_blockNumber answer %q", out)
	}
	return strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 64)
}

func (p *faultProxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	kind, behind := p.fault()
	switch kind {
	case "429":
		w.Header().Set("Retry-After", "0")
		http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
		return
	case "502":
		http.Error(w, "bad gateway", http.StatusBadGateway)
		return
	case "drop":
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
	case "stale":
		var direct []byte
		if body, direct = p.stale(body, behind); direct != nil {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(direct)
			return
		}
	}
	out, err := p.post(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if kind == "truncate" {
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

// stale rewrites a single request for the head (eth_blockNumber, or the `latest` block) to
// answer `behind` blocks below it, as a node that has not seen the last blocks yet. An
// eth_blockNumber is answered directly (direct); anything else goes on, rewritten or not.
func (p *faultProxy) stale(body []byte, behind uint64) (_ []byte, direct []byte) {
	var m msg
	if json.Unmarshal(body, &m) != nil || (m.Method != "eth_blockNumber" && m.Method != "eth_getBlockByNumber") {
		return body, nil
	}
	if m.Method == "eth_getBlockByNumber" {
		var tag string
		if len(m.Params) == 0 || json.Unmarshal(m.Params[0], &tag) != nil || tag != "latest" {
			return body, nil
		}
	}
	h, err := p.head()
	if err != nil || h < behind {
		return body, nil
	}
	n := fmt.Sprintf("%q", fmt.Sprintf("0x%x", h-behind))
	if m.Method == "eth_blockNumber" {
		return body, []byte(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"result":%s}`, m.ID, n))
	}
	m.Params[0] = json.RawMessage(n)
	out, _ := json.Marshal(m)
	return out, nil
}
