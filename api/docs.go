package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/amanat/amn/api/openapi"
)

// mountDocs serves the contract: the document as JSON at /v1/openapi.json and its rendered
// reference at /v1/docs.
func mountDocs(r chi.Router) {
	doc, err := openapi.Load()
	if err != nil {
		panic("api: the embedded OpenAPI document does not load: " + err.Error())
	}
	body, err := doc.MarshalJSON()
	if err != nil {
		panic("api: the OpenAPI document does not marshal: " + err.Error())
	}
	r.Get("/v1/openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(body)
	})
	// The reference page is served from the renderer's own files (no CDN): not built yet.
	notYet := func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "the reference page is not built yet; read /v1/openapi.json", http.StatusServiceUnavailable)
	}
	r.Get("/v1/docs", notYet)
	r.Get("/v1/docs/{asset}", notYet)
}
