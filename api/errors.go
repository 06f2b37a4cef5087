package api

import (
	"errors"
	"net/http"

	"github.com/amanat/amn/payment"
)

// errorKind is one row of the table that turns domain errors into HTTP: a status and a stable code
// clients can act on.
type errorKind struct {
	err    error
	status int
	code   string
}

// errorKinds is the one place where domain errors meet HTTP statuses. The first match wins.
var errorKinds = []errorKind{
	{payment.ErrWebhookTooLarge, http.StatusRequestEntityTooLarge, "body_too_large"},
	{payment.ErrWebhookUnsigned, http.StatusUnauthorized, "signature_missing"},
	{payment.ErrWebhookSignature, http.StatusUnauthorized, "signature_invalid"},
	{payment.ErrWebhookReplay, http.StatusConflict, "delivery_replayed"},
	{payment.ErrWebhookStale, http.StatusBadRequest, "timestamp_outside_window"},
	{payment.ErrWebhookMalformed, http.StatusBadRequest, "malformed"},
	{payment.ErrNotFound, http.StatusNotFound, "not_found"},
	{payment.ErrIllegalTransition, http.StatusConflict, "illegal_transition"},
	{payment.ErrInvalid, http.StatusBadRequest, "invalid"},
}

// classify returns the status, code and message for err. Anything not in the table is an internal
// error whose details stay in the log.
func classify(err error) (int, string, string) {
	for _, k := range errorKinds {
		if errors.Is(err, k.err) {
			return k.status, k.code, err.Error()
		}
	}
	return http.StatusInternalServerError, "internal", "internal error; quote the request id when reporting it"
}
