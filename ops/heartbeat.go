package ops

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
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

// Seen is the latest heartbeat of some roles.
type Seen struct {
	Role, Instance, Version string
	At                      time.Time
}

// lastSeenSQL reads the freshest heartbeat among the given roles.
const lastSeenSQL = `SELECT role, instance, version, seen_at FROM process_heartbeat
	WHERE role = ANY($1) ORDER BY seen_at DESC LIMIT 1`

// LastSeen returns the freshest heartbeat written by a process of one of the roles, and false
// when none ever ran against this database.
func LastSeen(ctx context.Context, pool *pgxpool.Pool, roles ...string) (Seen, bool, error) {
	var s Seen
	err := pool.QueryRow(ctx, lastSeenSQL, roles).Scan(&s.Role, &s.Instance, &s.Version, &s.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return Seen{}, false, nil
	}
	if err != nil {
		return Seen{}, false, err
	}
	return s, true, nil
}
