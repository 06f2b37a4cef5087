package api

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/upload"
)

// Uploads: POST /v1/uploads streams a multipart body into package upload (the size limit enforced
// as it is read); GET /v1/uploads/{id} serves the bytes to whoever may read them. Plain handlers:
// the contract's validator would read a whole multipart body into memory first.

var errNoUploads = kind.New(kind.Unavailable, "uploads are not configured on this server")

// multipartSlack is what a multipart body may carry beyond the file: boundaries, part headers.
const multipartSlack = 64 << 10

// uploadCache is an upload's Cache-Control lifetime: its bytes never change (a year).
const uploadCache = "max-age=31536000, immutable"

var variantForm = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,19}$`)

func mountUploads(r chi.Router, svc *upload.Service, authSvc *auth.Service, errs errorWriter) {
	r.Post("/v1/uploads", func(w http.ResponseWriter, r *http.Request) {
		u, err := receiveUpload(w, r, svc, authSvc)
		if err != nil {
			if errors.Is(err, upload.ErrBusy) || errors.Is(err, upload.ErrTooManyAtOnce) {
				w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(max(svc.RetryAfter().Seconds(), 1)))))
			}
			errs.write(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Location", "/v1/uploads/"+u.ID.String())
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(uploadBody(u))
	})
	r.Get("/v1/uploads/{uploadId}", func(w http.ResponseWriter, r *http.Request) {
		if err := serveUpload(w, r, svc, authSvc); err != nil {
			errs.write(w, r, err)
		}
	})
}

// receiveUpload authenticates the caller and stores the multipart body's part "file".
func receiveUpload(w http.ResponseWriter, r *http.Request, svc *upload.Service, authSvc *auth.Service) (*upload.Upload, error) {
	if svc == nil {
		return nil, errNoUploads
	}
	p, err := bearer(r, authSvc)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, auth.ErrUnauthenticated
	}
	limit := svc.MaxBytes() + multipartSlack
	if r.ContentLength > limit {
		return nil, errBodyTooLarge
	}
	// The body has BodyTimeout to arrive (the server's own read timeout is longer): a client
	// trickling it holds its memory, and its account's place, no longer.
	if err := http.NewResponseController(w).SetReadDeadline(time.Now().Add(svc.BodyTimeout())); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return nil, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errInvalidRequest("the body must be multipart/form-data", FieldError{Field: "body", Message: err.Error()})
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, tooLargeOr(err, errInvalidRequest("the body has no part named file", FieldError{Field: "body.file", Message: "missing"}))
		}
		if part.FormName() != "file" {
			continue // the next NextPart skips what is left of it
		}
		u, err := svc.Put(r.Context(), upload.Caller{UserID: p.UserID, Admin: p.HasRole(auth.RoleAdmin)}, part)
		return u, tooLargeOr(err, err)
	}
}

// errBodyTooSlow is an upload whose body did not arrive within the upload's BodyTimeout.
var errBodyTooSlow = kind.New(kind.Invalid, "the upload's body came too slowly")

// tooLargeOr is errBodyTooLarge when err is the body's limit, errBodyTooSlow when it is the read
// deadline, else other.
func tooLargeOr(err, other error) error {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return errBodyTooLarge
	case errors.Is(err, os.ErrDeadlineExceeded):
		return errBodyTooSlow
	}
	return other
}

// serveUpload writes an upload's copy for whoever may read it: immutable caching, an ETag of its
// SHA-256 (http.ServeContent answers If-None-Match with 304, and ranges), the stored type.
func serveUpload(w http.ResponseWriter, r *http.Request, svc *upload.Service, authSvc *auth.Service) error {
	if svc == nil {
		return errNoUploads
	}
	id, err := uuid.Parse(chi.URLParam(r, "uploadId"))
	if err != nil {
		return errInvalidRequest("the upload id is not a UUID", FieldError{Field: "path.uploadId", Message: "not a UUID"})
	}
	variant := r.URL.Query().Get("variant")
	if variant != "" && !variantForm.MatchString(variant) {
		return errInvalidRequest("no such variant", FieldError{Field: "query.variant", Message: "a lowercase name"})
	}
	p, err := bearer(r, authSvc)
	if err != nil {
		return err
	}
	var who upload.Caller
	if p != nil {
		who = upload.Caller{UserID: p.UserID, Admin: p.HasRole(auth.RoleAdmin)}
	}
	f, v, u, err := svc.Open(r.Context(), who, id, variant)
	if err != nil {
		return err
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", v.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox")
	h.Set("Content-Disposition", "inline")
	h.Set("ETag", `"`+v.SHA256+`"`)
	if u.Public() {
		h.Set("Cache-Control", "public, "+uploadCache)
	} else {
		h.Set("Cache-Control", "private, "+uploadCache)
		h.Set("Vary", "Authorization")
	}
	http.ServeContent(w, r, "", u.CreatedAt, f)
	return nil
}

// bearer authenticates the Authorization header of a plain handler: nil without one, an error
// for a bad one.
func bearer(r *http.Request, svc *auth.Service) (*auth.Principal, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, nil
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token == "" || svc == nil {
		return nil, auth.ErrUnauthenticated
	}
	p, err := svc.Authenticate(r.Context(), token)
	if err != nil {
		return nil, err
	}
	return &p, nil
}

func uploadBody(u *upload.Upload) openapi.Upload {
	base := "/v1/uploads/" + u.ID.String()
	out := openapi.Upload{Id: u.ID, ContentType: openapi.UploadContentType(u.ContentType), Size: u.Size, Width: u.Width, Height: u.Height,
		Sha256: u.SHA256, Url: base, Public: u.Public(), CreatedAt: u.CreatedAt, Variants: make([]openapi.UploadVariant, len(u.Variants))}
	for i, v := range u.Variants {
		out.Variants[i] = openapi.UploadVariant{Name: v.Name, Width: v.Width, Height: v.Height, Size: v.Size, Url: base + "?variant=" + v.Name}
	}
	return out
}
