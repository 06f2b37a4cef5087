package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/payment"
)

// The error table maps the few errors clients tell apart by code, then every kind once: a new
// domain sentinel of some kind gets its status without a new row.
func TestErrorsMapByKind(t *testing.T) {
	for _, c := range []struct {
		err    error
		status int
		code   string
	}{
		{fmt.Errorf("get: %w", payment.ErrNotFound), http.StatusNotFound, "not_found"},
		{payment.ErrIllegalTransition, http.StatusConflict, "illegal_transition"},
		{payment.ErrDuplicate, http.StatusConflict, "conflict"},
		{payment.ErrWebhookReplay, http.StatusConflict, "delivery_replayed"},
		{kind.New(kind.Refused, "over the daily limit"), http.StatusForbidden, "refused"},
		{kind.New(kind.Invalid, "bad address"), http.StatusBadRequest, "invalid"},
		{kind.New(kind.Unavailable, "node down"), http.StatusServiceUnavailable, "unavailable"},
		{errors.New("disk full"), http.StatusInternalServerError, "internal"},
	} {
		status, code, msg := classify(c.err)
		if status != c.status || code != c.code {
			t.Errorf("%v: %d %s, want %d %s", c.err, status, code, c.status, c.code)
		}
		if status == http.StatusInternalServerError && msg == c.err.Error() {
			t.Errorf("an internal error's details reached the client: %q", msg)
		}
	}
}

// TestEveryErrorCodeIsInTheDocument: the codes the API can answer are the document's ErrorCode
// values (so the frontend can translate each), and the document lists none the API never uses.
func TestEveryErrorCodeIsInTheDocument(t *testing.T) {
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	for _, v := range doc.Components.Schemas["ErrorCode"].Value.Enum {
		documented = append(documented, v.(string))
	}
	answered := []string{"internal", "not_found", "method_not_allowed", "rate_limited"}
	for _, c := range errorCodes {
		answered = append(answered, c.code)
	}
	for _, c := range answered {
		if !slices.Contains(documented, c) {
			t.Errorf("the API answers %q, which the document's ErrorCode does not list", c)
		}
	}
	for _, c := range documented {
		if !slices.Contains(answered, c) {
			t.Errorf("the document lists %q, which the API never answers", c)
		}
	}
}
