package api

import (
	"errors"
	"net/http"

	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/payment"
)

// errorCode is one row of the table that turns domain errors into HTTP: a status and a stable code
// clients can act on.
type errorCode struct {
	err    error
	status int
	code   string
}

// errorCodes is the one place where domain errors meet HTTP statuses. The first match wins: the
// few errors a client must tell apart by code come first, then every kind of package kind.
var errorCodes = []errorCode{
	{payment.ErrWebhookTooLarge, http.StatusRequestEntityTooLarge, "body_too_large"},
	{payment.ErrWebhookUnsigned, http.StatusUnauthorized, "signature_missing"},
	{payment.ErrWebhookSignature, http.StatusUnauthorized, "signature_invalid"},
	{payment.ErrWebhookReplay, http.StatusConflict, "delivery_replayed"},
	{payment.ErrWebhookStale, http.StatusBadRequest, "timestamp_outside_window"},
	{payment.ErrWebhookMalformed, http.StatusBadRequest, "malformed"},
	{payment.ErrIllegalTransition, http.StatusConflict, "illegal_transition"},
	{kind.NotFound, http.StatusNotFound, "not_found"},
	{kind.Invalid, http.StatusBadRequest, "invalid"},
	{kind.Conflict, http.StatusConflict, "conflict"},
	{kind.Refused, http.StatusForbidden, "refused"},
	{kind.Unavailable, http.StatusServiceUnavailable, "unavailable"},
}

// classify returns the status, code and message for err. Anything not in the table is an internal
// error whose details stay in the log.
func classify(err error) (int, string, string) {
	for _, k := range errorCodes {
		if errors.Is(err, k.err) {
			return k.status, k.code, err.Error()
		}
	}
	return http.StatusInternalServerError, "internal", "internal error; quote the request id when reporting it"
}
