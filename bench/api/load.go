package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// A target is one request of the mix; kind names its share in the report.
type target struct {
	kind string
	path string
}

// mix is the share of each kind of call, in percent: the public browse list (first pages with
// and without filters, full-text search, later pages by cursor) and the public request detail.
var mix = []struct {
	kind string
	pct  int
}{
	{"browse", 25},          // first page, no filter
	{"browse_category", 15}, // one category
	{"browse_filters", 10},  // category, product type, chain and a budget range
	{"browse_q", 15},        // full-text q, a third of them within a category
	{"browse_cursor", 10},   // a later page by its cursor
	{"detail", 25},          // GET /v1/marketplace/requests/{id}
}

// targets draws n calls of the mix. cursors are next-page cursors collected from the API before
// the run; open the requests anyone may read.
func (g *generator) targets(n int, open []uuid.UUID, cursors []string) []target {
	w := make([]int, len(mix))
	for i, m := range mix {
		w[i] = m.pct
		if g.only != "" && m.kind != g.only {
			w[i] = 0
		}
	}
	out := make([]target, n)
	for i := range out {
		k := mix[g.weighted(w)].kind
		out[i] = target{kind: k, path: g.path(k, open, cursors)}
	}
	return out
}

const browsePath = "/v1/marketplace/requests"

func (g *generator) path(kind string, open []uuid.UUID, cursors []string) string {
	v := url.Values{}
	if g.r.IntN(5) == 0 {
		v.Set("limit", "50")
	}
	switch kind {
	case "detail":
		return browsePath + "/" + open[g.r.IntN(len(open))].String()
	case "browse_category":
		v.Set("category", g.category())
	case "browse_filters":
		p := priced[g.weighted(pricedW)]
		lo, hi := g.budget(p.decimals)
		v.Set("category", g.category())
		v.Set("productType", productTypes[g.weighted(productW)])
		v.Set("chain", p.chain)
		v.Set("token", p.token) // a budget compares in one token's base units: the API refuses it without chain and token
		v.Set("budgetMin", lo)
		v.Set("budgetMax", hi)
	case "browse_q":
		q := g.word()
		if g.r.IntN(3) == 0 {
			q += " " + g.word()
		}
		v.Set("q", q)
		if g.r.IntN(3) == 0 {
			v.Set("category", g.category())
		}
	case "browse_cursor":
		v = url.Values{"cursor": {cursors[g.r.IntN(len(cursors))]}}
	}
	if len(v) == 0 {
		return browsePath
	}
	return browsePath + "?" + v.Encode()
}

// collectCursors walks the first pages of the unfiltered list and of each category, as a reader
// paging on would, and keeps their next-page cursors.
func collectCursors(ctx context.Context, c *http.Client, base string, pages int) ([]string, error) {
	var out []string
	starts := []string{""}
	for _, cat := range categories[:min(len(categories), 8)] {
		starts = append(starts, "category="+cat)
	}
	for _, q := range starts {
		cursor := ""
		for range pages {
			u := base + browsePath + "?" + q
			if cursor != "" {
				u += "&cursor=" + url.QueryEscape(cursor)
			}
			var page struct {
				NextCursor *string `json:"nextCursor"`
			}
			if err := getJSON(ctx, c, u, &page); err != nil {
				return nil, err
			}
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
			out = append(out, cursor)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no list of %s has a second page", base+browsePath)
	}
	return out, nil
}

func getJSON(ctx context.Context, c *http.Client, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
		return fmt.Errorf("GET %s: %s: %s", u, resp.Status, strings.TrimSpace(string(b)))
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// result is one call: its kind, when it was due, how long it took from then (so a call the
// generator or the server delayed counts its wait: no coordinated omission), and what came back.
type result struct {
	kind    int // index in mix
	latency time.Duration
	status  int // 0: a transport error; -1: dropped, too many calls in flight
	bytes   int64
}

// runLoad sends ts at rate calls per second on an open loop: call i is due at start + i/rate and
// is sent then whatever the earlier calls are doing (each in its own goroutine). It returns the
// results in call order, the wall time from the first due time to the last answer, and the most
// calls that were in flight at once.
//
// A call due while maxInFlight calls are still waiting is not sent: it is counted as dropped
// (status -1, an error). Without that cap an overloaded server gets ever more connections, one
// per waiting call, and falls over instead of just being late.
func runLoad(ctx context.Context, c *http.Client, base string, ts []target, rate float64, maxInFlight int64) ([]result, time.Duration, int64) {
	kinds := map[string]int{}
	for i, m := range mix {
		kinds[m.kind] = i
	}
	out := make([]result, len(ts))
	var inflight, peak atomic.Int64
	var wg sync.WaitGroup
	start := time.Now().Add(10 * time.Millisecond)
	for i, t := range ts {
		due := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		if ctx.Err() != nil {
			break
		}
		n := inflight.Add(1)
		if n > maxInFlight {
			inflight.Add(-1)
			out[i] = result{kind: kinds[t.kind], status: -1}
			continue
		}
		wg.Go(func() {
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			out[i] = call(ctx, c, base+t.path, due)
			out[i].kind = kinds[t.kind]
			inflight.Add(-1)
		})
	}
	wg.Wait()
	return out, time.Since(start), peak.Load()
}

func call(ctx context.Context, c *http.Client, u string, due time.Time) result {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return result{latency: time.Since(due)}
	}
	resp, err := c.Do(req)
	if err != nil {
		return result{latency: time.Since(due)}
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	r := result{latency: time.Since(due), status: resp.StatusCode, bytes: n}
	if err != nil {
		r.status = 0
	}
	return r
}

// newClient keeps a connection per call in flight (no pool limit: an open loop must not queue in
// the client).
func newClient() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 2048, MaxIdleConnsPerHost: 2048, IdleConnTimeout: time.Minute, DisableCompression: true,
	}}
}

// latencies summarises durations: p50, p90, p99, max.
type latencies struct{ p50, p90, p99, max time.Duration }

func summarize(d []time.Duration) latencies {
	if len(d) == 0 {
		return latencies{}
	}
	s := slices.Clone(d)
	slices.Sort(s)
	at := func(q float64) time.Duration { return s[min(len(s)-1, int(q*float64(len(s))))] }
	return latencies{at(0.50), at(0.90), at(0.99), s[len(s)-1]}
}

func (l latencies) String() string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }
	return fmt.Sprintf("p50=%sms p90=%sms p99=%sms max=%sms", ms(l.p50), ms(l.p90), ms(l.p99), ms(l.max))
}
