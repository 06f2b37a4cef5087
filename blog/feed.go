package blog

import (
	"context"
	"encoding/xml"
	"strings"
	"time"
)

// Feed and sitemap sizes: the newest posts in the feed, and every visible post (the sitemap
// protocol's limit per file) in the sitemap.
const (
	feedPosts    = 30
	sitemapPosts = 50_000
)

// PostURL is where the frontend shows a post.
func (s *Service) PostURL(slug string) string {
	return strings.TrimRight(s.cfg.SiteURL, "/") + "/" + slug
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	Title      string     `xml:"title"`
	ID         string     `xml:"id"`
	Link       atomLink   `xml:"link"`
	Published  string     `xml:"published"`
	Updated    string     `xml:"updated"`
	Author     atomAuthor `xml:"author"`
	Summary    string     `xml:"summary,omitempty"`
	Content    atomText   `xml:"content"`
	Categories []atomCat  `xml:"category"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

// Feed is the Atom feed (RFC 4287) of the newest visible posts, of one locale when given; self is
// the feed's own URL. Entries carry the sanitized HTML as escaped text.
func (s *Service) Feed(ctx context.Context, locale, self string) ([]byte, error) {
	posts, err := s.PublicPosts(ctx, Filter{Locale: locale}, Cursor{}, feedPosts)
	if err != nil {
		return nil, err
	}
	f := atomFeed{Title: s.cfg.Title, ID: s.PostURL(""), Updated: s.clock().Format(time.RFC3339),
		Links: []atomLink{{Rel: "self", Href: self}, {Rel: "alternate", Href: s.cfg.SiteURL}}}
	var latest time.Time
	for _, p := range posts {
		if p.UpdatedAt.After(latest) {
			latest = p.UpdatedAt
			f.Updated = latest.UTC().Format(time.RFC3339)
		}
		e := atomEntry{Title: p.Title, ID: "urn:uuid:" + p.ID.String(), Link: atomLink{Rel: "alternate", Href: s.PostURL(p.Slug)},
			Published: p.PublishAt.UTC().Format(time.RFC3339), Updated: p.UpdatedAt.UTC().Format(time.RFC3339),
			Author: atomAuthor{Name: s.cfg.Title}, Summary: p.Summary, Content: atomText{Type: "html", Body: p.HTML}}
		for _, c := range p.Categories {
			e.Categories = append(e.Categories, atomCat{Term: c})
		}
		f.Entries = append(f.Entries, e)
	}
	return marshalXML(f)
}

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
}

// Sitemap is the sitemap (sitemaps.org 0.9) of every visible post.
func (s *Service) Sitemap(ctx context.Context) ([]byte, error) {
	var m urlset
	after := Cursor{}
	for len(m.URLs) < sitemapPosts {
		n, err := s.sitemapPage(ctx, &m, &after, 1000)
		if err != nil {
			return nil, err
		}
		if n < 1000 {
			break
		}
	}
	return marshalXML(m)
}

// sitemapPage appends a page of n visible posts after *after to m (their slugs and times only,
// not their bodies) and moves *after past them; it returns how many it read.
func (s *Service) sitemapPage(ctx context.Context, m *urlset, after *Cursor, n int) (int, error) {
	at, id := cursorArgs(*after)
	rows, err := s.pool.Query(ctx, sitemapSQL, s.clock(), at, id, n)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	read := 0
	for rows.Next() {
		var slug string
		var updated time.Time
		if err := rows.Scan(&after.ID, &slug, &after.At, &updated); err != nil {
			return read, err
		}
		m.URLs = append(m.URLs, sitemapURL{Loc: s.PostURL(slug), LastMod: updated.UTC().Format(time.RFC3339)})
		read++
	}
	return read, rows.Err()
}

func marshalXML(v any) ([]byte, error) {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}
