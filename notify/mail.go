package notify

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"log/slog"
	"math/big"
	"strings"
	"text/template"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/wneessen/go-mail"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/payment"
)

// EmailArgs is a notification to mail, inserted in the transaction that wrote it (Notify). It
// carries the notification's facts, not the recipient's address: the worker reads the address,
// locale and preferences when it sends, so a changed address or an unsubscribe in between holds.
type EmailArgs struct {
	Notification uuid.UUID       `json:"notification"`
	User         uuid.UUID       `json:"user"`
	What         Kind            `json:"kind"`
	Data         json.RawMessage `json:"data"`
	CreatedAt    time.Time       `json:"created_at"`
}

// Kind is the job's stable name.
func (EmailArgs) Kind() string { return "notify_email" }

// Contacts says where and in which language to write to a user (auth.Contacts).
type Contacts interface {
	Contact(ctx context.Context, id uuid.UUID) (auth.Contact, error)
}

// Transport delivers a composed message from the platform's sender (auth.Mailer).
type Transport interface {
	Deliver(ctx context.Context, msg *mail.Msg) error
}

// EmailWorker sends notify_email jobs. Without a Transport (no --smtp-url), or without an
// unsubscribe key for a non-essential kind, each job fails and is retried, so nothing is lost
// while mail is being configured.
type EmailWorker struct {
	river.WorkerDefaults[EmailArgs]
	Notify    *Service
	Contacts  Contacts
	Transport Transport
	Log       *slog.Logger
}

// Work mails one notification to its user's verified address, in the user's language. A user
// without one, a banned one, or one who turned a non-essential kind off since, gets nothing (the
// job is cancelled, not retried).
func (w *EmailWorker) Work(ctx context.Context, j *river.Job[EmailArgs]) error {
	a := j.Args
	if !a.What.Emailed() {
		return river.JobCancel(fmt.Errorf("%q does not go by email", a.What))
	}
	if w.Transport == nil {
		return errors.New("notify: no SMTP server configured (amn worker --smtp-url)")
	}
	c, err := w.Contacts.Contact(ctx, a.User)
	if errors.Is(err, auth.ErrNotFound) {
		return river.JobCancel(errors.New("no such user"))
	}
	if err != nil {
		return err
	}
	if !c.Active || c.Email == "" {
		return river.JobCancel(errors.New("the user has no verified address, or may not be written to"))
	}
	unsub := ""
	if !a.What.Essential() {
		var want bool
		if err := w.Notify.pool.QueryRow(ctx, emailPref, a.User, string(a.What)).Scan(&want); err != nil {
			return err
		}
		if !want {
			return river.JobCancel(errors.New("the user turned this kind off"))
		}
		if unsub, err = w.Notify.UnsubscribeURL(a.User, a.What); err != nil {
			return fmt.Errorf("notify: %w (amn worker --notify-key)", err)
		}
	}
	m, err := w.Notify.Compose(c.Locale, a.What, a.Data, unsub)
	if err != nil {
		return river.JobCancel(err) // a template that cannot render never will
	}
	msg, err := m.Msg(c.Email)
	if err != nil {
		return river.JobCancel(err)
	}
	if err := w.Transport.Deliver(ctx, msg); err != nil {
		return err
	}
	if w.Log != nil {
		w.Log.Info("sent a notification email", "kind", a.What, "notification", a.Notification, "job", j.ID)
	}
	return nil
}

// Mail is a composed notification email: its subject and both parts, in one language.
type Mail struct {
	Lang, Subject, Text, HTML string
	// Unsubscribe is the one-click link (RFC 8058) of a non-essential kind; "" for an essential one.
	Unsubscribe string
}

