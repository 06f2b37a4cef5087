package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/notify"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
	"github.com/amanat/amn/realtime"
)

// notifyKey signs the tests' unsubscribe links (public test data).
var notifyKey = []byte("api-notify-test-key-0123456789abcdef")

// notifyAPI is the router with the marketplace telling the notifications, the hub on a real
// socket, and the worker's side: a River client as amn_worker that works notify_email jobs into a
// real SMTP server, and the worker's market that follows payments (and notifies) as jobs wires it.
type notifyAPI struct {
	*realtimeAPI
	smtp       *smtpServer
	workerPool *pgxpool.Pool
	workerNote *notify.Service
}

// newNotifyAPI builds it; chatLimits (nil: the test edge's) and reg (nil: the built-in chains) are
// the API's.
func newNotifyAPI(t *testing.T, chatLimits *ChatLimits, reg *chain.Registry) *notifyAPI {
	t.Helper()
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	c := market.DefaultConfig()
	c.FeeAddress = devnet.AnvilAccount(9).Address
	cfg := notify.Config{UnsubscribeKey: notifyKey, APIURL: "http://127.0.0.1:8080", AppURL: "https://app.amn.test"}
	var hub *realtime.Hub
	a := buildTestAPI(t, func(pool *pgxpool.Pool, deps *Deps) {
		notes, err := notify.New(pool, cfg)
		if err != nil {
			t.Fatal(err)
		}
		deps.Notify = notes
		if reg == nil {
			reg = chain.DefaultRegistry()
		}
		deps.Market = market.New(pool, payment.New(pool, d), reg, c).WithNotifier(notify.Deals{Notify: notes})
		deps.Chat = chat.New(pool, deps.Market, nil)
		verify, rights := RealtimeAccess(deps.Auth, deps.Market, deps.Chat)
		hub = realtime.New(pool, realtime.Config{}, verify, rights, slog.New(slog.DiscardHandler), deps.Registry)
		deps.Realtime = hub
		if chatLimits != nil {
			high := redis_rate.Limit{Rate: 1_000_000, Burst: 1_000_000, Period: 10_000_000 * time.Second}
			deps.Edge.RateRules = RateRulesFor(high, high, high, MarketLimits{high, high, high, high}, *chatLimits)
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { hub.Run(ctx); close(done) }()
	srv := httptest.NewServer(a.h)
	t.Cleanup(func() { cancel(); <-done; srv.Close() })
	<-hub.Ready()
	n := &notifyAPI{realtimeAPI: &realtimeAPI{marketAPI: &marketAPI{testAPI: a, owner: dbtest.Pool(t)}, ws: "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/ws"},
		smtp: newSMTPServer(t), workerPool: dbtest.PoolAs(t, db.RoleWorker)}
	if n.workerNote, err = notify.New(n.workerPool, cfg); err != nil {
		t.Fatal(err)
	}
	mailer, err := auth.NewMailer(auth.MailConfig{SMTPURL: n.smtp.url(), From: "Amn <no-reply@amn.test>"})
	if err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &notify.EmailWorker{Notify: n.workerNote, Contacts: auth.NewContacts(n.workerPool), Transport: mailer})
	rc, err := river.NewClient(riverpgxv5.New(n.workerPool), &river.Config{
		Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}}, Workers: workers,
		FetchPollInterval: 100 * time.Millisecond, ReindexerSchedule: river.NeverSchedule(),
	})
	if err != nil {
		t.Fatal(err)
	}
	rctx, rcancel := context.WithCancel(context.Background())
	if err := rc.Start(rctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		_ = rc.Stop(stop)
		rcancel()
	})
	return n
}

// person is a signed-in user with a verified address in locale.
func (a *notifyAPI) person(locale string, roles ...auth.Role) (auth.Session, string) {
	a.t.Helper()
	ctx := context.Background()
	email := uuid.NewString() + "@example.com"
	u, err := a.auth.CreateUser(ctx, auth.NewUser{Email: email, EmailVerified: true, Roles: roles, Locale: locale})
	if err != nil {
		a.t.Fatal(err)
	}
	s, err := a.auth.StartSession(ctx, u.ID, auth.MethodPassword, auth.Client{UserAgent: "test"})
	if err != nil {
		a.t.Fatal(err)
	}
	return s, email
}

