package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/wneessen/go-mail"
)

// MailTemplate names the message an EmailArgs job sends.
type MailTemplate string

// The messages sign-in sends.
const (
	MailVerifyEmail    MailTemplate = "verify_email"
	MailResetPassword  MailTemplate = "reset_password"
	MailRegisterNotice MailTemplate = "register_notice" // someone tried to register with a taken email
)

// EmailArgs is a sign-in email to send. It is inserted in the transaction that writes the code,
// so a code exists exactly when its email is queued. Code is the plaintext code (the only place
// it exists outside the message): the job is cancelled rather than sent once ExpiresAt has passed,
// and the periodic auth_email_purge deletes finished auth_email jobs (docs/auth.md).
type EmailArgs struct {
	To        string       `json:"to"`
	Locale    string       `json:"locale"`
	Template  MailTemplate `json:"template"`
	Code      string       `json:"code,omitempty"`
	ExpiresAt time.Time    `json:"expires_at,omitzero"`
}

// Kind is the job's stable name.
func (EmailArgs) Kind() string { return "auth_email" }

// InsertOpts: a few tries, no more (a code is worth 15 minutes).
func (EmailArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 5} }

// MailConfig is how the worker sends mail.
type MailConfig struct {
	// SMTPURL is smtp://user:pass@host:port (STARTTLS, required unless the host is loopback) or
	// smtps://user:pass@host:port (TLS from the start). A secret: it holds the password.
	SMTPURL string
	// From is the sender address.
	From string
	// Timeout bounds one delivery; 0 is 30 s.
	Timeout time.Duration
}

// Mailer sends email over SMTP: sign-in's own messages (Send) and those other packages compose
// (Deliver: the notifications' mail).
type Mailer struct {
	opts []mail.Option
	host string
	from string
}

// ErrMailConfig is an SMTP URL or sender that cannot work. It never quotes the URL (which holds
// the password).
var ErrMailConfig = errors.New("auth: bad mail settings")

// NewMailer checks c and returns a Mailer.
func NewMailer(c MailConfig) (*Mailer, error) {
	u, err := url.Parse(c.SMTPURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, fmt.Errorf("%w: the SMTP URL must be smtp://[user:pass@]host:port or smtps://…", ErrMailConfig)
	}
	if err := mail.NewMsg().From(c.From); err != nil || !strings.Contains(c.From, "@") {
		return nil, fmt.Errorf("%w: the sender address %q is not an address", ErrMailConfig, c.From)
	}
	if c.Timeout == 0 {
		c.Timeout = 30 * time.Second
	}
	host := u.Hostname()
	opts := []mail.Option{mail.WithTimeout(c.Timeout)}
	port := 587
	switch {
	case u.Scheme == "smtps":
		port = 465
		opts = append(opts, mail.WithSSL())
	case isLoopback(host):
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("%w: bad port", ErrMailConfig)
		}
	}
	opts = append(opts, mail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(u.User.Username()), mail.WithPassword(pass))
	}
	return &Mailer{opts: opts, host: host, from: c.From}, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send renders a message and delivers it.
func (m *Mailer) Send(ctx context.Context, a EmailArgs) error {
	subject, body, err := render(a)
	if err != nil {
		return err
	}
	msg := mail.NewMsg()
	if err := msg.To(a.To); err != nil {
		return fmt.Errorf("auth: recipient: %w", err)
	}
	msg.Subject(subject)
	msg.SetBodyString(mail.TypeTextPlain, body)
	return m.Deliver(ctx, msg)
}

// Deliver sends msg, composed by another package (notify's mail), from the configured sender over
// the configured server; it sets the date and a message id.
func (m *Mailer) Deliver(ctx context.Context, msg *mail.Msg) error {
	if err := msg.From(m.from); err != nil {
		return fmt.Errorf("%w: sender: %v", ErrMailConfig, err)
	}
	msg.SetDate()
	msg.SetMessageID()
	c, err := mail.NewClient(m.host, m.opts...)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMailConfig, err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("auth: sending mail via %s: %w", m.host, err)
	}
	return nil
}

// EmailWorker sends auth_email jobs. Without a Mailer (no --smtp-url) each job fails and is
// retried, so that nothing is lost while mail is being configured.
type EmailWorker struct {
	river.WorkerDefaults[EmailArgs]
	Mailer *Mailer
	Log    *slog.Logger
	Now    func() time.Time // nil is time.Now
}

// Work sends one message; a code that expired while waiting is not sent.
func (w *EmailWorker) Work(ctx context.Context, j *river.Job[EmailArgs]) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	if j.Args.Code != "" && !j.Args.ExpiresAt.After(now()) {
		return river.JobCancel(errors.New("the code expired before it could be sent"))
	}
	if w.Mailer == nil {
		return errors.New("auth: no SMTP server configured (amn worker --smtp-url)")
	}
	if err := w.Mailer.Send(ctx, j.Args); err != nil {
		return err
	}
	if w.Log != nil {
		w.Log.Info("sent sign-in email", "template", j.Args.Template, "job", j.ID)
	}
	return nil
}

// PurgeMailArgs asks for finished auth_email jobs (which hold plaintext codes) to be deleted.
type PurgeMailArgs struct{}

// Kind is the job's stable name.
func (PurgeMailArgs) Kind() string { return "auth_email_purge" }

// PurgeMailWorker deletes completed, cancelled and discarded auth_email jobs through River.
type PurgeMailWorker struct {
	river.WorkerDefaults[PurgeMailArgs]
}

// Work deletes them, a batch at a time.
func (w *PurgeMailWorker) Work(ctx context.Context, _ *river.Job[PurgeMailArgs]) error {
	client, err := river.ClientFromContextSafely[pgx.Tx](ctx)
	if err != nil {
		return err
	}
	_, err = client.JobDeleteMany(ctx, river.NewJobDeleteManyParams().Kinds(EmailArgs{}.Kind()).
		States(rivertype.JobStateCompleted, rivertype.JobStateCancelled, rivertype.JobStateDiscarded).First(10_000))
	return err
}
