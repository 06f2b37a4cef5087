package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/bench/internal/benchkit"
)

// measure warms the server up, runs the measured calls and writes the report.
func measure(ctx context.Context, o options, w io.Writer, srv *benchkit.API, pool *pgxpool.Pool, g *generator, data *seeded) error {
	c := newClient()
	cursors, err := collectCursors(ctx, c, srv.Base, 5)
	if err != nil {
		return err
	}
	if o.warmup > 0 {
		runLoad(ctx, c, srv.Base, g.targets(o.warmup, data.open, cursors), o.rate, o.maxInFlight)
	}
	ts := g.targets(o.calls, data.open, cursors)
	cpu0 := sampleCPU(ctx, pool, srv.Pid())
	res, took, peak := runLoad(ctx, c, srv.Base, ts, o.rate, o.maxInFlight)
	cpu := sampleCPU(ctx, pool, srv.Pid()).since(cpu0)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	report(w, o, res, took, peak, cpu)
	return nil
}

// report writes the totals, then a line per kind of call.
func report(w io.Writer, o options, res []result, took time.Duration, peak int64, cpu cpuSample) {
	var all []time.Duration
	byKind := make([][]time.Duration, len(mix))
	errs := map[int]int{}
	var bytes int64
	for _, r := range res {
		if r.status == -1 { // dropped: not sent, no latency
			errs[-1]++
			continue
		}
		all = append(all, r.latency)
		byKind[r.kind] = append(byKind[r.kind], r.latency)
		if r.status != http.StatusOK {
			errs[r.status]++
		}
		bytes += r.bytes
	}
	n := float64(len(res))
	ok := n - float64(sumErrs(errs))
	secs := took.Seconds()
	fmt.Fprintf(w, "calls=%d target_rate=%.0f/s achieved=%.0f/s (answered 200) took=%s peak_in_flight=%d errors=%d %v (-1: dropped, 0: transport) avg_body=%.0fB\n",
		len(res), o.rate, ok/secs, took.Round(time.Millisecond), peak, sumErrs(errs), errs, float64(bytes)/n)
	fmt.Fprintf(w, "latency all: %s\n", summarize(all))
	for i, m := range mix {
		fmt.Fprintf(w, "latency %-16s n=%-6d %s\n", m.kind, len(byKind[i]), summarize(byKind[i]))
	}
	fmt.Fprintf(w, "cpu: api %.2f cores (%.0f µs/answered call), postgres %.2f cores (%.0f µs/answered call), load generator %.2f cores, machine busy %.2f of %d cores; load average %s after\n",
		cpu.api.Seconds()/secs, us(cpu.api, ok), cpu.pg.Seconds()/secs, us(cpu.pg, ok), cpu.self.Seconds()/secs,
		cpu.machineBusy.Seconds()/secs, cpu.cores, benchkit.LoadAverage())
}

func sumErrs(m map[int]int) int {
	t := 0
	for _, v := range m {
		t += v
	}
	return t
}

func us(d time.Duration, n float64) float64 { return float64(d.Microseconds()) / max(n, 1) }

// cpuSample is CPU time used so far: by the api process, by the bench database's PostgreSQL
// backends (from /proc: the server must run on this machine), by this process, and by the whole
// machine (busy time of all cores, from /proc/stat: what else runs shows as the difference).
type cpuSample struct {
	api, self, machineBusy time.Duration
	pg                     time.Duration
	backends               map[int32]time.Duration
	cores                  int
}

func (c cpuSample) since(d cpuSample) cpuSample {
	out := cpuSample{api: c.api - d.api, self: c.self - d.self, machineBusy: c.machineBusy - d.machineBusy, cores: c.cores}
	for pid, t := range c.backends { // backends that ended in between are lost; the pool keeps its own
		out.pg += t - d.backends[pid]
	}
	return out
}

func sampleCPU(ctx context.Context, pool *pgxpool.Pool, apiPid int) cpuSample {
	s := cpuSample{self: benchkit.SelfCPU(), api: benchkit.ProcCPU(apiPid), backends: map[int32]time.Duration{}}
	s.machineBusy, s.cores = benchkit.MachineBusy()
	rows, err := pool.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		return s
	}
	pids, _ := pgx.CollectRows(rows, pgx.RowTo[int32])
	for _, pid := range pids {
		s.backends[pid] = benchkit.ProcCPU(int(pid))
	}
	return s
}
