package api

import (
	"encoding/base64"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/auth"
)

// The pagination of every list (docs/api.md): `limit` (1–100, default 20; the document bounds
// it) and `cursor`, the opaque base64url of the previous page's last item's (created_at, id).
// A list answers {"items": [...], "nextCursor": "…" | null}; null is the last page.

// encodeCursor makes the cursor that starts the page after k.
func encodeCursor(k *auth.PageKey) *string {
	if k == nil {
		return nil
	}
	s := base64.RawURLEncoding.EncodeToString([]byte(k.CreatedAt.UTC().Format(time.RFC3339Nano) + "|" + k.ID.String()))
	return &s
}

// decodeCursor reads a cursor made by encodeCursor; anything else is a 400 naming query.cursor.
func decodeCursor(s string) (auth.PageKey, error) {
	bad := errInvalidRequest("the cursor is not one this API gave", FieldError{Field: "query.cursor", Message: "malformed cursor"})
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return auth.PageKey{}, bad
	}
	at, id, ok := strings.Cut(string(raw), "|")
	if !ok {
		return auth.PageKey{}, bad
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return auth.PageKey{}, bad
	}
	u, err := uuid.Parse(id)
	if err != nil || len(id) != 36 {
		return auth.PageKey{}, bad
	}
	return auth.PageKey{CreatedAt: t, ID: u}, nil
}

// pageOf turns a list's query parameters into the page to read.
func pageOf(cursor *string, limit *int) (auth.Page, error) {
	var p auth.Page
	if limit != nil {
		p.Limit = *limit
	}
	if cursor != nil {
		k, err := decodeCursor(*cursor)
		if err != nil {
			return auth.Page{}, err
		}
		p.After = &k
	}
	return p, nil
}
