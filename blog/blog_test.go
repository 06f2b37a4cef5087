package blog

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/upload"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type world struct {
	pool    *pgxpool.Pool
	blog    *Service
	uploads *upload.Service
	admin   Caller
	now     time.Time
}

func newWorld(t *testing.T) *world {
	t.Helper()
	pool, _ := dbtest.Isolated(t)
	w := &world{pool: pool, now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	w.admin = Caller{UserID: w.user(t), Admin: true}
	w.uploads = upload.New(pool, upload.Disk{Root: t.TempDir()}, upload.DefaultConfig())
	b, err := New(pool, w.uploads, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	w.blog = b.WithClock(func() time.Time { return w.now })
	return w
}

func (w *world) user(t *testing.T) uuid.UUID {
	t.Helper()
	id := uuid.New()
	if _, err := w.pool.Exec(context.Background(), `INSERT INTO users (id, roles) VALUES ($1, '{admin}')`, id); err != nil {
		t.Fatal(err)
	}
	return id
}

func (w *world) post(t *testing.T, in Input) *Post {
	t.Helper()
	if in.Locale == "" {
		in.Locale = "en"
	}
	if in.Status == "" {
		in.Status = Published
	}
	if in.Markdown == "" {
		in.Markdown = "body"
	}
	p, err := w.blog.Create(context.Background(), w.admin, in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func slugs(ps []Post) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Slug)
	}
	return strings.Join(s, ",")
}

// TestOnlyVisiblePostsArePublic: drafts and archived posts are never public; a scheduled post
// appears at its time (no job: the clock moves, the query sees it); a published one at once.
func TestOnlyVisiblePostsArePublic(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	at := w.now.Add(time.Hour)
	w.post(t, Input{Title: "Draft", Status: Draft})
	w.post(t, Input{Title: "Archived", Status: Archived})
	w.post(t, Input{Title: "Later", Status: Scheduled, PublishAt: &at})
	w.post(t, Input{Title: "Now"})
	got, err := w.blog.PublicPosts(ctx, Filter{}, Cursor{}, 20)
	if err != nil || slugs(got) != "now" {
		t.Fatalf("%v %s", err, slugs(got))
	}
	for _, s := range []string{"draft", "archived", "later"} {
		if _, err := w.blog.PublicPost(ctx, s); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v", s, err)
		}
	}
	w.now = at
	got, _ = w.blog.PublicPosts(ctx, Filter{}, Cursor{}, 20)
	if slugs(got) != "later,now" {
		t.Fatalf("at the scheduled time: %s", slugs(got))
	}
	if p, err := w.blog.PublicPost(ctx, "later"); err != nil || p.Title != "Later" {
		t.Fatalf("%v %+v", err, p)
	}
	if _, err := w.blog.Create(ctx, w.admin, Input{Title: "x", Markdown: "x", Locale: "en", Status: Scheduled}); !errors.Is(err, ErrInvalid) {
		t.Errorf("scheduled without a time: %v", err)
	}
}

// TestSlugs: transliterated from Persian and Cyrillic titles, unique (-2), given ones checked, and
// stable when the title changes.
func TestSlugs(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for title, want := range map[string]string{"Привет, мир": "privet-mir", "سلام دنیا": "slm-dny", "🎉": "post",
		"Buying safely with escrow": "buying-safely-with-escrow"} {
		if p := w.post(t, Input{Title: title}); p.Slug != want {
			t.Errorf("%q → %q, want %q", title, p.Slug, want)
		}
	}
	p := w.post(t, Input{Title: "Привет мир!"})
	if p.Slug != "privet-mir-2" {
		t.Fatalf("second: %s", p.Slug)
	}
	if len(slugOf(strings.Repeat("word ", 100))) > slugMax {
		t.Error("a long title's slug is not cut")
	}
	in := Input{Title: "A new title", Markdown: "b", Locale: "ru", Status: Published}
	q, err := w.blog.Update(ctx, w.admin, p.ID, in)
	if err != nil || q.Slug != "privet-mir-2" || q.Title != "A new title" {
		t.Fatalf("%v %+v", err, q)
	}
	if _, err := w.blog.Create(ctx, w.admin, Input{Title: "x", Slug: "privet-mir", Markdown: "b", Locale: "en", Status: Draft}); !errors.Is(err, ErrSlugTaken) {
		t.Errorf("a taken slug given: %v", err)
	}
	for _, bad := range []string{"../etc", "Upper", "a--b", "-a", "with space"} {
		if _, err := w.blog.Create(ctx, w.admin, Input{Title: "x", Slug: bad, Markdown: "b", Locale: "en", Status: Draft}); !errors.Is(err, ErrInvalid) {
			t.Errorf("slug %q: %v", bad, err)
		}
	}
}

