package api

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

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