// Msg is m as a go-mail message to rcpt: plain text with an HTML alternative and, for a
// non-essential kind, List-Unsubscribe and List-Unsubscribe-Post: List-Unsubscribe=One-Click.
func (m Mail) Msg(rcpt string) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.To(rcpt); err != nil {
		return nil, fmt.Errorf("notify: recipient: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetGenHeader(mail.HeaderContentLang, m.Lang)
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	if m.Unsubscribe != "" {
		// SetListUnsubscribeOneClick insists on https; a loopback API in dev and tests is http,
		// which the configuration allows for loopback only.
		msg.SetListUnsubscribe(m.Unsubscribe)
		msg.SetListUnsubscribePost()
	}
	return msg, nil
}

//go:embed templates
var templateFS embed.FS

// languages are the locales' languages with texts; others get English. rtl lists the
// right-to-left ones.
var (
	texts = map[string]*template.Template{}
	rtl   = map[string]bool{"fa": true}
	page  = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/mail.html"))
)

func init() {
	for _, lang := range []string{"en", "fa"} {
		texts[lang] = template.Must(template.New(lang).Option("missingkey=error").ParseFS(templateFS, "templates/"+lang+".tmpl"))
	}
}

// Languages lists the languages notification mail is written in.
func Languages() []string { return []string{"en", "fa"} }

// facts are what the templates may say: a notification's data, read back.
type facts struct {
	Request  string `json:"request"`
	Title    string `json:"title"`
	Amount   string `json:"amount"` // base units
	Decimals uint8  `json:"decimals"`
	Token    string `json:"token"`
	Role     string `json:"role"` // buyer or seller
	DaysLeft int    `json:"daysLeft"`
}

// view is what a text template executes on.
type view struct {
	facts
	Money string // "125 USDT"
	Link  string
}

// Compose renders kind's mail in locale's language (its part before '-'; English when there are
// no texts for it) from the notification's data; unsub is the one-click link ("" for none).
func (s *Service) Compose(locale string, k Kind, data json.RawMessage, unsub string) (Mail, error) {
	lang, _, _ := strings.Cut(locale, "-")
	t, ok := texts[lang]
	if !ok {
		lang, t = "en", texts["en"]
	}
	var f facts
	if err := json.Unmarshal(data, &f); err != nil {
		return Mail{}, fmt.Errorf("notify: data of %s: %w", k, err)
	}
	// One line: a title never breaks a subject or a header.
	f.Title = strings.Join(strings.Fields(f.Title), " ")
	v := view{facts: f}
	if n, ok := new(big.Int).SetString(f.Amount, 10); ok {
		v.Money = payment.FormatUnits(n, f.Decimals) + " " + f.Token
	}
	if f.Request != "" && s.cfg.AppURL != "" {
		v.Link = strings.TrimRight(s.cfg.AppURL, "/") + "/requests/" + f.Request
	}
	m := Mail{Lang: lang, Unsubscribe: unsub}
	var err error
	exec := func(name string) string {
		if err != nil {
			return ""
		}
		var b bytes.Buffer
		if err = t.ExecuteTemplate(&b, name, v); err != nil {
			err = fmt.Errorf("notify: template %s of %s: %w", name, lang, err)
		}
		return strings.TrimSpace(b.String())
	}
	m.Subject = strings.Join(strings.Fields(exec("subject "+string(k))), " ")
	body := exec("body " + string(k))
	button, footer := exec("button"), exec("footer essential")
	if unsub != "" {
		footer = exec("footer optional")
	}
	unsubText := exec("unsubscribe")
	if err != nil {
		return Mail{}, err
	}
	m.Text = body + "\n"
	if v.Link != "" {
		m.Text += "\n" + button + ": " + v.Link + "\n"
	}
	m.Text += "\n-- \n" + footer + "\n"
	if unsub != "" {
		m.Text += unsubText + ": " + unsub + "\n"
	}
	dir := "ltr"
	if rtl[lang] {
		dir = "rtl"
	}
	var h bytes.Buffer
	err = page.Execute(&h, map[string]any{"Lang": lang, "Dir": dir, "Subject": m.Subject,
		"Paragraphs": strings.Split(body, "\n\n"), "Button": button, "Link": v.Link, "Footer": footer,
		"UnsubscribeText": unsubText, "Unsubscribe": unsub})
	if err != nil {
		return Mail{}, fmt.Errorf("notify: the HTML page: %w", err)
	}
	m.HTML = h.String()
	return m, nil
}