// request posts the buyer's request under title.
func (a *notifyAPI) request(buyer auth.Session, title string) requestJSON {
	a.t.Helper()
	body := requestBodyJSON()
	body["title"] = title
	var r requestJSON
	a.call("POST", "/v1/marketplace/requests", body, buyer.AccessToken, 201, &r)
	return r
}

// paid has the deal's payment proven by the buyer's wallet and funded at finality, then the
// worker's market follow it (twice: nothing is told twice), notifying the parties.
func (a *notifyAPI) paid(acc acceptanceJSON) {
	a.t.Helper()
	ctx := context.Background()
	pid := ledger.ID(uuid.MustParse(acc.Payment.ID))
	p, err := payment.New(a.owner, nil).Get(ctx, pid)
	if err != nil {
		a.t.Fatal(err)
	}
	paymenttest.ProveBuyer(a.t, payment.New(a.owner, nil), p, paymenttest.Buyer())
	fund(a.t, a.marketAPI, acc.Payment.ID)
	pays := payment.New(a.workerPool, nil)
	m := market.New(a.workerPool, pays, chain.DefaultRegistry(), market.DefaultConfig()).
		WithWatcher(&chat.Steps{Payments: pays}).WithNotifier(notify.Deals{Notify: a.workerNote})
	for range 2 {
		if res, err := m.Follow(ctx, 100); err != nil || len(res.Refused) != 0 {
			a.t.Fatalf("follow: %+v, %v", res, err)
		}
	}
}