// TestConcurrentSameTitle: ten posts with one title at once get ten slugs.
func TestConcurrentSameTitle(t *testing.T) {
	w := newWorld(t)
	errs := make(chan error, 10)
	for range 10 {
		go func() {
			_, err := w.blog.Create(context.Background(), w.admin, Input{Title: "Same", Markdown: "b", Locale: "en", Status: Published})
			errs <- err
		}()
	}
	for range 10 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	got, _ := w.blog.PublicPosts(context.Background(), Filter{}, Cursor{}, 20)
	if len(got) != 10 {
		t.Fatalf("%d posts: %s", len(got), slugs(got))
	}
}

// TestFiltersAndPages: category, tag and locale filters; pages follow the cursor without gaps.
func TestFiltersAndPages(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for i := range 5 {
		at := w.now.Add(-time.Duration(i) * time.Minute)
		loc := "en"
		if i%2 == 1 {
			loc = "fa"
		}
		w.post(t, Input{Title: "p" + string(rune('a'+i)), PublishAt: &at, Locale: loc, Categories: []string{"Guides"}, Tags: []string{"escrow", "t" + string(rune('a'+i))}})
	}
	w.post(t, Input{Title: "other", Categories: []string{"news"}})
	for f, want := range map[Filter]string{
		{Category: "guides"}: "pa,pb,pc,pd,pe", {Category: "news"}: "other", {Tag: "tc"}: "pc", {Locale: "fa"}: "pb,pd",
		{Category: "guides", Locale: "en", Tag: "escrow"}: "pa,pc,pe", {Tag: "nope"}: "",
	} {
		got, err := w.blog.PublicPosts(ctx, f, Cursor{}, 20)
		if err != nil || slugs(got) != want {
			t.Errorf("%+v: %v %s, want %s", f, err, slugs(got), want)
		}
	}
	var all []string
	after := Cursor{}
	for {
		got, err := w.blog.PublicPosts(ctx, Filter{Category: "guides"}, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, slugs(got))
		if len(got) < 2 {
			break
		}
		after = Cursor{At: *got[1].PublishAt, ID: got[1].ID}
	}
	if strings.Join(all, "|") != "pa,pb|pc,pd|pe" {
		t.Fatalf("pages %q", all)
	}
}

// TestWritesAreAdmins: a user who is not an admin writes and reads nothing through the admin side.
func TestWritesAreAdmins(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	p := w.post(t, Input{Title: "x", Status: Draft})
	user := Caller{UserID: w.user(t)}
	in := Input{Title: "x", Markdown: "b", Locale: "en", Status: Published}
	if _, err := w.blog.Create(ctx, user, in); !errors.Is(err, ErrNotAdmin) {
		t.Error(err)
	}
	if _, err := w.blog.Update(ctx, user, p.ID, in); !errors.Is(err, ErrNotAdmin) {
		t.Error(err)
	}
	if _, err := w.blog.Get(ctx, user, p.ID); !errors.Is(err, ErrNotAdmin) {
		t.Error(err)
	}
	if _, err := w.blog.List(ctx, user, "", Cursor{}, 10); !errors.Is(err, ErrNotAdmin) {
		t.Error(err)
	}
	if _, err := w.blog.Update(ctx, w.admin, uuid.New(), in); !errors.Is(err, ErrNotFound) {
		t.Error(err)
	}
	got, err := w.blog.List(ctx, w.admin, Draft, Cursor{}, 10)
	if err != nil || slugs(got) != "x" {
		t.Fatalf("%v %s", err, slugs(got))
	}
}

