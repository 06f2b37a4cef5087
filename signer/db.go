package signer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db"
)

// Role is the database role the signer works as (created by migration 00005).
const Role = "amn_signer"

// OpenDB connects to Postgres as the restricted signer role: every connection runs
// SET ROLE amn_signer before use, so the login user must be amn_signer or a member of it. In
// production the login user should be a member of amn_signer and of nothing else
// (docs/signer.md); then even a RESET ROLE gains nothing.
func OpenDB(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := db.ParseURL(url)
	if err != nil {
		return nil, err
	}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, "SET ROLE "+Role)
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("signer: postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("signer: postgres at %s as role %s: %w", db.Redact(url), Role, err)
	}
	return pool, nil
}
