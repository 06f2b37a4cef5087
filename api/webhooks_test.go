package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/ops"
	"github.com/amanat/amn/payment"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestRequestNetworkWebhookEndpoint(t *testing.T) {
	secret := []byte("whsec-api-test")
	// The receiver works as the API's role, as `amn api` does.
	wh, err := payment.NewWebhooks(dbtest.PoolAs(t, db.RoleAPI), secret)
	if err != nil {
		t.Fatal(err)
	}
	reg := ops.NewRegistry()
	h := NewRouter(Deps{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Registry: reg, Webhooks: wh})
	sign := func(b string) string {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(b))
		return hex.EncodeToString(m.Sum(nil))
	}
	now := time.Now().UTC()
	signedAt := func(t time.Time) string {
		return `{"event":"payment.confirmed","requestId":"01847474747474","paymentReference":"a0098add01acc736","timestamp":"` +
			t.Format(time.RFC3339) + `"}`
	}
	body := signedAt(now)
	captured := signedAt(now.Add(-time.Hour)) // a delivery recorded an hour ago
	skewed := signedAt(now.Add(6 * time.Minute))
	post := func(delivery, sig, b string) (int, string) {
		req := httptest.NewRequest("POST", "/v1/webhooks/request-network", strings.NewReader(b))
		req.Header.Set(payment.HeaderWebhookDelivery, delivery)
		if sig != "" {
			req.Header.Set(payment.HeaderWebhookSignature, sig)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var e ErrorBody
		_ = json.Unmarshal(rec.Body.Bytes(), &e)
		return rec.Code, e.Error.Code
	}
	big := `{"event":"payment.confirmed","timestamp":"` + now.Format(time.RFC3339) + `","requestId":"` + strings.Repeat("r", payment.MaxWebhookBody) + `"}`
	for _, tc := range []struct {
		name, delivery, sig, body string
		status                    int
		code                      string
	}{
		{"valid", "d-1", sign(body), body, http.StatusAccepted, ""},
		{"replayed", "d-1", sign(body), body, http.StatusConflict, "delivery_replayed"},
		{"replayed under a new id", "d-5", sign(captured), captured, http.StatusBadRequest, "timestamp_outside_window"},
		{"clock skewed", "d-6", sign(skewed), skewed, http.StatusBadRequest, "timestamp_outside_window"},
		{"wrong signature", "d-2", sign("x"), body, http.StatusUnauthorized, "signature_invalid"},
		{"missing signature", "d-2", "", body, http.StatusUnauthorized, "signature_missing"},
		{"over the limit", "d-3", sign(big), big, http.StatusRequestEntityTooLarge, "body_too_large"},
		{"malformed", "d-4", sign(`{"event`), `{"event`, http.StatusBadRequest, "malformed"},
	} {
		status, code := post(tc.delivery, tc.sig, tc.body)
		if status != tc.status || code != tc.code {
			t.Errorf("%s: %d %q, want %d %q", tc.name, status, code, tc.status, tc.code)
		}
	}
	want := `
# HELP amn_webhook_deliveries_total Webhook deliveries by outcome (accepted, rejected) and event or error code.
# TYPE amn_webhook_deliveries_total counter
amn_webhook_deliveries_total{kind="body_too_large",outcome="rejected"} 1
amn_webhook_deliveries_total{kind="delivery_replayed",outcome="rejected"} 1
amn_webhook_deliveries_total{kind="malformed",outcome="rejected"} 1
amn_webhook_deliveries_total{kind="payment.confirmed",outcome="accepted"} 1
amn_webhook_deliveries_total{kind="signature_invalid",outcome="rejected"} 1
amn_webhook_deliveries_total{kind="signature_missing",outcome="rejected"} 1
amn_webhook_deliveries_total{kind="timestamp_outside_window",outcome="rejected"} 2
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "amn_webhook_deliveries_total"); err != nil {
		t.Error(err)
	}
}

// A body the server stopped reading (its read timeout cut a slow client off) is the client's
// fault: 400, and no error in the log.
func TestWebhookBodyCutOffIsNotAnInternalError(t *testing.T) {
	wh, err := payment.NewWebhooks(dbtest.PoolAs(t, db.RoleAPI), []byte("whsec-api-test"))
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	h := NewRouter(Deps{Log: slog.New(slog.NewJSONHandler(&logs, nil)), Registry: ops.NewRegistry(), Webhooks: wh})
	req := httptest.NewRequest("POST", "/v1/webhooks/request-network", iotest.ErrReader(os.ErrDeadlineExceeded))
	req.Header.Set(payment.HeaderWebhookDelivery, "d-cut")
	req.Header.Set(payment.HeaderWebhookSignature, "00")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Fatalf("cut-off body: %d %s\n%s", rec.Code, rec.Body, logs.String())
	}
}