// TestStoredHTMLIsSanitized: the HTML saved with a post has no script, handler or foreign iframe.
func TestStoredHTMLIsSanitized(t *testing.T) {
	w := newWorld(t)
	p := w.post(t, Input{Title: "xss", Markdown: "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n<iframe src=\"https://evil.example/x\"></iframe>\n\nok"})
	got, err := w.blog.PublicPost(context.Background(), p.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if bad := unsafeHTML(got.HTML); bad != "" || strings.Contains(got.HTML, "alert") || strings.Contains(got.HTML, "evil") || !strings.Contains(got.HTML, "<p>ok</p>") {
		t.Fatalf("%s: %s", bad, got.HTML)
	}
}

// TestCover: a cover must be the writing admin's own upload; once a post's cover, it is public.
func TestCover(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	var b bytes.Buffer
	_ = png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, 8, 8)))
	mine, err := w.uploads.Put(ctx, upload.Caller{UserID: w.admin.UserID}, bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	someone := w.user(t)
	theirs, err := w.uploads.Put(ctx, upload.Caller{UserID: someone}, bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	in := Input{Title: "c", Markdown: "b", Locale: "en", Status: Published, CoverUploadID: &theirs.ID}
	if _, err := w.blog.Create(ctx, w.admin, in); !errors.Is(err, ErrInvalid) {
		t.Fatalf("another user's upload as cover: %v", err)
	}
	if _, err := w.uploads.Get(ctx, upload.Caller{}, theirs.ID); !errors.Is(err, upload.ErrNotFound) {
		t.Fatalf("the refused cover became public: %v", err)
	}
	in.CoverUploadID = &mine.ID
	p, err := w.blog.Create(ctx, w.admin, in)
	if err != nil || *p.CoverUploadID != mine.ID {
		t.Fatal(err)
	}
	if _, err := w.uploads.Get(ctx, upload.Caller{}, mine.ID); err != nil {
		t.Fatalf("the cover is not public: %v", err)
	}
}

// TestFeedAndSitemapAreXML: both parse as XML in their namespaces, list the visible posts only,
// and carry the post's HTML as text (escaped), not as markup.
func TestFeedAndSitemapAreXML(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.post(t, Input{Title: "Fish & <chips>", Summary: "a ]]> b", Markdown: "**bold** \x01 ctl", Categories: []string{"news"}})
	w.post(t, Input{Title: "Hidden", Status: Draft})
	feed, err := w.blog.Feed(ctx, "", "http://api.example/v1/blog/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	var f atomFeed
	if err := xml.Unmarshal(feed, &f); err != nil {
		t.Fatalf("feed: %v\n%s", err, feed)
	}
	if len(f.Entries) != 1 || f.Entries[0].Title != "Fish & <chips>" || !strings.Contains(f.Entries[0].Content.Body, "<strong>bold</strong>") ||
		f.Entries[0].Link.Href != "http://localhost:3000/blog/fish-and-chips" || f.Updated == "" {
		t.Fatalf("%+v", f)
	}
	if bytes.Contains(feed, []byte("<strong>")) {
		t.Error("the entry's HTML is markup inside the feed, not text")
	}
	sm, err := w.blog.Sitemap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var m urlset
	if err := xml.Unmarshal(sm, &m); err != nil || len(m.URLs) != 1 || m.URLs[0].Loc != "http://localhost:3000/blog/fish-and-chips" {
		t.Fatalf("%v %+v\n%s", err, m, sm)
	}
	if !bytes.HasPrefix(sm, []byte(`<?xml`)) || !bytes.Contains(sm, []byte(`xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"`)) {
		t.Fatalf("%s", sm)
	}
}
