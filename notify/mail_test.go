package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/internal/mailbox"
	"github.com/amanat/amn/notify"
)

// deal is what a deal step's notification says: a title that tries HTML, 125 USDT.
func deal(role string) map[string]any {
	return map[string]any{"request": "0b7c6a8e-5b1f-4a59-9f38-2d1f0f6f4c11", "title": "Lens <b>50mm</b>\r\nBcc: x@y",
		"role": role, "amount": "125000000", "decimals": 6, "token": "USDT"}
}

func raw(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every kind that goes by email renders in every language, for either role: the subject and the
// text part in the language, the HTML part marked with its language and direction (rtl for
// Persian), the user's text escaped in HTML and kept on one line in the subject; a locale without
// texts gets English.
func TestComposeInTheRecipientsLanguage(t *testing.T) {
	w := newWorld(t)
	for _, k := range notify.EmailKinds() {
		for _, lang := range notify.Languages() {
			for _, role := range []string{"buyer", "seller"} {
				m, err := w.worker.Compose(lang, k, raw(t, deal(role)), "")
				if err != nil {
					t.Fatalf("%s %s %s: %v", k, lang, role, err)
				}
				for _, part := range []string{m.Subject, m.Text, m.HTML} {
					if strings.Contains(part, "<no value>") {
						t.Fatalf("%s %s: %q", k, lang, part)
					}
				}
				if strings.Contains(m.HTML, "<b>50mm") {
					t.Fatalf("%s %s: the user's text is HTML: %s", k, lang, m.HTML)
				}
				if strings.ContainsAny(m.Subject, "\r\n") || !strings.Contains(m.Subject, "Lens <b>50mm</b> Bcc: x@y") {
					t.Fatalf("%s %s subject: %q", k, lang, m.Subject)
				}
				dir := map[string]string{"en": `dir="ltr"`, "fa": `dir="rtl"`}[lang]
				if !strings.Contains(m.HTML, `lang="`+lang+`"`) || !strings.Contains(m.HTML, dir) || !strings.Contains(m.HTML, "&lt;b&gt;50mm&lt;/b&gt;") {
					t.Fatalf("%s %s html: %s", k, lang, m.HTML)
				}
				if !strings.Contains(m.Text, "https://app.amn.test/requests/0b7c6a8e-5b1f-4a59-9f38-2d1f0f6f4c11") {
					t.Fatalf("%s %s text has no link: %s", k, lang, m.Text)
				}
			}
		}
	}
	en, _ := w.worker.Compose("en-GB", notify.OfferAccepted, raw(t, deal("seller")), "https://api/x")
	fa, _ := w.worker.Compose("fa", notify.OfferAccepted, raw(t, deal("seller")), "https://api/x")
	pt, _ := w.worker.Compose("pt-BR", notify.OfferAccepted, raw(t, deal("seller")), "")
	if !strings.HasPrefix(en.Subject, "Your offer was accepted") || !strings.Contains(en.Text, "125 USDT") || !strings.Contains(en.Text, "https://api/x") {
		t.Fatalf("en: %+v", en)
	}
	if !strings.HasPrefix(fa.Subject, "پیشنهاد شما پذیرفته شد") || !strings.Contains(fa.Text, "خریدار پیشنهاد شما") || !strings.Contains(fa.HTML, `dir="rtl"`) {
		t.Fatalf("fa: %+v", fa)
	}
	if pt.Lang != "en" || !strings.HasPrefix(pt.Subject, "Your offer was accepted") {
		t.Fatalf("a locale without texts: %+v", pt)
	}
}

// mailer is the worker's side: a real SMTP server on loopback, auth's mailer, and the email
// worker as amn_worker (it reads recipients through auth.Contacts with the worker's grants).
type mailer struct {
	box    *mailbox.Server
	worker *notify.EmailWorker
}

func newMailer(t *testing.T, w *world) *mailer {
	t.Helper()
	box, err := mailbox.Start("mailer", "notify-test-pass", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = box.Close() })
	m, err := auth.NewMailer(auth.MailConfig{SMTPURL: box.URL(), From: "Amn <no-reply@amn.test>"})
	if err != nil {
		t.Fatal(err)
	}
	return &mailer{box: box, worker: &notify.EmailWorker{Notify: w.worker, Contacts: auth.NewContacts(w.workerPool), Transport: m}}
}

// work runs the notify_email job written for user's notification of kind k, as River would.
func (m *mailer) work(t *testing.T, w *world, user uuid.UUID, k notify.Kind) error {
	t.Helper()
	var args notify.EmailArgs
	var id int64
	if err := w.owner.QueryRow(context.Background(), `SELECT id, args FROM river_job WHERE kind = 'notify_email'
		AND args->>'user' = $1 AND args->>'kind' = $2 ORDER BY id DESC LIMIT 1`, user.String(), string(k)).Scan(&id, &args); err != nil {
		t.Fatal(err)
	}
	return m.worker.Work(context.Background(), &river.Job[notify.EmailArgs]{JobRow: &rivertype.JobRow{ID: id}, Args: args})
}

