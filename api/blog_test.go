package api

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/upload/uploadtest"
)

func (f *filesAPI) writePost(token string, body map[string]any, want int) openapi.BlogPost {
	f.t.Helper()
	rec := f.do("POST", "/v1/admin/blog/posts", body, token)
	var p openapi.BlogPost
	if rec.Code != want || want == http.StatusCreated && json.Unmarshal(rec.Body.Bytes(), &p) != nil {
		f.t.Fatalf("create post: %d, want %d: %s", rec.Code, want, rec.Body)
	}
	return p
}

// TestBlogPublicReads: no token needed; drafts are invisible (list and slug); responses carry an
// ETag and a public Cache-Control, and If-None-Match answers 304 with no body.
func TestBlogPublicReads(t *testing.T) {
	f := newFilesAPI(t)
	adm := f.someone(auth.RoleAdmin)
	f.writePost(adm.AccessToken, map[string]any{"title": "Secret plans", "body": "draft", "locale": "en", "status": "draft"}, http.StatusCreated)
	p := f.writePost(adm.AccessToken, map[string]any{"title": "Как купить безопасно", "body": "**hi**", "locale": "ru", "status": "published",
		"categories": []string{"Guides"}, "tags": []string{"escrow"}}, http.StatusCreated)
	if p.Slug != "kak-kupit-bezopasno" || p.Body == nil || p.Status == nil || *p.Status != "published" {
		t.Fatalf("%+v", p)
	}
	list := f.get("/v1/blog/posts?category=guides", "")
	var page openapi.BlogPostPage
	if list.Code != 200 || json.Unmarshal(list.Body.Bytes(), &page) != nil || len(page.Items) != 1 || page.Items[0].Slug != p.Slug ||
		page.Items[0].Body != nil || page.Items[0].AuthorId != nil {
		t.Fatalf("%d %s", list.Code, list.Body)
	}
	if rec := f.get("/v1/blog/posts", ""); strings.Contains(rec.Body.String(), "secret") {
		t.Fatalf("a draft is listed: %s", rec.Body)
	}
	if rec := f.get("/v1/blog/posts/secret-plans", ""); rec.Code != http.StatusNotFound {
		t.Fatalf("a draft is readable: %d", rec.Code)
	}
	one := f.get("/v1/blog/posts/"+p.Slug, "")
	etag := one.Header().Get("ETag")
	var read openapi.BlogPost
	if one.Code != 200 || etag == "" || one.Header().Get("Cache-Control") != "public, max-age=60" || json.Unmarshal(one.Body.Bytes(), &read) != nil ||
		read.Html == nil || *read.Html != "<p><strong>hi</strong></p>\n" {
		t.Fatalf("%d %q %s", one.Code, one.Header(), one.Body)
	}
	if nm := f.get("/v1/blog/posts/"+p.Slug, "", "If-None-Match", etag); nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
		t.Fatalf("If-None-Match: %d %s", nm.Code, nm.Body)
	}
	if other := f.get("/v1/blog/posts/"+p.Slug, "", "If-None-Match", `"stale"`); other.Code != 200 {
		t.Fatalf("a stale ETag: %d", other.Code)
	}
	if rec := f.get("/v1/blog/posts/"+"UPPER", ""); rec.Code != http.StatusBadRequest {
		t.Fatalf("a malformed slug: %d", rec.Code)
	}
}

// TestBlogWritesNeedAdmin: no token is 401, a buyer 403 (create, update, the admin list).
func TestBlogWritesNeedAdmin(t *testing.T) {
	f := newFilesAPI(t)
	buyer, adm := f.someone(auth.RoleBuyer), f.someone(auth.RoleAdmin)
	post := map[string]any{"title": "t", "body": "b", "locale": "en", "status": "published"}
	f.writePost("", post, http.StatusUnauthorized)
	f.writePost(buyer.AccessToken, post, http.StatusForbidden)
	p := f.writePost(adm.AccessToken, post, http.StatusCreated)
	if rec := f.do("PUT", "/v1/admin/blog/posts/"+p.Id.String(), post, buyer.AccessToken); rec.Code != http.StatusForbidden {
		t.Fatalf("update by a buyer: %d", rec.Code)
	}
	if rec := f.get("/v1/admin/blog/posts?status=draft", buyer.AccessToken); rec.Code != http.StatusForbidden {
		t.Fatalf("admin list by a buyer: %d", rec.Code)
	}
	post["title"] = "new title"
	rec := f.do("PUT", "/v1/admin/blog/posts/"+p.Id.String(), post, adm.AccessToken)
	var q openapi.BlogPost
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &q) != nil || q.Slug != p.Slug || q.Title != "new title" {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if rec := f.do("POST", "/v1/admin/blog/posts", map[string]any{"title": "t", "slug": p.Slug, "body": "b", "locale": "en", "status": "draft"}, adm.AccessToken); rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "slug_taken") {
		t.Fatalf("a taken slug: %d %s", rec.Code, rec.Body)
	}
}

