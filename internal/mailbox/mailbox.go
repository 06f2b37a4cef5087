// Package mailbox is a real SMTP server on loopback (emersion/go-smtp) that keeps every message it
// accepts: the mail catcher of tests and of `amn dev`, where sign-in codes are read from it.
//
// It owns nothing of the platform's; only tests and the local stack may import it, never a
// process that serves users.
package mailbox

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mail is a message as the server received it.
type Mail struct {
	From    string
	To      []string // envelope recipients
	Header  mail.Header
	Subject string
	Body    string // decoded text (of a multipart message: its text/plain part)
	HTML    string // a multipart message's text/html part, decoded ("" for none)
}

// Server requires AUTH PLAIN with its user and password and keeps what it accepts.
type Server struct {
	addr, user, pass string
	srv              *smtp.Server
	notify           func(Mail)

	mu      sync.Mutex
	msgs    []Mail
	arrived chan struct{}
}

// Start listens on a free loopback port. notify, if not nil, is called with each message as it
// arrives.
func Start(user, pass string, notify func(Mail)) (*Server, error) {
	s := &Server{user: user, pass: pass, notify: notify, arrived: make(chan struct{}, 100)}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{srv: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true // loopback; the client sends PLAIN only to loopback without TLS
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.addr = l.Addr().String()
	go func() { _ = s.srv.Serve(l) }()
	return s, nil
}

// URL is the --smtp-url that sends to this server.
func (s *Server) URL() string { return "smtp://" + s.user + ":" + s.pass + "@" + s.addr }

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// WaitFor returns the first message to rcpt that match accepts, waiting until ctx ends.
func (s *Server) WaitFor(ctx context.Context, rcpt string, match func(Mail) bool) (Mail, error) {
	for {
		s.mu.Lock()
		for _, m := range s.msgs {
			for _, to := range m.To {
				if strings.EqualFold(to, rcpt) && match(m) {
					s.mu.Unlock()
					return m, nil
				}
			}
		}
		s.mu.Unlock()
		select {
		case <-s.arrived:
		case <-ctx.Done():
			return Mail{}, fmt.Errorf("no mail to %s arrived: %w", rcpt, ctx.Err())
		}
	}
}

func (s *Server) keep(m Mail) {
	s.mu.Lock()
	s.msgs = append(s.msgs, m)
	s.mu.Unlock()
	select {
	case s.arrived <- struct{}{}:
	default:
	}
	if s.notify != nil {
		s.notify(m)
	}
}

type session struct {
	srv    *Server
	authed bool
	cur    Mail
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.srv.user || pass != s.srv.pass {
			return errors.New("bad credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	s.cur = Mail{From: from}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return err
	}
	s.cur.Header, s.cur.Subject = m.Header, subject
	if err := readParts(&s.cur, m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body); err != nil {
		return err
	}
	s.srv.keep(s.cur)
	return nil
}

// readParts decodes a body of contentType into m: a text/plain one into Body, a text/html one
// into HTML, a multipart one part by part.
func readParts(m *Mail, contentType, encoding string, body io.Reader) error {
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		media = "text/plain" // RFC 2045's default
	}
	if strings.HasPrefix(media, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextPart() // it decodes quoted-printable parts itself
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := readParts(m, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	switch {
	case media == "text/html":
		m.HTML = string(raw)
	case m.Body == "":
		m.Body = string(raw)
	}
	return nil
}

func (s *session) Reset()        { s.cur = Mail{} }
func (s *session) Logout() error { return nil }