func (m *mailer) waitFor(t *testing.T, rcpt string, match func(mailbox.Mail) bool) mailbox.Mail {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	got, err := m.box.WaitFor(ctx, rcpt, match)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func cancelled(err error) bool {
	var c *rivertype.JobCancelError
	return errors.As(err, &c)
}

// Mail reaches the real SMTP server in the recipient's language: a non-essential kind with
// List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) whose link turns it off; an essential one
// without (it cannot be turned off). An unverified address gets nothing, and a kind turned off
// after its job was queued is not sent.
func TestEmailWorkerMailsInTheRecipientsLanguage(t *testing.T) {
	w := newWorld(t)
	m := newMailer(t, w)
	ctx := context.Background()
	seller, sellerEmail := w.user(t, "fa", true)
	buyer, buyerEmail := w.user(t, "en", true)
	unverified, _ := w.user(t, "en", false)

	notifyIn(t, w.api, w.apiPool, notify.Note{User: seller, Kind: notify.OfferAccepted, Data: deal("seller")}, false)
	if err := m.work(t, w, seller, notify.OfferAccepted); err != nil {
		t.Fatal(err)
	}
	fa := m.waitFor(t, sellerEmail, func(x mailbox.Mail) bool { return true })
	if !strings.HasPrefix(fa.Subject, "پیشنهاد شما پذیرفته شد") || !strings.Contains(fa.Body, "125 USDT") ||
		!strings.Contains(fa.HTML, `dir="rtl"`) || !strings.Contains(fa.HTML, `lang="fa"`) || fa.Header.Get("Content-Language") != "fa" {
		t.Fatalf("the Persian mail: subject %q\ntext %s\nhtml %s", fa.Subject, fa.Body, fa.HTML)
	}
	link := strings.Trim(fa.Header.Get("List-Unsubscribe"), "<>")
	if fa.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.HasPrefix(link, "http://127.0.0.1:8080/v1/notifications/unsubscribe?token=") {
		t.Fatalf("unsubscribe headers: %v", fa.Header)
	}

	notifyIn(t, w.worker, w.workerPool, notify.Note{User: buyer, Kind: notify.PaymentCredited, Data: deal("buyer")}, false)
	if err := m.work(t, w, buyer, notify.PaymentCredited); err != nil {
		t.Fatal(err)
	}
	en := m.waitFor(t, buyerEmail, func(x mailbox.Mail) bool { return true })
	if en.Subject != "Your payment is credited: Lens <b>50mm</b> Bcc: x@y" || !strings.Contains(en.HTML, `dir="ltr"`) ||
		en.Header.Get("List-Unsubscribe") != "" || en.Header.Get("Bcc") != "" || len(en.To) != 1 {
		t.Fatalf("the English essential mail: %q %v", en.Subject, en.Header)
	}

	notifyIn(t, w.worker, w.workerPool, notify.Note{User: unverified, Kind: notify.PaymentCredited, Data: deal("buyer")}, false)
	if err := m.work(t, w, unverified, notify.PaymentCredited); !cancelled(err) {
		t.Fatalf("an unverified address: %v", err)
	}
	banned, _ := w.user(t, "en", true)
	notifyIn(t, w.worker, w.workerPool, notify.Note{User: banned, Kind: notify.PaymentCredited, Data: deal("buyer")}, false)
	if _, err := w.owner.Exec(ctx, `UPDATE users SET status = 'banned' WHERE id = $1`, banned); err != nil {
		t.Fatal(err)
	}
	if err := m.work(t, w, banned, notify.PaymentCredited); !cancelled(err) {
		t.Fatalf("a banned account: %v", err)
	}

	// A deal.shipped mail is queued, then the seller follows the link of the earlier mail's kind
	// sibling: the token names deal.shipped (one kind per token), so only that stops.
	notifyIn(t, w.api, w.apiPool, notify.Note{User: seller, Kind: notify.DealShipped, Data: deal("buyer")}, false)
	tok, err := w.api.UnsubscribeToken(seller, notify.DealShipped)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.api.Unsubscribe(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if err := m.work(t, w, seller, notify.DealShipped); !cancelled(err) {
		t.Fatalf("a kind turned off after it was queued was sent: %v", err)
	}
	token := link[strings.Index(link, "token=")+len("token="):]
	if _, k, err := w.api.Unsubscribe(ctx, token); err != nil || k != notify.OfferAccepted {
		t.Fatalf("the mail's own link: %v %v", k, err)
	}
	notifyIn(t, w.api, w.apiPool, notify.Note{User: seller, Kind: notify.OfferAccepted, Data: deal("seller")}, false)
	notifyIn(t, w.worker, w.workerPool, notify.Note{User: seller, Kind: notify.PaymentCredited, Data: deal("seller")}, false)
	if w.jobs(t, seller, notify.OfferAccepted) != 1 {
		t.Fatal("an unsubscribed kind was queued again")
	}
	if err := m.work(t, w, seller, notify.PaymentCredited); err != nil {
		t.Fatal(err)
	}
	m.waitFor(t, sellerEmail, func(x mailbox.Mail) bool { return strings.HasPrefix(x.Subject, "پرداخت ثبت شد") })
}

// A rolled-back step mails nothing: its job never existed. The committed one beside it is mailed.
func TestRolledBackNotificationMailsNothing(t *testing.T) {
	w := newWorld(t)
	m := newMailer(t, w)
	u, email := w.user(t, "en", true)
	notifyIn(t, w.worker, w.workerPool, notify.Note{User: u, Kind: notify.DealReleased, Data: deal("seller")}, true)
	if n := w.jobs(t, u, notify.DealReleased); n != 0 {
		t.Fatalf("a rolled-back notification queued %d mails", n)
	}
	notifyIn(t, w.worker, w.workerPool, notify.Note{User: u, Kind: notify.PaymentCredited, Data: deal("seller")}, false)
	if err := m.work(t, w, u, notify.PaymentCredited); err != nil {
		t.Fatal(err)
	}
	got := m.waitFor(t, email, func(mailbox.Mail) bool { return true })
	if !strings.HasPrefix(got.Subject, "Payment credited") || w.jobs(t, u, notify.DealReleased) != 0 {
		t.Fatalf("mail: %q", got.Subject)
	}
}
