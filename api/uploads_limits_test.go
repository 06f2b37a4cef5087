package api

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strconv"
	"strings"
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

// With the one decode taken and no room to wait, an upload is 503 with Retry-After; the upload
// holding the decode then completes.
func TestUploadBusyGets503WithRetryAfter(t *testing.T) {
	cfg := upload.DefaultConfig()
	cfg.Workers, cfg.Queue, cfg.QueueWait = 1, 0, 3*time.Second
	f := newFilesAPIWith(t, cfg, nil)
	s := f.someone(auth.RoleBuyer)
	png := uploadtest.PNG(t, uploadtest.Image(8, 8))

	// A slow upload: its file's bytes come when the test says, so it holds its place meanwhile.
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req := httptest.NewRequest("POST", "/v1/uploads", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+s.AccessToken)
	slow := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { defer close(done); f.h.ServeHTTP(slow, req) }()
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="slow.png"`)
	part, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := part.Write(png[:10]); err != nil {
		t.Fatal(err)
	}

	// Poll with a deadline until the slow upload holds the only place.
	var busy *httptest.ResponseRecorder
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		rec := f.upload(s.AccessToken, "x.png", "image/png", png)
		if rec.Code == http.StatusServiceUnavailable {
			busy = rec
			break
		}
		if rec.Code != http.StatusCreated {
			t.Fatalf("while polling: %d %s", rec.Code, rec.Body)
		}
	}
	if busy == nil {
		t.Fatal("no upload was refused while the slow one held the only place")
	}
	wantCode(t, busy, http.StatusServiceUnavailable, "unavailable")
	if busy.Header().Get("Retry-After") != "3" {
		t.Fatalf("Retry-After %q; want 3 (the queue's wait)", busy.Header().Get("Retry-After"))
	}
	if _, err := part.Write(png[10:]); err != nil {
		t.Fatal(err)
	}
	_ = mw.Close()
	_ = pw.Close()
	<-done
	if slow.Code != http.StatusCreated {
		t.Fatalf("the slow upload: %d %s", slow.Code, slow.Body)
	}
}
