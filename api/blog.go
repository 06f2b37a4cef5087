package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/blog"
	"github.com/amanat/amn/kind"
)

// The blog: public reads (list, post by slug, Atom feed, sitemap) without sign-in, cached by
// ETag; writes under /v1/admin/blog (admin role, audited).

var errNoBlog = kind.New(kind.Unavailable, "the blog is not configured on this server")

// Cache lifetimes of the public reads: a scheduled post shows within a minute of its time.
const (
	blogMaxAge = 60
	feedMaxAge = 300
)

func (v *v1) ListBlogPosts(ctx context.Context, req openapi.ListBlogPostsRequestObject) (openapi.ListBlogPostsResponseObject, error) {
	if v.blog == nil {
		return nil, errNoBlog
	}
	after, n, err := blogPage(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	f := blog.Filter{Category: deref(req.Params.Category), Tag: deref(req.Params.Tag), Locale: deref(req.Params.Locale)}
	rows, err := v.blog.PublicPosts(ctx, f, after, n+1)
	if err != nil {
		return nil, err
	}
	return openapi.ListBlogPosts200JSONResponse(v.postPage(rows, n, false)), nil
}

func (v *v1) GetBlogPost(ctx context.Context, req openapi.GetBlogPostRequestObject) (openapi.GetBlogPostResponseObject, error) {
	if v.blog == nil {
		return nil, errNoBlog
	}
	p, err := v.blog.PublicPost(ctx, req.Slug)
	if err != nil {
		return nil, err
	}
	out := v.postBody(*p, false)
	out.Html = &p.HTML
	return openapi.GetBlogPost200JSONResponse(out), nil
}

func (v *v1) ListAdminBlogPosts(ctx context.Context, req openapi.ListAdminBlogPostsRequestObject) (openapi.ListAdminBlogPostsResponseObject, error) {
	b, who, err := v.blogFor(ctx)
	if err != nil {
		return nil, err
	}
	after, n, err := blogPage(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	rows, err := b.List(ctx, who, blog.Status(deref(req.Params.Status)), after, n+1)
	if err != nil {
		return nil, err
	}
	return openapi.ListAdminBlogPosts200JSONResponse(v.postPage(rows, n, true)), nil
}

func (v *v1) CreateBlogPost(ctx context.Context, req openapi.CreateBlogPostRequestObject) (openapi.CreateBlogPostResponseObject, error) {
	b, who, err := v.blogFor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := b.Create(ctx, who, postInput(*req.Body))
	if err != nil {
		return nil, err
	}
	return openapi.CreateBlogPost201JSONResponse(v.adminPostBody(*p)), nil
}

func (v *v1) GetAdminBlogPost(ctx context.Context, req openapi.GetAdminBlogPostRequestObject) (openapi.GetAdminBlogPostResponseObject, error) {
	b, who, err := v.blogFor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := b.Get(ctx, who, req.PostId)
	if err != nil {
		return nil, err
	}
	return openapi.GetAdminBlogPost200JSONResponse(v.adminPostBody(*p)), nil
}

func (v *v1) UpdateBlogPost(ctx context.Context, req openapi.UpdateBlogPostRequestObject) (openapi.UpdateBlogPostResponseObject, error) {
	b, who, err := v.blogFor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := b.Update(ctx, who, req.PostId, postInput(*req.Body))
	if err != nil {
		return nil, err
	}
	return openapi.UpdateBlogPost200JSONResponse(v.adminPostBody(*p)), nil
}

func (v *v1) blogFor(ctx context.Context) (*blog.Service, blog.Caller, error) {
	if v.blog == nil {
		return nil, blog.Caller{}, errNoBlog
	}
	p, err := principal(ctx)
	if err != nil {
		return nil, blog.Caller{}, err
	}
	return v.blog, blog.Caller{UserID: p.UserID, Admin: p.HasRole(auth.RoleAdmin)}, nil
}

func blogPage(cursor *string, limit *int) (blog.Cursor, int, error) {
	p, err := pageOf(cursor, limit)
	if err != nil {
		return blog.Cursor{}, 0, err
	}
	n := p.Limit
	if n == 0 {
		n = auth.DefaultPageLimit
	}
	var c blog.Cursor
	if p.After != nil {
		c = blog.Cursor{At: p.After.CreatedAt, ID: p.After.ID}
	}
	return c, n, nil
}

func postInput(b openapi.BlogPostInput) blog.Input {
	return blog.Input{Title: b.Title, Slug: deref(b.Slug), Summary: deref(b.Summary), Markdown: b.Body, CoverUploadID: b.CoverUploadId,
		Categories: deref(b.Categories), Tags: deref(b.Tags), Locale: b.Locale, Status: blog.Status(b.Status), PublishAt: b.PublishAt}
}

// postPage is a page of posts: the public list pages by publish time, the admins' by creation.
func (v *v1) postPage(rows []blog.Post, n int, admin bool) openapi.BlogPostPage {
	rows, next := pageEnd(rows, n, func(p blog.Post) (time.Time, uuid.UUID) {
		if admin {
			return p.CreatedAt, p.ID
		}
		return *p.PublishAt, p.ID
	})
	out := openapi.BlogPostPage{Items: make([]openapi.BlogPost, len(rows)), NextCursor: next}
	for i, p := range rows {
		if admin {
			out.Items[i] = v.adminPostBody(p)
		} else {
			out.Items[i] = v.postBody(p, false)
		}
	}
	return out
}

// postBody is a post as the public sees it (no Markdown, no author id, no HTML in lists).
func (v *v1) postBody(p blog.Post, admin bool) openapi.BlogPost {
	status := openapi.BlogPostStatus(p.Status)
	out := openapi.BlogPost{Id: p.ID, Slug: p.Slug, Title: p.Title, Summary: p.Summary, Categories: p.Categories, Tags: p.Tags,
		Locale: p.Locale, PublishAt: p.PublishAt, Url: v.blog.PostURL(p.Slug), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	if p.CoverUploadID != nil {
		u := "/v1/uploads/" + p.CoverUploadID.String()
		out.CoverUploadId, out.CoverUrl = p.CoverUploadID, &u
	}
	if admin {
		out.Status, out.AuthorId = &status, &p.AuthorID
	}
	return out
}

func (v *v1) adminPostBody(p blog.Post) openapi.BlogPost {
	out := v.postBody(p, true)
	out.Body, out.Html = &p.Markdown, &p.HTML
	return out
}

// mountBlogXML serves the feed and the sitemap (plain handlers: XML, not the contract's JSON).
func mountBlogXML(r chi.Router, b *blog.Service, errs errorWriter) {
	serve := func(w http.ResponseWriter, r *http.Request, body []byte, ctype string, err error) {
		if err != nil {
			errs.write(w, r, err)
			return
		}
		w.Header().Set("Content-Type", ctype)
		_, _ = w.Write(body)
	}
	r.With(cachedByETag(feedMaxAge)).Get("/v1/blog/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		if b == nil {
			errs.write(w, r, errNoBlog)
			return
		}
		locale := r.URL.Query().Get("locale")
		if locale != "" && !localeForm(locale) {
			errs.write(w, r, errInvalidRequest("locale is not a language tag", FieldError{Field: "query.locale", Message: "like fa or en-US"}))
			return
		}
		body, err := b.Feed(r.Context(), locale, selfURL(r))
		serve(w, r, body, "application/atom+xml; charset=utf-8", err)
	})
	r.With(cachedByETag(feedMaxAge)).Get("/v1/blog/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		if b == nil {
			errs.write(w, r, errNoBlog)
			return
		}
		body, err := b.Sitemap(r.Context())
		serve(w, r, body, "application/xml; charset=utf-8", err)
	})
}

