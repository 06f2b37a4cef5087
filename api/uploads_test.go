package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/blog"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/upload"
	"github.com/amanat/amn/upload/uploadtest"
)

// filesAPI is the router with uploads (default limits: 10 MB) and the blog, on a database of its
// own (the feed and lists count posts), and the evidence rule a dispute package would register:
// the parties listed in disputes may read its evidence.
type filesAPI struct {
	*testAPI
	uploads  *upload.Service
	pool     *pgxpool.Pool // amn_api's
	disputes map[string][]uuid.UUID
}

func newFilesAPI(t testing.TB) *filesAPI {
	t.Helper()
	return newFilesAPIWith(t, upload.DefaultConfig(), nil)
}

// newFilesAPIWith is newFilesAPI with the uploads' settings cfg, and the rate rules if not nil.
func newFilesAPIWith(t testing.TB, cfg upload.Config, rules []RateRule) *filesAPI {
	t.Helper()
	f := &filesAPI{disputes: map[string][]uuid.UUID{}}
	f.testAPI = buildTestAPIOn(t, dbtest.PoolLike(t, dbtest.Own(t), db.RoleAPI), func(pool *pgxpool.Pool, d *Deps) {
		if rules != nil {
			d.Edge.RateRules = rules
		}
		f.uploads = upload.New(pool, upload.Disk{Root: t.TempDir()}, cfg).
			WithRule(upload.KindEvidence, func(_ context.Context, who upload.Caller, id string) (bool, error) {
				for _, p := range f.disputes[id] {
					if p == who.UserID {
						return true, nil
					}
				}
				return false, nil
			})
		b, err := blog.New(pool, f.uploads, blog.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		d.Uploads, d.Blog, f.pool = f.uploads, b, pool
	})
	return f
}

func (f *filesAPI) someone(roles ...auth.Role) auth.Session {
	f.t.Helper()
	return f.user(uuid.NewString()+"@example.com", roles...)
}

// multipartBody is a form with one part "file" named filename, declared as ctype.
func multipartBody(t testing.TB, filename, ctype string, data []byte) (*bytes.Buffer, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("note", "ignored") //nolint:errcheck
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+filename+`"`)
	h.Set("Content-Type", ctype)
	w, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write(data)
	_ = mw.Close()
	return &b, mw.FormDataContentType()
}

