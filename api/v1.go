package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/go-chi/chi/v5"

	"github.com/amanat/amn/admin"
	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/blog"
	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/dispute"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/notify"
	"github.com/amanat/amn/points"
)

// v1 implements the generated StrictServerInterface: one method per operation of the contract
// (api/openapi/openapi.yaml), each translating its request into calls on domain packages and
// their results into the response the contract names. Errors are returned, not written: the strict
// handler's error function writes them through the one error table (errors.go).
type v1 struct {
	auth   *auth.Service
	admin  *admin.Service  // nil: the money routes of /v1/admin answer unavailable
	market *market.Service // nil: the marketplace's routes answer unavailable
	blog   *blog.Service   // nil: the blog's routes answer unavailable
	points *points.Service // nil: the points routes answer unavailable
	chat   *chat.Service   // nil: the chat routes answer unavailable
	// disputes runs the dispute cases; nil: their routes answer unavailable.
	disputes *dispute.Service
	notify   *notify.Service // nil: the notifications routes answer unavailable
	// signupURL is the frontend's sign-up page (/r/{code} redirects there); publicURL is this
	// API's public base, for referral links.
	signupURL, publicURL string
}

var _ openapi.StrictServerInterface = (*v1)(nil)

// mountV1 adds the contract's routes to r: each request is authenticated where the document asks
// for it and validated against the document before its handler runs.
func mountV1(r chi.Router, d Deps, m *metrics) {
	doc, err := openapi.Load()
	if err != nil {
		panic("api: the embedded OpenAPI document does not load: " + err.Error())
	}
	doc.Servers = nil // routes are matched on their paths alone
	errs := errorWriter{m: m, log: d.Log}
	validate := validateRequests(doc, openapi3filter.Options{
		MultiError:         true,
		AuthenticationFunc: authenticator(d.Auth),
	}, errs.validation)
	strict := openapi.NewStrictHandlerWithOptions(&v1{auth: d.Auth, admin: d.Admin, market: d.Market, blog: d.Blog,
		points: d.Points, chat: d.Chat, disputes: d.Disputes, notify: d.Notify, signupURL: d.SignupURL, publicURL: d.PublicURL}, nil, openapi.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			errs.write(w, r, errInvalidRequest(err.Error()))
		},
		ResponseErrorHandlerFunc: errs.write,
	})
	mountUploads(r, d.Uploads, d.Auth, errs)
	mountBlogXML(r, d.Blog, errs)
	r.Group(func(g chi.Router) {
		g.Use(withPrincipalSlot, withClient(d.Edge.TrustedProxies), auditAdmin(d.Admin, d.Auth, doc, errs), cacheBrowse(d.Edge.BrowseCache), validate, publicBlogCache)
		openapi.HandlerWithOptions(strict, openapi.ChiServerOptions{
			BaseRouter: g,
			ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
				errs.write(w, r, errInvalidRequest(err.Error()))
			},
		})
	})
}

// principalSlot carries the caller from the authentication step (inside the validator, which
// cannot change the request) to the handler.
type principalSlot struct {
	p      *auth.Principal // the caller, once its token and roles passed
	caller *auth.Principal // whose valid token came, roles checked or not (for the audit)
	token  string          // the token caller was authenticated from (once per request)
}

type slotKey struct{}

func withPrincipalSlot(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), slotKey{}, &principalSlot{})))
	})
}

// principal is the authenticated caller of an operation the document secures.
func principal(ctx context.Context) (auth.Principal, error) {
	if s, ok := ctx.Value(slotKey{}).(*principalSlot); ok && s.p != nil {
		return *s.p, nil
	}
	return auth.Principal{}, auth.ErrUnauthenticated
}

// authenticator checks the bearer token of operations that the document secures, and the roles
// an operation lists in its `x-roles` extension. Operations without security never look at the
// Authorization header (an expired token sent to /v1/auth/refresh does no harm).
func authenticator(svc *auth.Service) openapi3filter.AuthenticationFunc {
	return func(ctx context.Context, in *openapi3filter.AuthenticationInput) error {
		req := in.RequestValidationInput.Request
		token, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			return auth.ErrUnauthenticated
		}
		s, _ := ctx.Value(slotKey{}).(*principalSlot)
		var p auth.Principal
		if s != nil && s.caller != nil && s.token == token {
			p = *s.caller // the admin audit authenticated it already in this request
		} else {
			var err error
			if p, err = svc.Authenticate(ctx, token); err != nil {
				return err
			}
		}
		if s != nil {
			s.caller, s.token = &p, token
		}
		if need := requiredRoles(in.RequestValidationInput.Route.Operation); len(need) > 0 && !hasAnyRole(p, need) {
			return auth.ErrForbidden
		}
		if s != nil {
			s.p = &p
		}
		return nil
	}
}

func requiredRoles(op *openapi3.Operation) []string {
	raw, ok := op.Extensions["x-roles"].([]any)
	if !ok {
		return nil
	}
	var out []string
	for _, r := range raw {
		if s, ok := r.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func hasAnyRole(p auth.Principal, roles []string) bool {
	for _, r := range roles {
		if p.HasRole(auth.Role(r)) {
			return true
		}
	}
	return false
}

// validationFields turns the validator's errors into the error body's fields.
func validationFields(err error) []FieldError {
	if re, ok := err.(*openapi3filter.RequestError); ok {
		return requestErrorFields(re)
	}
	var out []FieldError
	if me, ok := err.(openapi3.MultiError); ok {
		for _, e := range me {
			out = append(out, validationFields(e)...)
		}
	}
	return out
}

// requestErrorFields names the parameter or the body's properties one RequestError is about.
func requestErrorFields(re *openapi3filter.RequestError) []FieldError {
	field := "body"
	if re.Parameter != nil {
		field = re.Parameter.In + "." + re.Parameter.Name
	}
	var schemaErrs []*openapi3.SchemaError
	if me, ok := re.Err.(openapi3.MultiError); ok {
		for _, e := range me {
			if se, ok := e.(*openapi3.SchemaError); ok {
				schemaErrs = append(schemaErrs, se)
			}
		}
	} else if se, ok := re.Err.(*openapi3.SchemaError); ok {
		schemaErrs = append(schemaErrs, se)
	}
	var out []FieldError
	for _, se := range schemaErrs {
		f := field
		if ptr := se.JSONPointer(); len(ptr) > 0 && re.Parameter == nil {
			f += "." + strings.Join(ptr, ".")
		}
		out = append(out, FieldError{Field: f, Message: se.Reason})
	}
	if len(out) > 0 {
		return out
	}
	msg := re.Reason
	if msg == "" && re.Err != nil {
		msg = re.Err.Error()
	}
	if msg == "" {
		msg = "does not match the API document"
	}
	return []FieldError{{Field: field, Message: msg}}
}
