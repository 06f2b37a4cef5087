package blog

import (
	"strings"
	"testing"

	nethtml "golang.org/x/net/html"
)

func renderer(t testing.TB) *Renderer {
	r, err := NewRenderer(DefaultVideoHosts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRenderRemovesXSS: what an attacker writes into a post (scripts, event handlers, javascript:
// and data: links, iframes from other hosts, styles, forms, SVG) is gone from the HTML, and the
// Markdown around it still renders.
func TestRenderRemovesXSS(t *testing.T) {
	r := renderer(t)
	for name, c := range map[string]struct {
		md        string
		forbidden []string
		kept      []string
	}{
		"script":              {"Hi\n\n<script>alert(1)</script>\n\n**bold**", []string{"<script", "alert(1)"}, []string{"<strong>bold</strong>"}},
		"script inline":       {"text <script>alert(1)</script> more", []string{"<script", "alert"}, []string{"text", "more"}},
		"onerror":             {`<img src="x.png" onerror="alert(1)">`, []string{"onerror", "alert"}, []string{`<img src="x.png"`}},
		"onload svg":          {`<svg onload="alert(1)"><circle/></svg>`, []string{"onload", "<svg", "alert"}, nil},
		"onclick":             {`<a href="https://amn.example/" onclick="steal()">x</a>`, []string{"onclick", "steal"}, []string{`href="https://amn.example/"`}},
		"javascript link":     {"[click](javascript:alert(1))", []string{"javascript:", "alert"}, []string{"click"}},
		"javascript html":     {`<a href="javascript:alert(1)">x</a>`, []string{"javascript:", "alert"}, nil},
		"javascript case":     {`<a href="JaVaScRiPt:alert(1)">x</a>`, []string{"alert"}, nil},
		"javascript ent":      {`<a href="jav&#x09;ascript:alert(1)">x</a>`, []string{"alert"}, nil},
		"data link":           {"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", []string{"data:"}, nil},
		"evil iframe":         {`<iframe src="https://evil.example/embed/x"></iframe>`, []string{"<iframe", "evil.example"}, nil},
		"iframe lookalike":    {`<iframe src="https://www.youtube.com.evil.example/embed/x"></iframe>`, []string{"<iframe", "evil"}, nil},
		"iframe prefix trick": {`<iframe src="https://www.youtube.com/embed/x/../../redirect?u=evil"></iframe>`, []string{"<iframe"}, nil},
		"iframe srcdoc":       {`<iframe srcdoc="<script>alert(1)</script>" src="https://www.youtube.com/embed/abc"></iframe>`, []string{"srcdoc", "alert", "<script"}, []string{`src="https://www.youtube.com/embed/abc"`}},
		"iframe js":           {`<iframe src="javascript:alert(1)"></iframe>`, []string{"<iframe", "alert"}, nil},
		"iframe onload":       {`<iframe src="https://www.youtube.com/embed/abc" onload="alert(1)"></iframe>`, []string{"onload", "alert"}, []string{"<iframe"}},
		"style":               {`<style>body{display:none}</style><p style="background:url(javascript:alert(1))">p</p>`, []string{"<style", "style=", "alert"}, []string{"<p>p</p>"}},
		"form":                {`<form action="https://evil.example"><input name="pw"></form>`, []string{"<form", "<input"}, nil},
		"object":              {`<object data="x.swf"></object><embed src="x.swf">`, []string{"<object", "<embed"}, nil},
		"meta refresh":        {`<meta http-equiv="refresh" content="0;url=https://evil.example">`, []string{"<meta", "refresh"}, nil},
		"base":                {`<base href="https://evil.example/">`, []string{"<base"}, nil},
		"entity script":       {"&lt;script&gt;alert(1)&lt;/script&gt;", []string{"<script"}, []string{"&lt;script&gt;"}},
	} {
		got, err := r.Render(c.md)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		low := strings.ToLower(got)
		for _, f := range c.forbidden {
			if strings.Contains(low, strings.ToLower(f)) {
				t.Errorf("%s: %q survived in %s", name, f, got)
			}
		}
		for _, k := range c.kept {
			if !strings.Contains(got, k) {
				t.Errorf("%s: %q is missing from %s", name, k, got)
			}
		}
	}
}

// TestRenderKeepsAllowedEmbedsAndMarkdown: a YouTube or Vimeo embed survives, sandboxed; ordinary
// Markdown (headings, lists, tables, code, links with nofollow) renders.
func TestRenderKeepsAllowedEmbedsAndMarkdown(t *testing.T) {
	r := renderer(t)
	got, err := r.Render("# Title\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n`code`\n\n[amn](https://amn.example/)\n\n" +
		`<iframe width="560" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=10" frameborder="0"></iframe>` + "\n\n" +
		`<iframe src="https://player.vimeo.com/video/76979871"></iframe>`)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h1>Title</h1>", "<li>one</li>", "<table>", "<code>code</code>", `rel="nofollow"`,
		`<iframe sandbox="allow-scripts allow-same-origin allow-presentation" allowfullscreen loading="lazy" referrerpolicy="no-referrer" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=10"></iframe>`,
		`src="https://player.vimeo.com/video/76979871"`} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "width=") || strings.Contains(got, "frameborder") {
		t.Errorf("iframe attributes beyond src survived: %s", got)
	}
	if _, err := NewRenderer([]string{"http://insecure.example/"}); err == nil {
		t.Error("an http video host was accepted")
	}
}

// FuzzRender: no input makes the renderer fail or lets through an element that runs code, an
// event handler, or a URL of a scheme that does (read as a browser reads the output: tokenized).
func FuzzRender(f *testing.F) {
	for _, s := range []string{"# hi", "<script>alert(1)</script>", `<img src=x onerror=alert(1)>`, "[a](javascript:x)",
		`<iframe src="https://www.youtube.com/embed/a"></iframe>`, "<a href='java\tscript:x'>x</a>", "```\n<script>\n```",
		`<iframe src="https://evil.example/x"></iframe>`} {
		f.Add(s)
	}
	r := renderer(f)
	f.Fuzz(func(t *testing.T, md string) {
		out, err := r.Render(md)
		if err != nil {
			t.Fatal(err)
		}
		if bad := unsafeHTML(out); bad != "" {
			t.Fatalf("%s survived: %q → %q", bad, md, out)
		}
	})
}

// unsafeHTML names the first thing in s that could run code in a browser, or is "".
func unsafeHTML(s string) string {
	z := nethtml.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case nethtml.ErrorToken:
			return ""
		case nethtml.StartTagToken, nethtml.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "style", "object", "embed", "form", "base", "meta", "link", "svg", "math":
				return "<" + tok.Data + ">"
			case "iframe":
				if !strings.Contains(s, iframeSafe) {
					return "an unsandboxed iframe"
				}
			}
			for _, a := range tok.Attr {
				v := strings.ToLower(strings.Map(func(r rune) rune {
					if r <= ' ' {
						return -1
					}
					return r
				}, a.Val))
				switch {
				case strings.HasPrefix(a.Key, "on") || a.Key == "style" || a.Key == "srcdoc":
					return "attribute " + a.Key
				case (a.Key == "href" || a.Key == "src") && (strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:")):
					return a.Key + "=" + a.Val
				case tok.Data == "iframe" && a.Key == "src" && !strings.HasPrefix(v, "https://"):
					return "iframe src " + a.Val
				}
			}
		}
	}
}
