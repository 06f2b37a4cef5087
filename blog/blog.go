package blog

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/upload"
)

// Status is a post's place in its life. Only published and scheduled posts whose publish time
// has come are public; a scheduled post becomes visible at its time with no job (queries compare
// publish_at with now), and archived posts leave the public reads.
type Status string

const (
	Draft     Status = "draft"
	Scheduled Status = "scheduled"
	Published Status = "published"
	Archived  Status = "archived"
)

var statuses = []Status{Draft, Scheduled, Published, Archived}

// Config is the blog's settings.
type Config struct {
	// SiteURL is where the frontend shows posts: a post's link is SiteURL/slug (the feed's and the
	// sitemap's URLs), e.g. https://amn.example/blog.
	SiteURL string
	// Title names the feed.
	Title string
	// VideoHosts are the iframe src prefixes a post may embed (DefaultVideoHosts).
	VideoHosts []string
}

// DefaultConfig is the local frontend's blog.
func DefaultConfig() Config {
	return Config{SiteURL: "http://localhost:3000/blog", Title: "Amn blog", VideoHosts: DefaultVideoHosts}
}

// Validate checks the site URL.
func (c Config) Validate() error {
	u, err := url.Parse(c.SiteURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("blog: the site URL %q must be an absolute http(s) URL without query", c.SiteURL)
	}
	if strings.TrimSpace(c.Title) == "" {
		return errors.New("blog: the feed needs a title")
	}
	return nil
}

// Post is one blog post. HTML is the sanitized rendering of Markdown.
type Post struct {
	ID                   uuid.UUID
	Slug, Title, Summary string
	Markdown, HTML       string
	CoverUploadID        *uuid.UUID
	Categories, Tags     []string
	AuthorID             uuid.UUID
	Locale               string
	Status               Status
	PublishAt            *time.Time
	CreatedAt, UpdatedAt time.Time
}

// Input is what an admin writes. Slug is read on creation only (empty: made from the title).
// PublishAt is required to schedule; publishing without one publishes now.
type Input struct {
	Title, Slug, Summary, Markdown string
	CoverUploadID                  *uuid.UUID
	Categories, Tags               []string
	Locale                         string
	Status                         Status
	PublishAt                      *time.Time
}

// Caller is who asks.
type Caller struct {
	UserID uuid.UUID
	Admin  bool
}

// Cursor is a list's position: the last item's time (publish time in the public list, creation
// in the admin's) and id; the zero Cursor is the first page.
type Cursor struct {
	At time.Time
	ID uuid.UUID
}

// Filter narrows the public list; empty fields do not.
type Filter struct {
	Category, Tag, Locale string
}

// The blog's errors. A post the public may not see is ErrNotFound to it.
var (
	ErrNotFound  = kind.New(kind.NotFound, "no such post")
	ErrInvalid   = kind.New(kind.Invalid, "invalid post")
	ErrSlugTaken = kind.New(kind.Conflict, "the slug is taken")
	ErrNotAdmin  = kind.New(kind.Refused, "only admins write the blog")
)

func invalid(f string, a ...any) error { return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(f, a...)) }

// Service runs the blog.
type Service struct {
	pool     *pgxpool.Pool
	uploads  *upload.Service
	renderer *Renderer
	cfg      Config
	now      func() time.Time
}

// New returns the blog on pool; covers are attached through uploads (nil: posts take no cover).
func New(pool *pgxpool.Pool, uploads *upload.Service, cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r, err := NewRenderer(cfg.VideoHosts)
	if err != nil {
		return nil, err
	}
	return &Service{pool: pool, uploads: uploads, renderer: r, cfg: cfg, now: time.Now}, nil
}

// WithClock replaces time.Now (tests).
func (s *Service) WithClock(now func() time.Time) *Service { c := *s; c.now = now; return &c }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Config is the blog's settings (the feed and sitemap need the site URL).
func (s *Service) Config() Config { return s.cfg }