var localeTag = regexp.MustCompile(`^[a-z]{2}(-[A-Z]{2})?$`)

func localeForm(s string) bool { return localeTag.MatchString(s) }

// selfURL is the feed's own address as the client asked for it (path and query; the host is the
// client's business behind proxies).
func selfURL(r *http.Request) string { return r.URL.RequestURI() }

// cachedByETag buffers a GET's successful response, gives it an ETag of its bytes and
// Cache-Control public for maxAge seconds, and answers 304 with no body when If-None-Match names
// that ETag. Anything but a 200 passes as it was written.
func cachedByETag(maxAge int) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				next.ServeHTTP(w, r)
				return
			}
			rec := &bufferedResponse{header: http.Header{}}
			next.ServeHTTP(rec, r)
			for k, v := range rec.header {
				w.Header()[k] = v
			}
			if rec.status != 0 && rec.status != http.StatusOK {
				w.WriteHeader(rec.status)
				_, _ = w.Write(rec.body.Bytes())
				return
			}
			sum := sha256.Sum256(rec.body.Bytes())
			etag := `"` + hex.EncodeToString(sum[:16]) + `"`
			w.Header().Set("ETag", etag)
			w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(maxAge))
			if etagMatches(r.Header.Get("If-None-Match"), etag) {
				w.Header().Del("Content-Type")
				w.WriteHeader(http.StatusNotModified)
				return
			}
			_, _ = w.Write(rec.body.Bytes())
		})
	}
}

// publicBlogCache caches the public JSON reads of the blog (/v1/blog/posts…) by ETag.
func publicBlogCache(next http.Handler) http.Handler {
	cached := cachedByETag(blogMaxAge)(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/blog/posts") {
			cached.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// etagMatches reads If-None-Match: "*", or a list of tags, weak ones compared weakly.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// bufferedResponse holds a handler's response until cachedByETag has seen all of it.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
