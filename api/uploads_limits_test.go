package api

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/upload"
	"github.com/amanat/amn/upload/uploadtest"
)

// Uploads are limited per account (429 with Retry-After); another account is not held back.
func TestUploadsAreLimitedPerAccount(t *testing.T) {
	high := redis_rate.Limit{Rate: 1_000_000, Burst: 1_000_000, Period: time.Minute}
	two := redis_rate.Limit{Rate: 2, Burst: 2, Period: time.Hour}
	f := newFilesAPIWith(t, upload.DefaultConfig(), RateRulesWith(high, high, high, MarketLimits{high, high, high, two}))
	s, other := f.someone(auth.RoleBuyer), f.someone(auth.RoleBuyer)
	png := uploadtest.PNG(t, uploadtest.Image(8, 8))
	f.uploaded(s.AccessToken, png)
	f.uploaded(s.AccessToken, png)
	rec := f.upload(s.AccessToken, "x.png", "image/png", png)
	wantCode(t, rec, http.StatusTooManyRequests, "rate_limited")
	if ra, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || ra < 1 {
		t.Fatalf("Retry-After %q", rec.Header().Get("Retry-After"))
	}
	f.uploaded(other.AccessToken, png)
	if rec := f.get("/v1/uploads/"+f.uploaded(other.AccessToken, png).Id.String(), other.AccessToken); rec.Code != 200 {
		t.Fatalf("reads are not limited by the upload rule: %d", rec.Code)
	}
}

// An upload past the account's quota is 409 upload_quota_exceeded, saying how much is used.
func TestUploadQuotaGets409(t *testing.T) {
	cfg := upload.DefaultConfig()
	cfg.QuotaBytes = 1
	f := newFilesAPIWith(t, cfg, nil)
	s := f.someone(auth.RoleBuyer)
	rec := f.upload(s.AccessToken, "x.png", "image/png", uploadtest.PNG(t, uploadtest.Image(8, 8)))
	if b := errorOf(t, rec, http.StatusConflict); b.Error.Code != "upload_quota_exceeded" || !strings.Contains(b.Error.Message, "of your 1 bytes") {
		t.Fatalf("%+v", b.Error)
	}
}

// With the one decode taken and no room to wait, an upload is 503 with Retry-After: two uploads
// of a large image at once, until one finds the other decoding.
func TestUploadBusyGets503WithRetryAfter(t *testing.T) {
	cfg := upload.DefaultConfig()
	cfg.Workers, cfg.Queue, cfg.QueueWait = 1, 0, 3*time.Second
	high := redis_rate.Limit{Rate: 1_000_000, Burst: 1_000_000, Period: time.Minute}
	f := newFilesAPIWith(t, cfg, RateRulesWith(high, high, high, MarketLimits{high, high, high, high}))
	a, b := f.someone(auth.RoleBuyer), f.someone(auth.RoleBuyer)
	big := uploadtest.PNG(t, uploadtest.Image(1200, 900)) // decoded, resized three times and encoded: a while

	var busy *httptest.ResponseRecorder
	for deadline := time.Now().Add(30 * time.Second); busy == nil && time.Now().Before(deadline); {
		recs := make([]*httptest.ResponseRecorder, 2)
		var wg sync.WaitGroup
		for i, s := range []auth.Session{a, b} {
			wg.Go(func() {
				body, form := multipartBody(t, "big.png", "image/png", big)
				req := httptest.NewRequest("POST", "/v1/uploads", body)
				req.Header.Set("Content-Type", form)
				req.Header.Set("Authorization", "Bearer "+s.AccessToken)
				recs[i] = httptest.NewRecorder()
				f.h.ServeHTTP(recs[i], req)
			})
		}
		wg.Wait()
		for _, rec := range recs {
			switch rec.Code {
			case http.StatusServiceUnavailable:
				busy = rec
			case http.StatusCreated:
			default:
				t.Fatalf("an upload: %d %s", rec.Code, rec.Body)
			}
		}
	}
	if busy == nil {
		t.Fatal("no upload was refused while another held the only decode")
	}
	wantCode(t, busy, http.StatusServiceUnavailable, "unavailable")
	if busy.Header().Get("Retry-After") != "3" {
		t.Fatalf("Retry-After %q; want 3 (the queue's wait)", busy.Header().Get("Retry-After"))
	}
}