func (f *filesAPI) upload(token, filename, ctype string, data []byte) *httptest.ResponseRecorder {
	f.t.Helper()
	body, form := multipartBody(f.t, filename, ctype, data)
	req := httptest.NewRequest("POST", "/v1/uploads", body)
	req.Header.Set("Content-Type", form)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

func (f *filesAPI) uploaded(token string, data []byte) openapi.Upload {
	f.t.Helper()
	rec := f.upload(token, "x.png", "image/png", data)
	var u openapi.Upload
	if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &u) != nil {
		f.t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	return u
}

func (f *filesAPI) get(path, token string, header ...string) *httptest.ResponseRecorder {
	f.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

// TestUploadOf11MBGets413: an 11 MB file gets 413 body_too_large, whether its length is declared
// (refused before reading) or streamed without one (refused as the limit is passed).
func TestUploadOf11MBGets413(t *testing.T) {
	f := newFilesAPI(t)
	s := f.someone(auth.RoleBuyer)
	big := append(uploadtest.PNG(t, uploadtest.Image(8, 8)), make([]byte, 11<<20)...)
	rec := f.upload(s.AccessToken, "big.png", "image/png", big)
	if b := errorOf(t, rec, http.StatusRequestEntityTooLarge); b.Error.Code != "body_too_large" {
		t.Fatalf("%+v", b)
	}
	body, form := multipartBody(t, "big.png", "image/png", big)
	req := httptest.NewRequest("POST", "/v1/uploads", io.MultiReader(body)) // no length
	req.ContentLength = -1
	req.Header.Set("Content-Type", form)
	req.Header.Set("Authorization", "Bearer "+s.AccessToken)
	rec = httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if b := errorOf(t, rec, http.StatusRequestEntityTooLarge); b.Error.Code != "body_too_large" {
		t.Fatalf("streamed: %+v", b)
	}
}

// TestUploadTypeIsTheContents: a PNG named .jpg and declared image/jpeg is stored and served as
// PNG; a PHP script named .jpg is 415; a decompression bomb is 400 image_too_large.
func TestUploadTypeIsTheContents(t *testing.T) {
	f := newFilesAPI(t)
	s := f.someone(auth.RoleBuyer)
	rec := f.upload(s.AccessToken, "photo.jpg", "image/jpeg", uploadtest.PNG(t, uploadtest.Image(50, 40)))
	var u openapi.Upload
	if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &u) != nil || u.ContentType != "image/png" || u.Width != 50 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	got := f.get(u.Url, s.AccessToken)
	if got.Code != http.StatusOK || got.Header().Get("Content-Type") != "image/png" || !bytes.HasPrefix(got.Body.Bytes(), []byte("\x89PNG")) {
		t.Fatalf("%d %q", got.Code, got.Header())
	}
	rec = f.upload(s.AccessToken, "shell.jpg", "image/jpeg", []byte("<?php system($_GET['c']); ?>"))
	if b := errorOf(t, rec, http.StatusUnsupportedMediaType); b.Error.Code != "unsupported_media_type" {
		t.Fatalf("%+v", b)
	}
	rec = f.upload(s.AccessToken, "bomb.png", "image/png", uploadtest.BombPNG(100_000, 100_000))
	if b := errorOf(t, rec, http.StatusBadRequest); b.Error.Code != "image_too_large" {
		t.Fatalf("%+v", b)
	}
	if rec := f.upload("", "x.png", "image/png", uploadtest.PNG(t, uploadtest.Image(4, 4))); rec.Code != http.StatusUnauthorized {
		t.Fatalf("anonymous upload: %d", rec.Code)
	}
	req := httptest.NewRequest("POST", "/v1/uploads", strings.NewReader(`{"file":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.AccessToken)
	rec = httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	errorOf(t, rec, http.StatusBadRequest)
}

// TestUploadServing: GPS EXIF is gone from what is served; headers are the stored type, nosniff,
// an immutable private cache and the SHA-256 ETag (304 on If-None-Match); variants are served.
func TestUploadServing(t *testing.T) {
	f := newFilesAPI(t)
	s := f.someone(auth.RoleSeller)
	in := uploadtest.WithGPS(uploadtest.JPEG(t, uploadtest.Image(900, 600)))
	rec := f.upload(s.AccessToken, "holiday.jpg", "image/jpeg", in)
	var u openapi.Upload
	if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &u) != nil || len(u.Variants) != 2 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	got := f.get(u.Url, s.AccessToken)
	h := got.Header()
	if got.Code != http.StatusOK || bytes.Contains(got.Body.Bytes(), []byte("Exif")) || h.Get("Content-Type") != "image/jpeg" ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "private, max-age=31536000, immutable" ||
		h.Get("ETag") != `"`+u.Sha256+`"` {
		t.Fatalf("%d %q", got.Code, h)
	}
	if nm := f.get(u.Url, s.AccessToken, "If-None-Match", `"`+u.Sha256+`"`); nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
		t.Fatalf("If-None-Match: %d", nm.Code)
	}
	thumb := f.get(u.Variants[0].Url, s.AccessToken)
	if thumb.Code != http.StatusOK || bytes.Contains(thumb.Body.Bytes(), []byte("Exif")) || thumb.Body.Len() != int(u.Variants[0].Size) {
		t.Fatalf("thumb: %d %d", thumb.Code, thumb.Body.Len())
	}
}

// TestUploadAccess: another user's private upload is 404 (as is one that does not exist), and so
// without a token; a bad token is 401; an admin reads it; an evidence file is refused to a third
// user and read by the dispute's parties; path tricks reach nothing.
func TestUploadAccess(t *testing.T) {
	f := newFilesAPI(t)
	owner, other, party, adm := f.someone(auth.RoleBuyer), f.someone(auth.RoleBuyer), f.someone(auth.RoleSeller), f.someone(auth.RoleAdmin)
	img := uploadtest.PNG(t, uploadtest.Image(10, 10))
	private, evidence := f.uploaded(owner.AccessToken, img), f.uploaded(owner.AccessToken, img)
	dispute := uuid.NewString()
	f.disputes[dispute] = []uuid.UUID{owner.User.ID, party.User.ID}
	if err := f.uploads.Attach(context.Background(), f.pool, upload.Caller{UserID: owner.User.ID}, evidence.Id, upload.KindEvidence, dispute); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, path, token string
		want              int
	}{
		{"owner", private.Url, owner.AccessToken, 200}, {"admin", private.Url, adm.AccessToken, 200},
		{"other user", private.Url, other.AccessToken, 404}, {"anonymous", private.Url, "", 404},
		{"bad token", private.Url, "not-a-token", 401}, {"unknown", "/v1/uploads/" + uuid.NewString(), owner.AccessToken, 404},
		{"evidence: party", evidence.Url, party.AccessToken, 200}, {"evidence: owner", evidence.Url, owner.AccessToken, 200},
		{"evidence: admin", evidence.Url, adm.AccessToken, 200}, {"evidence: third user", evidence.Url, other.AccessToken, 404},
		{"evidence: anonymous", evidence.Url, "", 404},
		{"traversal", "/v1/uploads/..%2F..%2Fetc%2Fpasswd", owner.AccessToken, 400},
		{"sha as id", "/v1/uploads/" + private.Sha256, owner.AccessToken, 400},
		{"variant traversal", private.Url + "?variant=..%2F..%2Fetc%2Fpasswd", owner.AccessToken, 400},
		{"unknown variant", private.Url + "?variant=huge", owner.AccessToken, 404},
	} {
		rec := f.get(c.path, c.token)
		if rec.Code != c.want {
			t.Errorf("%s: %d, want %d: %s", c.name, rec.Code, c.want, rec.Body)
		}
		if c.want != 200 && bytes.HasPrefix(rec.Body.Bytes(), []byte("\x89PNG")) {
			t.Errorf("%s: the bytes were served", c.name)
		}
	}
}
