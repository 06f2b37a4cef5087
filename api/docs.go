package api

import (
	"net/http"
	"os"
	"path/filepath"

	"github.com/go-chi/chi/v5"

	"github.com/amanat/amn/api/openapi"
)

// DefaultDocsDir is where `npm ci` puts the reference page's renderer (Redoc's standalone bundle),
// relative to the repository root.
const DefaultDocsDir = "node_modules/redoc/bundles"

// docsAssets are the only files /v1/docs/{asset} serves from the docs directory.
var docsAssets = map[string]string{"redoc.standalone.js": "application/javascript"}

// docsPage renders /v1/openapi.json with Redoc, loaded from our own server (no CDN).
const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Amn escrow API</title>
</head>
<body>
<redoc spec-url="/v1/openapi.json" hide-download-button="false"></redoc>
<script src="/v1/docs/redoc.standalone.js"></script>
</body>
</html>
`

// mountDocs serves the contract: the document as JSON at /v1/openapi.json and its rendered
// reference at /v1/docs, whose renderer is read from dir (DefaultDocsDir when empty).
func mountDocs(r chi.Router, dir string, errs errorWriter) {
	doc, err := openapi.Load()
	if err != nil {
		panic("api: the embedded OpenAPI document does not load: " + err.Error())
	}
	body, err := doc.MarshalJSON()
	if err != nil {
		panic("api: the OpenAPI document does not marshal: " + err.Error())
	}
	if dir == "" {
		dir = DefaultDocsDir
	}
	r.Get("/v1/openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(body)
	})
	r.Get("/v1/docs", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(docsPage))
	})
	r.Get("/v1/docs/{asset}", func(w http.ResponseWriter, r *http.Request) {
		name := chi.URLParam(r, "asset")
		ctype, ok := docsAssets[name]
		if !ok {
			errs.writeCode(w, r, http.StatusNotFound, "not_found", "no such file")
			return
		}
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			errs.writeCode(w, r, http.StatusServiceUnavailable, "unavailable", "the reference page's renderer is not installed here (npm ci); read /v1/openapi.json")
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			errs.writeCode(w, r, http.StatusServiceUnavailable, "unavailable", "the reference page's renderer cannot be read")
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "public, max-age=3600")
		http.ServeContent(w, r, name, st.ModTime(), f)
	})
}