// slowUpload starts an upload whose file's bytes come when the test writes them to the returned
// part; the response is in rec once done is closed.
func (f *filesAPI) slowUpload(token string) (part io.Writer, finish func(), rec *httptest.ResponseRecorder, done chan struct{}) {
	f.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req := httptest.NewRequest("POST", "/v1/uploads", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	rec, done = httptest.NewRecorder(), make(chan struct{})
	go func() { defer close(done); f.h.ServeHTTP(rec, req) }()
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="slow.png"`)
	part, err := mw.CreatePart(h)
	if err != nil {
		f.t.Fatal(err)
	}
	return part, func() { _ = mw.Close(); _ = pw.Close() }, rec, done
}

// A body trickling in holds its account's place only: with one decode and no queue, another
// account's uploads are taken meanwhile (not 503); the same account's next upload at once is 429
// with Retry-After; the slow upload is stored once its bytes come.
func TestSlowUploadHoldsOnlyItsAccountsPlace(t *testing.T) {
	cfg := upload.DefaultConfig()
	cfg.Workers, cfg.Queue, cfg.PerAccount = 1, 0, 1
	f := newFilesAPIWith(t, cfg, nil)
	alice, bob := f.someone(auth.RoleBuyer), f.someone(auth.RoleBuyer)
	png := uploadtest.PNG(t, uploadtest.Image(8, 8))

	part, finish, slow, done := f.slowUpload(alice.AccessToken)
	if _, err := part.Write(png[:10]); err != nil {
		t.Fatal(err)
	}
	// Poll with a deadline until the slow upload holds alice's place.
	var limited *httptest.ResponseRecorder
	for deadline := time.Now().Add(10 * time.Second); limited == nil && time.Now().Before(deadline); {
		switch rec := f.upload(alice.AccessToken, "x.png", "image/png", png); rec.Code {
		case http.StatusTooManyRequests:
			limited = rec
		case http.StatusCreated:
		default:
			t.Fatalf("while polling: %d %s", rec.Code, rec.Body)
		}
	}
	if limited == nil {
		t.Fatal("alice's second upload at once was never refused")
	}
	wantCode(t, limited, http.StatusTooManyRequests, "rate_limited")
	if ra, err := strconv.Atoi(limited.Header().Get("Retry-After")); err != nil || ra < 1 {
		t.Fatalf("Retry-After %q", limited.Header().Get("Retry-After"))
	}
	for range 3 {
		if rec := f.upload(bob.AccessToken, "x.png", "image/png", png); rec.Code != http.StatusCreated {
			t.Fatalf("bob's upload while alice's body trickles: %d %s", rec.Code, rec.Body)
		}
	}
	if _, err := part.Write(png[10:]); err != nil {
		t.Fatal(err)
	}
	finish()
	<-done
	if slow.Code != http.StatusCreated {
		t.Fatalf("the slow upload: %d %s", slow.Code, slow.Body)
	}
}

// Over a real connection, a body that stops coming is cut off at the upload's BodyTimeout (a read
// deadline on the connection, shorter than the server's): 400, and the account's place is free.
func TestTricklingUploadIsCutOff(t *testing.T) {
	cfg := upload.DefaultConfig()
	cfg.PerAccount, cfg.BodyTimeout = 1, 300*time.Millisecond
	f := newFilesAPIWith(t, cfg, nil)
	srv := httptest.NewServer(f.h)
	t.Cleanup(srv.Close)
	alice := f.someone(auth.RoleBuyer)
	png := uploadtest.PNG(t, uploadtest.Image(8, 8))

	pr, pw := io.Pipe()
	t.Cleanup(func() { _ = pw.Close() })
	mw := multipart.NewWriter(pw)
	req, err := http.NewRequest("POST", srv.URL+"/v1/uploads", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+alice.AccessToken)
	type result struct {
		code int
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		res, err := srv.Client().Do(req)
		if err != nil {
			got <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		got <- result{code: res.StatusCode, body: string(b)}
	}()
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="slow.png"`)
	part, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := part.Write(png[:10]); err != nil { // then nothing more
		t.Fatal(err)
	}
	select {
	case r := <-got:
		if r.err != nil || r.code != http.StatusBadRequest || !strings.Contains(r.body, "too slowly") {
			t.Fatalf("the trickling upload: %d %s %v; want 400, cut off", r.code, r.body, r.err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the trickling upload was not cut off")
	}
	if rec := f.upload(alice.AccessToken, "x.png", "image/png", png); rec.Code != http.StatusCreated {
		t.Fatalf("alice's next upload: %d %s", rec.Code, rec.Body)
	}
}