var (
	localeForm = regexp.MustCompile(`^[a-z]{2}(-[A-Z]{2})?$`)
	slugForm   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// check validates an admin's input and fills what it leaves to the blog (the publish time of a
// post published now), returning the labels cleaned.
func (s *Service) check(in *Input) error {
	switch n := utf8.RuneCountInString(strings.TrimSpace(in.Title)); {
	case n == 0 || n > 200:
		return invalid("a title has 1 to 200 characters")
	case utf8.RuneCountInString(in.Summary) > 1000:
		return invalid("a summary has at most 1000 characters")
	case utf8.RuneCountInString(in.Markdown) > 200_000:
		return invalid("a body has at most 200000 characters")
	case !localeForm.MatchString(in.Locale):
		return invalid("locale %q is not a language tag like fa or en-US", in.Locale)
	case !slices.Contains(statuses, in.Status):
		return invalid("status must be draft, scheduled, published or archived")
	case in.Status == Scheduled && in.PublishAt == nil:
		return invalid("a scheduled post needs its publish time")
	}
	in.Title = strings.TrimSpace(in.Title)
	if in.Status == Published && in.PublishAt == nil {
		now := s.clock()
		in.PublishAt = &now
	}
	if in.PublishAt != nil {
		t := in.PublishAt.UTC().Truncate(time.Microsecond)
		in.PublishAt = &t
	}
	var err error
	if in.Categories, err = labels("category", in.Categories, 10); err != nil {
		return err
	}
	in.Tags, err = labels("tag", in.Tags, 20)
	return err
}

// labels lowercases, trims and de-duplicates categories or tags: 1 to 40 letters, digits,
// spaces, - or _ each, at most max of them.
func labels(what string, in []string, max int) ([]string, error) {
	out := []string{}
	for _, l := range in {
		l = strings.ToLower(strings.TrimSpace(l))
		ok := l != "" && utf8.RuneCountInString(l) <= 40
		for _, r := range l {
			ok = ok && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '-' || r == '_')
		}
		if !ok {
			return nil, invalid("%s %q: 1 to 40 letters, digits, spaces, - or _", what, l)
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	if len(out) > max {
		return nil, invalid("at most %d of %s", max, what)
	}
	return out, nil
}

// Create saves a new post by who (an admin), its slug made from the title unless given.
func (s *Service) Create(ctx context.Context, who Caller, in Input) (*Post, error) {
	if !who.Admin {
		return nil, ErrNotAdmin
	}
	if err := s.check(&in); err != nil {
		return nil, err
	}
	html, err := s.renderer.Render(in.Markdown)
	if err != nil {
		return nil, err
	}
	given := in.Slug != ""
	if given && (!slugForm.MatchString(in.Slug) || len(in.Slug) > 120) {
		return nil, invalid("a slug is lowercase letters and digits in groups joined by -, at most 120")
	}
	now := s.clock()
	p := &Post{ID: uuid.New(), Title: in.Title, Summary: in.Summary, Markdown: in.Markdown, HTML: html, CoverUploadID: in.CoverUploadID,
		Categories: in.Categories, Tags: in.Tags, AuthorID: who.UserID, Locale: in.Locale, Status: in.Status, PublishAt: in.PublishAt,
		CreatedAt: now, UpdatedAt: now}
	// Two posts with one title at once: the loser's insert meets the unique slug and tries again.
	for range 5 {
		err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			if p.Slug, err = s.freeSlug(ctx, tx, in.Slug, in.Title, given); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, insertPost, p.ID, p.Slug, p.Title, p.Summary, p.Markdown, p.HTML, p.CoverUploadID,
				p.Categories, p.Tags, p.AuthorID, p.Locale, string(p.Status), p.PublishAt, p.CreatedAt); err != nil {
				return err
			}
			return s.attachCover(ctx, tx, who, p)
		})
		if !db.IsUniqueViolation(err, "blog_posts_slug_key") {
			break
		}
		if given {
			return nil, ErrSlugTaken
		}
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Update replaces what an admin may edit of a post; its slug never changes.
func (s *Service) Update(ctx context.Context, who Caller, id uuid.UUID, in Input) (*Post, error) {
	if !who.Admin {
		return nil, ErrNotAdmin
	}
	if err := s.check(&in); err != nil {
		return nil, err
	}
	html, err := s.renderer.Render(in.Markdown)
	if err != nil {
		return nil, err
	}
	var p *Post
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if p, err = scanPost(tx.QueryRow(ctx, lockPost, id)); err != nil {
			return err
		}
		p.Title, p.Summary, p.Markdown, p.HTML, p.CoverUploadID = in.Title, in.Summary, in.Markdown, html, in.CoverUploadID
		p.Categories, p.Tags, p.Locale, p.Status, p.PublishAt, p.UpdatedAt = in.Categories, in.Tags, in.Locale, in.Status, in.PublishAt, s.clock()
		if _, err := tx.Exec(ctx, updatePost, p.ID, p.Title, p.Summary, p.Markdown, p.HTML, p.CoverUploadID, p.Categories, p.Tags,
			p.Locale, string(p.Status), p.PublishAt, p.UpdatedAt); err != nil {
			return err
		}
		return s.attachCover(ctx, tx, who, p)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// attachCover makes a post's cover public by attaching it to the post: it must be the writing
// admin's own upload (upload.Attach), and not attached to anything else.
func (s *Service) attachCover(ctx context.Context, tx pgx.Tx, who Caller, p *Post) error {
	if p.CoverUploadID == nil {
		return nil
	}
	if s.uploads == nil {
		return invalid("this server takes no uploads, so no cover")
	}
	err := s.uploads.Attach(ctx, tx, upload.Caller{UserID: who.UserID, Admin: who.Admin}, *p.CoverUploadID, upload.KindBlogCover, p.ID.String())
	if errors.Is(err, upload.ErrNotFound) {
		return invalid("cover %s is not an upload of yours", *p.CoverUploadID)
	}
	return err
}

// Get reads any post (admins).
func (s *Service) Get(ctx context.Context, who Caller, id uuid.UUID) (*Post, error) {
	if !who.Admin {
		return nil, ErrNotAdmin
	}
	return scanPost(s.pool.QueryRow(ctx, postByID, id))
}

// List is every post for admins, newest created first, optionally of one status.
func (s *Service) List(ctx context.Context, who Caller, status Status, after Cursor, n int) ([]Post, error) {
	if !who.Admin {
		return nil, ErrNotAdmin
	}
	var st *string
	if status != "" {
		v := string(status)
		st = &v
	}
	at, id := cursorArgs(after)
	return queryPosts(ctx, s.pool, adminPosts, st, at, id, n)
}

// PublicPost reads a visible post by its slug; any other is ErrNotFound.
func (s *Service) PublicPost(ctx context.Context, slug string) (*Post, error) {
	return scanPost(s.pool.QueryRow(ctx, publicBySlug, s.clock(), slug))
}

// PublicPosts lists visible posts, newest first, n at most.
func (s *Service) PublicPosts(ctx context.Context, f Filter, after Cursor, n int) ([]Post, error) {
	at, id := cursorArgs(after)
	return queryPosts(ctx, s.pool, publicPosts, s.clock(), opt(strings.ToLower(f.Category)), opt(strings.ToLower(f.Tag)), opt(f.Locale), at, id, n)
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
