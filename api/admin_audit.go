package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/uuid"

	"github.com/amanat/amn/admin"
	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/kind"
)

// auditAdmin records in the admin audit every change an admin makes, and every attempt at one
// under /v1/admin, whatever its outcome:
//   - any call but GET and HEAD under /v1/admin, refused ones too (for want of a token or the role,
//     invalid, failed or done);
//   - any call but GET and HEAD under /v1/marketplace by a caller with the admin role (publishing,
//     an admin's cancel, anything else an admin does there).
//
// An action never succeeds without its row: before a call that may succeed (its caller holds the
// admin role) runs, a row with outcome "started" (status 102) is written, and if it cannot be,
// the call is refused (503 unavailable) without running. The outcome's row is written after the
// handler and before the answer leaves (the answer is held until then); a failure to write that
// one is logged (the action is done, its "started" row stands). It runs outside the validator so
// that refusals are recorded too.
func auditAdmin(svc *admin.Service, authSvc *auth.Service, doc *openapi3.T, errs errorWriter) func(http.Handler) http.Handler {
	ops := operationIDs(doc)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if svc == nil || isRead(r) {
				next.ServeHTTP(w, r)
				return
			}
			adminPath, marketPath := strings.HasPrefix(r.URL.Path, "/v1/admin/"), strings.HasPrefix(r.URL.Path, "/v1/marketplace/")
			var caller *auth.Principal
			if adminPath || marketPath {
				caller = bearerPrincipal(r, authSvc)
			}
			isAdmin := caller != nil && caller.HasRole(auth.RoleAdmin)
			if !adminPath && !(isAdmin && marketPath) {
				next.ServeHTTP(w, r)
				return
			}
			// The caller may go away; the records must still be written.
			ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 5*time.Second)
			defer cancel()
			if isAdmin {
				e := auditEntry(r, http.StatusProcessing, "started", ops)
				e.UserID = caller.UserID
				if err := svc.Record(ctx, e); err != nil {
					errs.logError("admin audit not recorded: the call is refused", "request_id", e.RequestID, "operation", e.Operation, "err", err)
					errs.write(w, r, errAuditUnavailable)
					return
				}
			}
			held := &heldResponse{header: http.Header{}}
			next.ServeHTTP(held, r)
			e := auditEntry(r, held.status(), held.outcome(), ops)
			if err := svc.Record(ctx, e); err != nil {
				errs.logError("admin audit outcome not recorded", "request_id", e.RequestID, "operation", e.Operation, "err", err)
			}
			held.sendTo(w)
		})
	}
}

func (e errorWriter) logError(msg string, args ...any) {
	if e.log != nil {
		e.log.Error(msg, args...)
	}
}

var errAuditUnavailable = kind.New(kind.Unavailable, "the admin audit cannot be written; nothing was done, try again")

// bearerPrincipal is the caller of a request's valid access token, or nil.
func bearerPrincipal(r *http.Request, authSvc *auth.Service) *auth.Principal {
	p, err := bearer(r, authSvc)
	if err != nil || p == nil {
		return nil
	}
	// The validator's authenticator takes it from here rather than asking the database again.
	if s, _ := r.Context().Value(slotKey{}).(*principalSlot); s != nil {
		s.caller, s.token = p, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	return p
}

func auditEntry(r *http.Request, status int, outcome string, ops map[string]string) admin.Entry {
	rctx := chi.RouteContext(r.Context())
	pattern := rctx.RoutePattern()
	op := ops[r.Method+" "+pattern]
	if op == "" {
		op = r.Method + " " + r.URL.Path
	}
	c := clientOf(r.Context())
	e := admin.Entry{Operation: op, Target: auditTarget(rctx), ClientIP: c.IP, UserAgent: c.UserAgent,
		Status: status, Outcome: outcome, RequestID: middleware.GetReqID(r.Context())}
	if s, ok := r.Context().Value(slotKey{}).(*principalSlot); ok && s.caller != nil {
		e.UserID = s.caller.UserID
	}
	return e
}

// auditTarget names what a call was about from its path parameters: "paymentId=…".
func auditTarget(rctx *chi.Context) string {
	var parts []string
	for i, k := range rctx.URLParams.Keys {
		if k != "*" && i < len(rctx.URLParams.Values) {
			parts = append(parts, k+"="+rctx.URLParams.Values[i])
		}
	}
	return strings.Join(parts, " ")
}

// operationIDs maps "METHOD /path/{param}" to the document's operationId.
func operationIDs(doc *openapi3.T) map[string]string {
	out := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			out[method+" "+path] = op.OperationID
		}
	}
	return out
}

