package api

import (
	"context"
	"testing"
	"time"

	"github.com/amanat/amn/internal/mailbox"
)

// smtpServer is a real SMTP server on loopback (package mailbox) for the sign-in mail tests.
type smtpServer struct{ *mailbox.Server }

// sentMail is a message as the server received it.
type sentMail = mailbox.Mail

func newSMTPServer(t *testing.T) *smtpServer {
	t.Helper()
	s, err := mailbox.Start("mailer", "smtp-test-pass", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return &smtpServer{s}
}

// url is the --smtp-url of this server.
func (s *smtpServer) url() string { return s.URL() }

// waitFor returns the first message to rcpt that match accepts, waiting up to 20 s.
func (s *smtpServer) waitFor(t testing.TB, rcpt string, match func(sentMail) bool) sentMail {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	m, err := s.WaitFor(ctx, rcpt, match)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
