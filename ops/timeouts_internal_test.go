package ops

import (
	"log/slog"
	"net/http"
	"testing"
)

// Every server the binary runs goes through Listen: it must bound headers, body, answer and idle
// time alike.
func TestListenSetsEveryTimeout(t *testing.T) {
	s, err := Listen("127.0.0.1:0", http.NotFoundHandler(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.ln.Close()
	if s.srv.ReadHeaderTimeout <= 0 || s.srv.ReadTimeout <= 0 || s.srv.WriteTimeout <= 0 || s.srv.IdleTimeout <= 0 {
		t.Fatalf("timeouts: header %s, read %s, write %s, idle %s", s.srv.ReadHeaderTimeout, s.srv.ReadTimeout,
			s.srv.WriteTimeout, s.srv.IdleTimeout)
	}
}