// mailJobs counts user's notify_email jobs of kind.
func (a *notifyAPI) mailJobs(user uuid.UUID, k notify.Kind) int {
	a.t.Helper()
	var n int
	if err := a.owner.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'notify_email'
		AND args->>'user' = $1 AND args->>'kind' = $2`, user.String(), string(k)).Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

type notificationJSON struct {
	ID, Kind string
	Data     map[string]any
	ReadAt   *time.Time
}

type notificationPageJSON struct {
	Items      []notificationJSON
	NextCursor *string
	Unread     int
}

// A deal's steps reach its parties: the seller (Persian) is told on its socket and by mail in
// Persian (rtl) that its offer was accepted, the losing seller in-app only, and both parties
// (English and Persian) by mail that the payment is credited. The one-click link of the
// non-essential mail stops that kind (a forged or tampered link does nothing), but the essential
// payment mail of the next deal still comes. Nobody reads or marks another's notifications.
func TestNotificationsOfADealBySocketAndMail(t *testing.T) {
	a := newNotifyAPI(t, nil, nil)
	buyer, buyerEmail := a.person("en", auth.RoleBuyer)
	seller, sellerEmail := a.person("fa", auth.RoleSeller)
	rival, _ := a.person("en", auth.RoleSeller)

	s := a.dial(seller.AccessToken)
	s.next()
	room := "user-" + seller.User.ID.String()
	if f := s.subscribe(room, new(int64)); f.Type != "subscribed" {
		t.Fatalf("the seller's own room: %+v", f)
	}
	rc := a.dial(rival.AccessToken)
	rc.next()
	if f := rc.subscribe(room, new(int64)); f.Type != "error" || f.Code != "forbidden" {
		t.Fatalf("another user's room: %+v", f)
	}

	r := a.request(buyer, "Vintage camera lens")
	o := a.offer(r.ID, seller, devnet.AnvilAccount(2), "150")
	a.offer(r.ID, rival, devnet.AnvilAccount(3), "160")
	acc := a.accept(buyer, r.ID, o.ID)

	f := s.next()
	if f.Type != "event" || f.Kind != "notification" || f.Data["kind"] != "offer.accepted" || f.Data["unread"] != float64(1) {
		t.Fatalf("the seller's socket: %+v", f)
	}
	data, _ := f.Data["data"].(map[string]any)
	if data["request"] != r.ID || data["title"] != "Vintage camera lens" || data["role"] != "seller" {
		t.Fatalf("the notification's data: %v", data)
	}
	accepted := a.smtp.waitFor(t, sellerEmail, func(m sentMail) bool { return strings.Contains(m.Subject, "Vintage camera lens") })
	if !strings.HasPrefix(accepted.Subject, "پیشنهاد شما پذیرفته شد") || !strings.Contains(accepted.Body, "«Vintage camera lens»") ||
		!strings.Contains(accepted.HTML, `dir="rtl"`) || !strings.Contains(accepted.HTML, `lang="fa"`) {
		t.Fatalf("the seller's mail is not in Persian: %q\n%s\n%s", accepted.Subject, accepted.Body, accepted.HTML)
	}
	if accepted.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatalf("no one-click unsubscribe: %v", accepted.Header)
	}

	var rivals notificationPageJSON
	a.call("GET", "/v1/notifications", nil, rival.AccessToken, 200, &rivals)
	if len(rivals.Items) != 1 || rivals.Items[0].Kind != "offer.rejected" || rivals.Unread != 1 || rivals.Items[0].Data["offer"] != nil {
		t.Fatalf("the losing seller's notifications: %+v", rivals)
	}
	if a.mailJobs(rival.User.ID, notify.OfferRejected) != 0 {
		t.Fatal("an in-app-only kind was mailed")
	}
	mine := f.Data["id"].(string)
	// Another user can neither mark nor see the seller's notification.
	for _, tok := range []string{rival.AccessToken, buyer.AccessToken} {
		a.call("POST", "/v1/notifications/"+mine+"/read", nil, tok, 404, nil)
	}
	a.call("POST", "/v1/notifications/"+mine+"/read", nil, "", 401, nil)
	var sellers notificationPageJSON
	a.call("GET", "/v1/notifications", nil, seller.AccessToken, 200, &sellers)
	if len(sellers.Items) != 1 || sellers.Items[0].ID != mine || sellers.Items[0].ReadAt != nil || sellers.Unread != 1 {
		t.Fatalf("the seller's list after others tried: %+v", sellers)
	}

	a.paid(acc)
	credited := a.smtp.waitFor(t, sellerEmail, func(m sentMail) bool { return strings.HasPrefix(m.Subject, "پرداخت ثبت شد") })
	if credited.Header.Get("List-Unsubscribe") != "" || !strings.Contains(credited.HTML, `dir="rtl"`) {
		t.Fatalf("the essential mail: %v", credited.Header)
	}
	en := a.smtp.waitFor(t, buyerEmail, func(m sentMail) bool {
		return strings.HasPrefix(m.Subject, "Your payment is credited: Vintage camera lens")
	})
	if !strings.Contains(en.HTML, `dir="ltr"`) || !strings.Contains(en.Body, "held in escrow") {
		t.Fatalf("the buyer's mail: %s", en.Body)
	}
	if f := s.next(); f.Kind != "notification" || f.Data["kind"] != "payment.credited" || f.Data["unread"] != float64(2) {
		t.Fatalf("the seller's socket after payment: %+v", f)
	}

	// The one-click link: the page a person opens changes nothing; forged and tampered links are
	// refused; the mail client's POST turns offer.accepted off.
	link := strings.Trim(accepted.Header.Get("List-Unsubscribe"), "<>")
	u, err := url.Parse(link)
	if err != nil || u.Path != "/v1/notifications/unsubscribe" {
		t.Fatalf("link %q: %v", link, err)
	}
	token := u.Query().Get("token")
	if rec := a.do("GET", u.RequestURI(), nil, ""); rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") ||
		!strings.Contains(rec.Body.String(), `method="post"`) {
		t.Fatalf("the page: %d %s", rec.Code, rec.Body)
	}
	other, _ := notify.New(a.owner, notify.Config{UnsubscribeKey: []byte("not-the-servers-key-not-the-servers-key")})
	forged, _ := other.UnsubscribeToken(seller.User.ID, notify.OfferAccepted)
	tampered := []byte(token)
	tampered[2] ^= 1
	for _, bad := range []string{forged, string(tampered), token + "x", "x." + strings.SplitN(token, ".", 2)[1]} {
		if rec := a.form("/v1/notifications/unsubscribe?token=" + url.QueryEscape(bad)); rec.Code != 400 {
			t.Fatalf("a bad token %q: %d %s", bad, rec.Code, rec.Body)
		}
	}
	a.call("POST", "/v1/notifications/unsubscribe", nil, "", 400, nil) // no token
	var prefs struct {
		Email []struct {
			Kind             string
			Email, Essential bool
		}
	}
	a.call("GET", "/v1/notifications/preferences", nil, seller.AccessToken, 200, &prefs)
	if !prefOn(prefs.Email, "offer.accepted") {
		t.Fatalf("something turned offer.accepted off before the real link: %+v", prefs)
	}
	if rec := a.form(u.RequestURI()); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"kind":"offer.accepted"`) {
		t.Fatalf("one-click unsubscribe: %d %s", rec.Code, rec.Body)
	}
	a.call("GET", "/v1/notifications/preferences", nil, seller.AccessToken, 200, &prefs)
	if prefOn(prefs.Email, "offer.accepted") || !prefOn(prefs.Email, "payment.credited") || !prefOn(prefs.Email, "deal.shipped") {
		t.Fatalf("after the link: %+v", prefs)
	}
	a.call("PUT", "/v1/notifications/preferences", map[string]any{"email": map[string]bool{"payment.credited": false}}, seller.AccessToken, 403, nil)

	// The next deal: the seller hears of the accept in-app but gets no mail for it; the essential
	// payment mail still comes.
	r2 := a.request(buyer, "Film scanner")
	o2 := a.offer(r2.ID, seller, devnet.AnvilAccount(2), "170")
	acc2 := a.accept(buyer, r2.ID, o2.ID)
	if f := s.next(); f.Data["kind"] != "offer.accepted" {
		t.Fatalf("the second accept in-app: %+v", f)
	}
	if n := a.mailJobs(seller.User.ID, notify.OfferAccepted); n != 1 {
		t.Fatalf("offer.accepted mails after unsubscribing: %d jobs", n)
	}
	a.paid(acc2)
	a.smtp.waitFor(t, sellerEmail, func(m sentMail) bool {
		return strings.HasPrefix(m.Subject, "پرداخت ثبت شد") && strings.HasSuffix(m.Subject, ": Film scanner")
	})

	var marked struct{ Marked, Unread int }
	a.call("POST", "/v1/notifications/read", nil, seller.AccessToken, 200, &marked)
	var unread struct{ Unread int }
	a.call("GET", "/v1/notifications/unread", nil, seller.AccessToken, 200, &unread)
	if marked.Marked != 4 || unread.Unread != 0 {
		t.Fatalf("mark all: %+v, unread %d", marked, unread.Unread)
	}
	a.call("GET", "/v1/notifications", nil, rival.AccessToken, 200, &rivals)
	if rivals.Unread != 1 {
		t.Fatalf("the seller's mark-all reached the rival: %+v", rivals)
	}
}