// heldResponse holds a handler's answer until the audit has its outcome.
type heldResponse struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (h *heldResponse) Header() http.Header { return h.header }

func (h *heldResponse) WriteHeader(status int) {
	if h.code == 0 {
		h.code = status
	}
}

func (h *heldResponse) Write(b []byte) (int, error) {
	if h.code == 0 {
		h.code = http.StatusOK
	}
	return h.body.Write(b)
}

func (h *heldResponse) status() int {
	if h.code == 0 {
		return http.StatusOK
	}
	return h.code
}

// outcome is "ok", or the code of an error answer.
func (h *heldResponse) outcome() string {
	if h.status() < 400 {
		return "ok"
	}
	return errorCodeIn(h.body.Bytes())
}

// sendTo writes the held answer to w.
func (h *heldResponse) sendTo(w http.ResponseWriter) {
	for k, v := range h.header {
		w.Header()[k] = v
	}
	w.WriteHeader(h.status())
	_, _ = w.Write(h.body.Bytes())
}

// errorCodeIn reads the code of an error body; "error" when it is not one.
func errorCodeIn(b []byte) string {
	const key = `"code":"`
	i := strings.Index(string(b), key)
	if i < 0 {
		return "error"
	}
	rest := string(b[i+len(key):])
	if j := strings.IndexByte(rest, '"'); j > 0 {
		return rest[:j]
	}
	return "error"
}

// AdminListAudit pages the admin audit, newest first.
func (v *v1) AdminListAudit(ctx context.Context, req openapi.AdminListAuditRequestObject) (openapi.AdminListAuditResponseObject, error) {
	if v.admin == nil {
		return nil, errAdminUnavailable
	}
	f := admin.AuditFilter{Limit: limitOf(req.Params.Limit) + 1}
	if req.Params.Cursor != nil {
		at, id, err := decodeSeqCursor(*req.Params.Cursor)
		if err != nil {
			return nil, err
		}
		f.BeforeAt, f.BeforeID = at, id
	}
	if req.Params.UserId != nil {
		f.UserID = *req.Params.UserId
	}
	es, err := v.admin.Audit(ctx, f)
	if err != nil {
		return nil, err
	}
	out := openapi.AdminListAudit200JSONResponse{Items: []openapi.AdminAuditEntry{}}
	if len(es) == f.Limit {
		es = es[:len(es)-1]
		last := es[len(es)-1]
		out.NextCursor = encodeSeqCursor(last.At, last.ID)
	}
	for _, e := range es {
		item := openapi.AdminAuditEntry{Id: e.ID, At: e.At, Operation: e.Operation, Target: e.Target, ClientIp: e.ClientIP,
			UserAgent: e.UserAgent, Status: e.Status, Outcome: e.Outcome, RequestId: e.RequestID}
		if e.UserID != uuid.Nil {
			u := e.UserID
			item.UserId = &u
		}
		out.Items = append(out.Items, item)
	}
	return out, nil
}

// encodeSeqCursor is page.go's cursor for lists keyed by (time, integer id).
func encodeSeqCursor(at time.Time, id int64) *string {
	s := base64.RawURLEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339Nano) + "|" + strconv.FormatInt(id, 10)))
	return &s
}

func decodeSeqCursor(s string) (time.Time, int64, error) {
	bad := errInvalidRequest("the cursor is not one this API gave", FieldError{Field: "query.cursor", Message: "malformed cursor"})
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, 0, bad
	}
	at, id, ok := strings.Cut(string(raw), "|")
	if !ok {
		return time.Time{}, 0, bad
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return time.Time{}, 0, bad
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, 0, bad
	}
	return t, n, nil
}
