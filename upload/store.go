package upload

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Querier is a pool or a transaction: Attach runs in the caller's.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// The statements on uploads, the package's only table.
const (
	// insertUpload adds an upload's row; it is unattached.
	insertUpload = `INSERT INTO uploads (id, owner_id, sha256, size, content_type, width, height, variants, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	// uploadColumns are what scanUpload reads.
	uploadColumns = `id, owner_id, sha256, size, content_type, width, height, variants, attached_kind, attached_id, created_at`
	// uploadByID reads one upload.
	uploadByID = `SELECT ` + uploadColumns + ` FROM uploads WHERE id = $1`
	// lockUpload reads one upload and locks it for its attachment.
	lockUpload = uploadByID + ` FOR UPDATE`
	// bytesOfOwner is what an owner's uploads take: every stored copy of each (a copy shared with
	// another upload, stored once, counts for each).
	bytesOfOwner = `SELECT coalesce(sum(size + (SELECT coalesce(sum((v->>'size')::bigint), 0) FROM jsonb_array_elements(variants) v)), 0)::bigint
		FROM uploads WHERE owner_id = $1`
	// lockOwner serialises an owner's uploads being saved, so that racing ones cannot together
	// pass the quota.
	lockOwner = `SELECT pg_advisory_xact_lock(hashtextextended('upload/owner/' || $1::uuid::text, 0))`
	// attachUpload ties an unattached upload to what it belongs to.
	attachUpload = `UPDATE uploads SET attached_kind = $2, attached_id = $3, attached_at = $4 WHERE id = $1 AND attached_kind = ''`
)

func insert(ctx context.Context, q Querier, u *Upload) error {
	variants := u.Variants
	if variants == nil {
		variants = []Variant{}
	}
	b, err := json.Marshal(variants)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx, insertUpload, u.ID, u.OwnerID, u.SHA256, u.Size, u.ContentType, u.Width, u.Height, b, u.CreatedAt)
	if err != nil {
		return fmt.Errorf("upload: saving: %w", err)
	}
	return nil
}

func scanUpload(row pgx.Row) (*Upload, error) {
	var u Upload
	var variants []byte
	var k string
	err := row.Scan(&u.ID, &u.OwnerID, &u.SHA256, &u.Size, &u.ContentType, &u.Width, &u.Height, &variants, &k, &u.AttachedID, &u.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	u.AttachedKind = Kind(k)
	if err := json.Unmarshal(variants, &u.Variants); err != nil {
		return nil, fmt.Errorf("upload %s: variants: %w", u.ID, err)
	}
	return &u, nil
}

func byID(ctx context.Context, q Querier, id uuid.UUID) (*Upload, error) {
	return scanUpload(q.QueryRow(ctx, uploadByID, id))
}

func lockByID(ctx context.Context, q Querier, id uuid.UUID) (*Upload, error) {
	return scanUpload(q.QueryRow(ctx, lockUpload, id))
}

func attach(ctx context.Context, q Querier, id uuid.UUID, k Kind, attachedID string, at time.Time) error {
	tag, err := q.Exec(ctx, attachUpload, id, string(k), attachedID, at)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return ErrAttached
	}
	return nil
}
