package signer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db"
)

// Role is the database role the signer works as (created by migration 00005).
const Role = db.RoleSigner

// OpenDB connects to Postgres as the restricted signer role: every connection runs
// SET ROLE amn_signer before use (db.OpenAs), so the login user must be amn_signer or a member of
// it. In production the login user should be a member of amn_signer and of nothing else
// (docs/signer.md, docs/security.md); then even a RESET ROLE gains nothing.
func OpenDB(ctx context.Context, url string) (*pgxpool.Pool, error) {
	pool, err := db.OpenAs(ctx, url, Role)
	if err != nil {
		return nil, fmt.Errorf("signer: %w", err)
	}
	return pool, nil
}
