package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/go-chi/chi/v5/middleware"
	nethttpmiddleware "github.com/oapi-codegen/nethttp-middleware"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/blog"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/dispute"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/points"
	"github.com/amanat/amn/upload"
)

// ErrorBody is the stable error shape:
// {"error": {"code": "…", "message": "…", "fields": [{"field", "message"}], "requestId": "…"}}.
// Every code is listed in the OpenAPI document's ErrorCode, so the frontend can translate it.
type ErrorBody struct {
	Error struct {
		Code      string       `json:"code"`
		Message   string       `json:"message"`
		Fields    []FieldError `json:"fields,omitempty"`
		RequestID string       `json:"requestId,omitempty"`
	} `json:"error"`
}

// FieldError names one part of a request that does not match the document: "body.email",
// "query.limit", "path.userId".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

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
	{errRequestMismatch, http.StatusBadRequest, "invalid_request"},
	{errBodyTooLarge, http.StatusRequestEntityTooLarge, "body_too_large"},
	{payment.ErrWebhookTooLarge, http.StatusRequestEntityTooLarge, "body_too_large"},
	{payment.ErrWebhookUnsigned, http.StatusUnauthorized, "signature_missing"},
	{payment.ErrWebhookSignature, http.StatusUnauthorized, "signature_invalid"},
	{payment.ErrWebhookReplay, http.StatusConflict, "delivery_replayed"},
	{payment.ErrWebhookStale, http.StatusBadRequest, "timestamp_outside_window"},
	{payment.ErrWebhookMalformed, http.StatusBadRequest, "malformed"},
	{payment.ErrIllegalTransition, http.StatusConflict, "illegal_transition"},
	{market.ErrIllegalTransition, http.StatusConflict, "illegal_transition"},
	{dispute.ErrIllegalTransition, http.StatusConflict, "illegal_transition"},
	{market.ErrPaymentMoved, http.StatusConflict, "illegal_transition"},
	{market.ErrNotYours, http.StatusForbidden, "refused"},
	{market.ErrOwnRequest, http.StatusForbidden, "own_request"},
	{upload.ErrTooLarge, http.StatusRequestEntityTooLarge, "body_too_large"},
	{upload.ErrUnsupportedType, http.StatusUnsupportedMediaType, "unsupported_media_type"},
	{upload.ErrTooManyPixels, http.StatusBadRequest, "image_too_large"},
	{upload.ErrCorrupt, http.StatusBadRequest, "image_invalid"},
	{blog.ErrSlugTaken, http.StatusConflict, "slug_taken"},
	{market.ErrNotReviewable, http.StatusConflict, "not_reviewable"},
	{market.ErrReviewExists, http.StatusConflict, "review_exists"},
	{market.ErrReviewLocked, http.StatusForbidden, "review_locked"},
	{market.ErrOfferChanged, http.StatusConflict, "offer_changed"},
	{points.ErrInsufficient, http.StatusConflict, "insufficient_points"},
	{upload.ErrQuotaExceeded, http.StatusConflict, "upload_quota_exceeded"},
	{upload.ErrTooManyAtOnce, http.StatusTooManyRequests, "rate_limited"},
	{auth.ErrUnauthenticated, http.StatusUnauthorized, "unauthenticated"},
	{auth.ErrTokenExpired, http.StatusUnauthorized, "token_expired"},
	{auth.ErrForbidden, http.StatusForbidden, "forbidden"},
	{auth.ErrInvalidCredentials, http.StatusUnauthorized, "invalid_credentials"},
	{auth.ErrEmailUnverified, http.StatusForbidden, "email_unverified"},
	{auth.ErrBanned, http.StatusForbidden, "account_banned"},
	{auth.ErrCodeInvalid, http.StatusBadRequest, "code_invalid"},
	{auth.ErrWeakPassword, http.StatusBadRequest, "weak_password"},
	{auth.ErrRefreshInvalid, http.StatusUnauthorized, "refresh_token_invalid"},
	{auth.ErrIdentityTaken, http.StatusConflict, "identity_taken"},
	{auth.ErrPasskeyInvalid, http.StatusUnauthorized, "passkey_invalid"},
	{auth.ErrGoogleToken, http.StatusUnauthorized, "google_token_invalid"},
	{auth.ErrTelegram, http.StatusUnauthorized, "telegram_invalid"},
	{auth.ErrSIWE, http.StatusUnauthorized, "siwe_invalid"},
	{auth.ErrRecentSignInRequired, http.StatusForbidden, "recent_sign_in_required"},
	{kind.NotFound, http.StatusNotFound, "not_found"},
	{kind.Invalid, http.StatusBadRequest, "invalid"},
	{kind.Conflict, http.StatusConflict, "conflict"},
	{kind.Refused, http.StatusForbidden, "refused"},
	{kind.Unavailable, http.StatusServiceUnavailable, "unavailable"},
}