func prefOn(ps []struct {
	Kind             string
	Email, Essential bool
}, k string) bool {
	for _, p := range ps {
		if p.Kind == k {
			return p.Email
		}
	}
	return false
}

// form posts what a mail client's one-click unsubscribe posts (RFC 8058).
func (a *notifyAPI) form(path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	return rec
}

// A step that rolls back tells nobody: an accept whose checkout cannot be built (the chain has no
// fee proxy) fails after the seller's notification was written in its transaction; the seller's
// socket, list and mail queue never see it, and the next committed notification is the first.
func TestARolledBackStepTellsNobody(t *testing.T) {
	reg := chain.DefaultRegistry()
	if err := reg.Merge([]byte(`{"chains": [{"key": "bsc", "fee_proxies": []}]}`)); err != nil {
		t.Fatal(err)
	}
	a := newNotifyAPI(t, nil, reg)
	buyer, _ := a.person("en", auth.RoleBuyer)
	seller, _ := a.person("fa", auth.RoleSeller)
	s := a.dial(seller.AccessToken)
	s.next()
	if f := s.subscribe("user-"+seller.User.ID.String(), new(int64)); f.Type != "subscribed" {
		t.Fatalf("subscribe: %+v", f)
	}
	r := a.request(buyer, "Vintage camera lens")
	o := a.offer(r.ID, seller, devnet.AnvilAccount(2), "150")
	wantError(t, a.testAPI, "POST", "/v1/marketplace/requests/"+r.ID+"/offers/"+o.ID+"/accept", rev1, buyer.AccessToken, 503, "unavailable")
	var page notificationPageJSON
	a.call("GET", "/v1/notifications", nil, seller.AccessToken, 200, &page)
	if len(page.Items) != 0 || page.Unread != 0 || a.mailJobs(seller.User.ID, notify.OfferAccepted) != 0 {
		t.Fatalf("a rolled-back accept spoke: %+v", page)
	}
	err := db.InTx(context.Background(), a.workerPool, func(tx pgx.Tx) error {
		_, err := a.workerNote.Notify(context.Background(), tx, notify.Note{User: seller.User.ID, Kind: notify.DealDelivered})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if f := s.next(); f.Data["kind"] != "deal.delivered" || *f.Seq != 1 || f.Data["unread"] != float64(1) {
		t.Fatalf("the first event in the seller's room: %+v", f)
	}
}
