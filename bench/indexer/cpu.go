package main

import (
	"context"
	"fmt"
	"net/url"
	"runtime"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/bench/internal/benchkit"
	"github.com/amanat/amn/db"
)

// cpuSample is the CPU time (user + system, seconds) used so far by each process that takes part:
// the bench process (the indexer runs in it), the PostgreSQL backends serving the bench database,
// PostgreSQL's own background processes (WAL writer, checkpointer…, shared with every database
// on the server) and the node; and the whole machine's busy time, to show what else ran.
type cpuSample struct {
	self, node, machine float64
	backends, aux       map[int]float64 // by pid
}

// sampleCPU reads the CPU times from /proc. The backends are those pg_stat_activity lists for
// the bench database; a backend that ends between two samples takes its time with it (the pool
// keeps its connections open during a run, so none does).
func sampleCPU(ctx context.Context, pool *pgxpool.Pool, nodePid int) (cpuSample, error) {
	s := cpuSample{backends: map[int]float64{}, aux: map[int]float64{}}
	s.self = benchkit.SelfCPU().Seconds()
	s.node = benchkit.ProcCPU(nodePid).Seconds()
	rows, err := pool.Query(ctx, `SELECT pid, datname IS NOT DISTINCT FROM current_database() FROM pg_stat_activity
		WHERE datname = current_database() OR backend_type <> 'client backend'`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var pid int
		var ours bool
		if err := rows.Scan(&pid, &ours); err != nil {
			return s, err
		}
		if ours {
			s.backends[pid] = benchkit.ProcCPU(pid).Seconds()
		} else {
			s.aux[pid] = benchkit.ProcCPU(pid).Seconds()
		}
	}
	busy, _ := benchkit.MachineBusy()
	s.machine = busy.Seconds()
	return s, rows.Err()
}

// cpuUse is what each part used between two samples, in CPU seconds.
type cpuUse struct {
	indexer, backends, aux, node, machine float64
}

func (a cpuSample) to(b cpuSample) cpuUse {
	return cpuUse{indexer: b.self - a.self, backends: delta(a.backends, b.backends), aux: delta(a.aux, b.aux),
		node: b.node - a.node, machine: b.machine - a.machine}
}

// delta sums what each process used since the first sample (all of it for one that started since).
func delta(a, b map[int]float64) float64 {
	var sum float64
	for pid, v := range b {
		sum += v - a[pid]
	}
	return sum
}

// report prints the CPU seconds and CPU-µs per event of each part.
func (u cpuUse) report(label string, events int, wall float64) {
	per := func(s float64) float64 { return s * 1e6 / float64(max(events, 1)) }
	fmt.Printf("CPU, %s (%d events, %.1f s wall):\n", label, events, wall)
	fmt.Printf("  indexer process   %6.2f s  %6.0f µs/event\n", u.indexer, per(u.indexer))
	fmt.Printf("  PostgreSQL (ours) %6.2f s  %6.0f µs/event  (the bench database's backends)\n", u.backends, per(u.backends))
	fmt.Printf("  PostgreSQL (aux)  %6.2f s  %6.0f µs/event  (WAL writer, checkpointer…: shared with every database on the server)\n", u.aux, per(u.aux))
	fmt.Printf("  node (anvil)      %6.2f s  %6.0f µs/event\n", u.node, per(u.node))
	fmt.Printf("  ours (indexer + PostgreSQL backends + aux) %.0f µs/event\n", per(u.indexer+u.backends+u.aux))
	fmt.Printf("  machine busy      %6.2f s of %.1f s available (everything, other users included)\n", u.machine, wall*float64(runtime.NumCPU()))
}

// dbCopies makes the prepared database a template (its pool is closed) and returns a function
// that opens a fresh copy of it, for one run each; done drops the template.
func dbCopies(ctx context.Context, rawURL string, pool *pgxpool.Pool) (func(context.Context) (*pgxpool.Pool, func(), error), func(), error) {
	var name string
	if err := pool.QueryRow(ctx, `SELECT current_database()`).Scan(&name); err != nil {
		return nil, nil, err
	}
	pool.Close()
	admin, err := pgx.Connect(ctx, rawURL)
	if err != nil {
		return nil, nil, err
	}
	tmpl := pgx.Identifier{name + "_t"}.Sanitize()
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+tmpl+" TEMPLATE "+pgx.Identifier{name}.Sanitize()); err != nil {
		admin.Close(ctx)
		return nil, nil, err
	}
	done := func() {
		_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+tmpl+" WITH (FORCE)")
		admin.Close(context.Background())
	}
	n := 0
	open := func(ctx context.Context) (*pgxpool.Pool, func(), error) {
		n++
		cp := name + "_" + strconv.Itoa(n)
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{cp}.Sanitize()+" TEMPLATE "+tmpl); err != nil {
			return nil, nil, err
		}
		drop := func() {
			_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{cp}.Sanitize()+" WITH (FORCE)")
		}
		u, err := url.Parse(rawURL)
		if err != nil {
			drop()
			return nil, nil, err
		}
		u.Path = "/" + cp
		cfg, err := db.ParseURL(u.String())
		if err != nil {
			drop()
			return nil, nil, err
		}
		cfg.MaxConns = 16
		p, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			drop()
			return nil, nil, err
		}
		return p, func() { p.Close(); drop() }, nil
	}
	return open, done, nil
}