// Errors of the HTTP layer itself.
var (
	errRequestMismatch = kind.New(kind.Invalid, "the request does not match the API document")
	errBodyTooLarge    = kind.New(kind.Invalid, "the request body is too large")
)

// requestError is a request that does not match the document, with the fields that do not.
type requestError struct {
	msg    string
	fields []FieldError
}

func (e *requestError) Error() string { return e.msg }
func (e *requestError) Unwrap() error { return errRequestMismatch }

func errInvalidRequest(msg string, fields ...FieldError) error {
	return &requestError{msg: msg, fields: fields}
}

// classify returns the status, code and message for err. Anything not in the table is an internal
// error whose details stay in the log.
//
// Text Postgres cannot store (a NUL, invalid UTF-8) is the sender's fault in whatever package's
// query it surfaced: it is mapped here, once for all, to db.ErrInvalidText (400 invalid).
func classify(err error) (int, string, string) {
	if db.IsInvalidText(err) {
		err = db.ErrInvalidText
	}
	for _, k := range errorCodes {
		if errors.Is(err, k.err) {
			return k.status, k.code, err.Error()
		}
	}
	return http.StatusInternalServerError, "internal", "internal error; quote the request id when reporting it"
}

// errorWriter writes error bodies and counts them by code.
type errorWriter struct {
	m   *metrics
	log *slog.Logger
}

// write answers err through the error table; an internal error's detail goes to the log only
// (the access log line carries the request id the body quotes).
func (e errorWriter) write(w http.ResponseWriter, r *http.Request, err error) {
	var limited *errRateLimited
	if errors.As(err, &limited) { // a limit a handler charged (chargeSegment)
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(max(limited.retryAfter.Seconds(), 1)))))
		e.writeCode(w, r, http.StatusTooManyRequests, "rate_limited", limited.Error())
		return
	}
	status, code, msg := classify(err)
	var b ErrorBody
	b.Error.Code, b.Error.Message = code, msg
	b.Error.RequestID = middleware.GetReqID(r.Context())
	var re *requestError
	if errors.As(err, &re) {
		b.Error.Fields = re.fields
	}
	if status == http.StatusInternalServerError {
		e.log.Error("internal error", "request_id", b.Error.RequestID, "err", err)
	}
	e.send(w, status, b)
}

func (e errorWriter) send(w http.ResponseWriter, status int, b ErrorBody) {
	e.m.errors.WithLabelValues(b.Error.Code).Inc()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(b)
}

// validation answers a request the validator refused: a security requirement not met (the
// authentication error inside it decides the code) or a request that does not match the document.
func (e errorWriter) validation(_ context.Context, err error, w http.ResponseWriter, r *http.Request, opts nethttpmiddleware.ErrorHandlerOpts) {
	var sec *openapi3filter.SecurityRequirementsError
	switch {
	case errors.As(err, &sec):
		cause := error(auth.ErrUnauthenticated)
		if len(sec.Errors) > 0 {
			cause = sec.Errors[0]
		}
		e.write(w, r, cause)
	case opts.StatusCode == http.StatusNotFound:
		e.write(w, r, kind.New(kind.NotFound, "no such endpoint"))
	case opts.StatusCode == http.StatusBadRequest:
		e.write(w, r, errInvalidRequest("the request does not match the API document", validationFields(err)...))
	default:
		e.write(w, r, err)
	}
}

// writeCode answers with a given status and code (the router's own 404 and 405, panics).
func (e errorWriter) writeCode(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	var b ErrorBody
	b.Error.Code, b.Error.Message = code, msg
	b.Error.RequestID = middleware.GetReqID(r.Context())
	e.send(w, status, b)
}
