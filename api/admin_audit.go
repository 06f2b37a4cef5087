package api

import (
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
)

// auditAdmin records every call that changes something under /v1/admin (any method but GET and
// HEAD) in the admin audit, whatever its outcome: refused for want of a token or a role, invalid,
// failed or done. It runs outside the validator so that refusals are recorded too; the record is
// written after the answer, and a failure to write it is logged, never shown to the caller.
func auditAdmin(svc *admin.Service, doc *openapi3.T, errs errorWriter) func(http.Handler) http.Handler {
	ops := operationIDs(doc)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if svc == nil || r.Method == http.MethodGet || r.Method == http.MethodHead || !strings.HasPrefix(r.URL.Path, "/v1/admin/") {
				next.ServeHTTP(w, r)
				return
			}
			ww := &codeRecorder{ResponseWriter: w}
			next.ServeHTTP(ww, r)
			e := auditEntry(r, ww, ops)
			// The caller may have gone; the record must still be written.
			ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 5*time.Second)
			defer cancel()
			if err := svc.Record(ctx, e); err != nil && errs.log != nil {
				errs.log.Error("admin audit not recorded", "request_id", e.RequestID, "operation", e.Operation, "err", err)
			}
		})
	}
}

func auditEntry(r *http.Request, ww *codeRecorder, ops map[string]string) admin.Entry {
	rctx := chi.RouteContext(r.Context())
	pattern := rctx.RoutePattern()
	op := ops[r.Method+" "+pattern]
	if op == "" {
		op = r.Method + " " + r.URL.Path
	}
	c := clientOf(r.Context())
	e := admin.Entry{Operation: op, Target: auditTarget(rctx), ClientIP: c.IP, UserAgent: c.UserAgent,
		Status: ww.status(), Outcome: ww.code, RequestID: middleware.GetReqID(r.Context())}
	if e.Outcome == "" {
		e.Outcome = "ok"
	}
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

// codeRecorder keeps the status and, for an error body, its code.
type codeRecorder struct {
	http.ResponseWriter
	code  string
	wrote int
}

func (c *codeRecorder) WriteHeader(status int) {
	if c.wrote == 0 {
		c.wrote = status
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *codeRecorder) Write(b []byte) (int, error) {
	if c.wrote == 0 {
		c.wrote = http.StatusOK
	}
	if c.wrote >= 400 && c.code == "" {
		c.code = errorCodeIn(b)
	}
	return c.ResponseWriter.Write(b)
}

func (c *codeRecorder) status() int {
	if c.wrote == 0 {
		return http.StatusOK
	}
	return c.wrote
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
