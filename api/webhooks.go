package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/amanat/amn/payment"
)

// WebhookReceiver takes Request Network deliveries (payment.Webhooks does).
type WebhookReceiver interface {
	Receive(ctx context.Context, deliveryID, signature string, body []byte) (payment.WebhookResult, error)
}

// requestNetworkWebhook reads at most payment.MaxWebhookBody bytes and hands the raw body to the
// receiver, which verifies it (signature, then the signed timestamp's window, then the delivery
// id) before anything else. Whatever it refuses changes nothing.
func requestNetworkWebhook(rcv WebhookReceiver, m *metrics, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, payment.MaxWebhookBody))
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			err = payment.ErrWebhookTooLarge
		case err != nil:
			// Cut off by the server's read timeout, or the client went away: their fault, not ours.
			err = fmt.Errorf("%w: the body could not be read: %v", payment.ErrWebhookMalformed, err)
		}
		var res payment.WebhookResult
		if err == nil {
			res, err = rcv.Receive(r.Context(), r.Header.Get(payment.HeaderWebhookDelivery), r.Header.Get(payment.HeaderWebhookSignature), body)
		}
		if err != nil {
			status, code, msg := classify(err)
			m.webhooks.WithLabelValues("rejected", code).Inc()
			if status >= 500 {
				log.Error("webhook failed", "request_id", middleware.GetReqID(r.Context()), "err", err)
			}
			errorWriter{m: m, log: log}.writeCode(w, r, status, code, msg)
			return
		}
		m.webhooks.WithLabelValues("accepted", res.Event.Event).Inc()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(`{"status":"accepted"}` + "\n"))
	}
}
