package blog

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// The statements on blog_posts, the package's only table.
const (
	postColumns = `id, slug, title, summary, body_markdown, body_html, cover_upload_id, categories, tags, author_id, locale,
		status, publish_at, created_at, updated_at`
	// insertPost adds a post; a taken slug is a unique violation (the caller tries the next).
	insertPost = `INSERT INTO blog_posts (` + postColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)`
	// updatePost replaces what an admin may edit: never the slug, the author or the creation time.
	updatePost = `UPDATE blog_posts SET title = $2, summary = $3, body_markdown = $4, body_html = $5, cover_upload_id = $6,
		categories = $7, tags = $8, locale = $9, status = $10, publish_at = $11, updated_at = $12 WHERE id = $1`
	postByID   = `SELECT ` + postColumns + ` FROM blog_posts WHERE id = $1`
	lockPost   = postByID + ` FOR UPDATE`
	slugExists = `SELECT EXISTS (SELECT 1 FROM blog_posts WHERE slug = $1)`
	// lockSlugBase serialises, until the transaction ends, the posts whose slugs grow from one base.
	lockSlugBase = `SELECT pg_advisory_xact_lock(hashtextextended('amn/blog/slug/' || $1, 0))`
	// visible is what the public sees at $1: published or scheduled posts whose time has come.
	visible = `status IN ('published', 'scheduled') AND publish_at <= $1`
	// publicBySlug reads a visible post.
	publicBySlug = `SELECT ` + postColumns + ` FROM blog_posts WHERE slug = $2 AND ` + visible
	// publicPosts lists visible posts, newest first, by optional category, tag and locale, after a
	// (publish_at, id) cursor.
	publicPosts = `SELECT ` + postColumns + ` FROM blog_posts WHERE ` + visible + `
		AND ($2::text IS NULL OR categories @> ARRAY[$2::text])
		AND ($3::text IS NULL OR tags @> ARRAY[$3::text])
		AND ($4::text IS NULL OR locale = $4)
		AND ($5::timestamptz IS NULL OR (publish_at, id) < ($5, $6::uuid))
		ORDER BY publish_at DESC, id DESC LIMIT $7`
	// sitemapSQL lists what the sitemap needs of visible posts (no bodies), newest first,
	// after a (publish_at, id) cursor.
	sitemapSQL = `SELECT id, slug, publish_at, updated_at FROM blog_posts WHERE ` + visible + `
		AND ($2::timestamptz IS NULL OR (publish_at, id) < ($2, $3::uuid))
		ORDER BY publish_at DESC, id DESC LIMIT $4`
	// adminPosts lists every post, newest created first, by optional status.
	adminPosts = `SELECT ` + postColumns + ` FROM blog_posts
		WHERE ($1::text IS NULL OR status = $1)
		AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
		ORDER BY created_at DESC, id DESC LIMIT $4`
)

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func scanPost(row pgx.Row) (*Post, error) {
	var p Post
	var status string
	err := row.Scan(&p.ID, &p.Slug, &p.Title, &p.Summary, &p.Markdown, &p.HTML, &p.CoverUploadID, &p.Categories, &p.Tags,
		&p.AuthorID, &p.Locale, &status, &p.PublishAt, &p.CreatedAt, &p.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	p.Status = Status(status)
	return &p, err
}

func queryPosts(ctx context.Context, q querier, sql string, args ...any) ([]Post, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

// cursorArgs are a cursor's two parameters (NULL, NULL for the first page).
func cursorArgs(c Cursor) (*time.Time, *uuid.UUID) {
	if c.At.IsZero() {
		return nil, nil
	}
	return &c.At, &c.ID
}
