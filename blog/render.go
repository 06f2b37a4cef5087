package blog

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// DefaultVideoHosts are the embeds a post may carry: an <iframe> whose src starts with one of
// these (then an id and an optional query) survives; any other iframe is removed whole.
var DefaultVideoHosts = []string{
	"https://www.youtube.com/embed/",
	"https://www.youtube-nocookie.com/embed/",
	"https://player.vimeo.com/video/",
	"https://www.aparat.com/video/video/embed/",
}

// Renderer turns Markdown into HTML that is safe to put in a page as it is.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// NewRenderer renders GitHub-flavoured Markdown. Raw HTML in the Markdown is passed through
// goldmark on purpose (it is how a video is embedded) and everything then goes through the
// sanitizer: bluemonday's user-content policy (no scripts, styles, event handlers, forms or
// javascript:/data: URLs; links get rel="nofollow"), plus <iframe src> from videoHosts only.
func NewRenderer(videoHosts []string) (*Renderer, error) {
	p := bluemonday.UGCPolicy()
	if len(videoHosts) > 0 {
		alts := make([]string, len(videoHosts))
		for i, h := range videoHosts {
			if !strings.HasPrefix(h, "https://") || !strings.HasSuffix(h, "/") {
				return nil, fmt.Errorf("blog: video host %q must be an https:// URL prefix ending in /", h)
			}
			alts[i] = regexp.QuoteMeta(h)
		}
		src := regexp.MustCompile(`^(?:` + strings.Join(alts, "|") + `)[A-Za-z0-9_-]{1,64}(?:\?[A-Za-z0-9_=&.-]{0,200})?$`)
		// Only src is allowed: an iframe whose src is refused has no attribute left, and
		// bluemonday drops such an element with its content.
		p.AllowAttrs("src").Matching(src).OnElements("iframe")
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))
	return &Renderer{md: md, policy: p}, nil
}

// iframeOpen is how bluemonday writes every iframe it keeps.
const iframeOpen = `<iframe src=`

// iframeSafe are the attributes every kept embed gets: a sandbox that lets the player run but not
// navigate the page or open pop-ups, lazy loading and no referrer.
const iframeSafe = `<iframe sandbox="allow-scripts allow-same-origin allow-presentation" allowfullscreen loading="lazy" referrerpolicy="no-referrer" src=`

// Render returns the sanitized HTML of md.
func (r *Renderer) Render(md string) (string, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(md), &buf); err != nil {
		return "", fmt.Errorf("blog: rendering Markdown: %w", err)
	}
	out := r.policy.SanitizeBytes(buf.Bytes())
	return strings.ReplaceAll(string(out), iframeOpen, iframeSafe), nil
}
