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
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/ops"
	"github.com/amanat/amn/payment"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestRequestNetworkWebhookEndpoint(t *testing.T) {
	secret := []byte("whsec-api-test")
	wh, err := payment.NewWebhooks(dbtest.Pool(t), secret)
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
	body := `{"event":"payment.confirmed","requestId":"01847474747474","paymentReference":"a0098add01acc736"}`
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
	big := `{"event":"payment.confirmed","requestId":"` + strings.Repeat("r", payment.MaxWebhookBody) + `"}`
	for _, tc := range []struct {
		name, delivery, sig, body string
		status                    int
		code                      string
	}{
		{"valid", "d-1", sign(body), body, http.StatusAccepted, ""},
		{"replayed", "d-1", sign(body), body, http.StatusConflict, "delivery_replayed"},
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
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "amn_webhook_deliveries_total"); err != nil {
		t.Error(err)
	}
}
