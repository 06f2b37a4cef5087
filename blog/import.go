package blog

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
)

// The legacy MongoDB import's entry point (package migrate/mongo calls it in its per-document
// transaction): an old BlogPost keeps its slug, so the old URLs (/blog/{slug}) keep working.

// ImportedPost is a post of the legacy store (no cover: old covers were URLs, not uploads).
type ImportedPost struct {
	ID, Author           uuid.UUID
	Slug                 string // kept as it was; it must have the form slugs have here
	Input                Input  // Slug and CoverUploadID are ignored
	CreatedAt, UpdatedAt time.Time
}

const (
	// importPost writes or (a rerun) overwrites an imported post; a post of the same id made
	// here is overwritten only if it has the slug the import keeps.
	importPost = `INSERT INTO blog_posts (` + postColumns + `) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (id) DO UPDATE SET title = excluded.title, summary = excluded.summary, body_markdown = excluded.body_markdown,
		body_html = excluded.body_html, categories = excluded.categories, tags = excluded.tags, author_id = excluded.author_id,
		locale = excluded.locale, status = excluded.status, publish_at = excluded.publish_at, updated_at = excluded.updated_at
		WHERE blog_posts.slug = excluded.slug`
	importedPostCount = `SELECT count(*) FROM blog_posts WHERE id = ANY($1::uuid[])`
)

// CheckImport says what is wrong with an old post, as ImportPost would, without writing.
func (s *Service) CheckImport(p ImportedPost) error {
	_, err := s.checkImport(p)
	return err
}

func (s *Service) checkImport(p ImportedPost) (Input, error) {
	in := p.Input
	if in.Status == Published && in.PublishAt == nil {
		at := p.CreatedAt
		in.PublishAt = &at
	}
	if err := s.check(&in); err != nil {
		return in, err
	}
	if !slugForm.MatchString(p.Slug) || len(p.Slug) > 120 {
		return in, invalid("slug %.130q is not lowercase letters and digits in groups joined by -, at most 120", p.Slug)
	}
	return in, nil
}

// ImportPost checks an old post as an admin's input is checked, renders it as Create does and
// writes it with its old slug. A slug of another form, or another post's, is ErrInvalid /
// ErrSlugTaken.
func (s *Service) ImportPost(ctx context.Context, tx pgx.Tx, p ImportedPost) error {
	in, err := s.checkImport(p)
	if err != nil {
		return err
	}
	html, err := s.renderer.Render(in.Markdown)
	if err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, importPost, p.ID, p.Slug, in.Title, in.Summary, in.Markdown, html, in.Categories, in.Tags,
		p.Author, in.Locale, string(in.Status), in.PublishAt, p.CreatedAt.UTC(), p.UpdatedAt.UTC())
	if db.IsUniqueViolation(err, "blog_posts_slug_key") {
		return ErrSlugTaken
	}
	if err != nil {
		return fmt.Errorf("blog: import post: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return invalid("post %s exists with another slug", p.ID)
	}
	return nil
}

// ImportedPosts counts the posts among ids (the import's verification).
func ImportedPosts(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) (int64, error) {
	var n int64
	err := tx.QueryRow(ctx, importedPostCount, ids).Scan(&n)
	return n, err
}
