package ops

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Heartbeat records that a process of the given role is alive, every interval until ctx ends.
// Operators' health checks (is the signer running?) read the process_heartbeat table.
func Heartbeat(ctx context.Context, pool *pgxpool.Pool, role string, interval time.Duration, log *slog.Logger) {
	host, _ := os.Hostname()
	instance := host + ":" + strconv.Itoa(os.Getpid())
	started := time.Now()
	beat := func() {
		_, err := pool.Exec(ctx, `
			INSERT INTO process_heartbeat (role, instance, version, started_at, seen_at)
			VALUES ($1, $2, $3, $4, now())
			ON CONFLICT (role, instance) DO UPDATE SET seen_at = now(), version = EXCLUDED.version`,
			role, instance, Version, started)
		if err != nil && ctx.Err() == nil {
			log.Warn("heartbeat failed", "err", err)
		}
	}
	beat()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			beat()
		}
	}
}