// TestBlogXSS: what an attacker writes into a post is not in the HTML the public reads.
func TestBlogXSS(t *testing.T) {
	f := newFilesAPI(t)
	adm := f.someone(auth.RoleAdmin)
	body := "<script>alert('x')</script>\n\n<img src=\"a.png\" onerror=\"alert(1)\">\n\n[link](javascript:alert(2))\n\n" +
		"<iframe src=\"https://evil.example/embed/1\"></iframe>\n\n<iframe src=\"https://www.youtube.com/embed/abc123\"></iframe>\n\nfine"
	p := f.writePost(adm.AccessToken, map[string]any{"title": "xss", "body": body, "locale": "en", "status": "published"}, http.StatusCreated)
	rec := f.get("/v1/blog/posts/"+p.Slug, "")
	var got openapi.BlogPost
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &got) != nil || got.Html == nil {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	html := *got.Html
	for _, bad := range []string{"<script", "onerror", "javascript:", "alert", "evil.example"} {
		if strings.Contains(html, bad) {
			t.Errorf("%q survived: %s", bad, html)
		}
	}
	if !strings.Contains(html, `src="https://www.youtube.com/embed/abc123"`) || !strings.Contains(html, "<p>fine</p>") {
		t.Errorf("allowed content lost: %s", html)
	}
}

// TestBlogFeedSitemapAndCover: the feed and the sitemap parse as XML with their namespaces, list
// visible posts only, and are cached by ETag; a post's cover (the admin's upload) is public.
func TestBlogFeedSitemapAndCover(t *testing.T) {
	f := newFilesAPI(t)
	adm := f.someone(auth.RoleAdmin)
	cover := f.uploaded(adm.AccessToken, uploadtest.PNG(t, uploadtest.Image(20, 10)))
	if rec := f.get(cover.Url, ""); rec.Code != http.StatusNotFound {
		t.Fatalf("an unattached upload is public: %d", rec.Code)
	}
	f.writePost(adm.AccessToken, map[string]any{"title": "Fish & chips", "body": "<b>x</b>", "locale": "en", "status": "published",
		"coverUploadId": cover.Id}, http.StatusCreated)
	f.writePost(adm.AccessToken, map[string]any{"title": "Hidden", "body": "x", "locale": "en", "status": "draft"}, http.StatusCreated)
	if rec := f.get(cover.Url, ""); rec.Code != 200 || rec.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Fatalf("the cover: %d %q", rec.Code, rec.Header())
	}
	feed := f.get("/v1/blog/feed.xml", "")
	var atom struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Entries []struct {
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if feed.Code != 200 || feed.Header().Get("Content-Type") != "application/atom+xml; charset=utf-8" || xml.Unmarshal(feed.Body.Bytes(), &atom) != nil ||
		len(atom.Entries) != 1 || atom.Entries[0].Title != "Fish & chips" {
		t.Fatalf("feed: %d %q %s", feed.Code, feed.Header(), feed.Body)
	}
	if nm := f.get("/v1/blog/feed.xml", "", "If-None-Match", feed.Header().Get("ETag")); nm.Code != http.StatusNotModified {
		t.Fatalf("feed If-None-Match: %d", nm.Code)
	}
	sm := f.get("/v1/blog/sitemap.xml", "")
	var urls struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if sm.Code != 200 || xml.Unmarshal(sm.Body.Bytes(), &urls) != nil || len(urls.URLs) != 1 || urls.URLs[0].Loc != "http://localhost:3000/blog/fish-and-chips" {
		t.Fatalf("sitemap: %d %s", sm.Code, sm.Body)
	}
	if rec := f.get("/v1/blog/feed.xml?locale=../x", ""); rec.Code != http.StatusBadRequest {
		t.Fatalf("a bad locale: %d", rec.Code)
	}
}
