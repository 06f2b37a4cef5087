package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/admin"
	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
	"github.com/amanat/amn/signer"
)

var (
	testUSDT   = common.HexToAddress("0x55d398326f99059fF775485246999027B3197955")
	testEscrow = common.HexToAddress("0x00000000000000000000000000000000000e5c40")
)

// adminAPI is the router with the admin service, on one database: payments are made with the
// owner's pool (as the indexer and worker would move them), the API works as amn_api.
type adminAPI struct {
	*testAPI
	owner    *pgxpool.Pool
	api      *pgxpool.Pool
	payments *payment.Service
}

func newAdminAPI(t *testing.T) *adminAPI {
	t.Helper()
	owner := dbtest.Pool(t)
	apiPool := dbtest.PoolLike(t, owner, db.RoleAPI)
	reg := chain.DefaultRegistry()
	err := reg.Merge([]byte(fmt.Sprintf(`{"chains":[{"key":"bsc","escrow":%q,"explorer":"https://bscscan.example/"}]}`, testEscrow.Hex())))
	if err != nil {
		t.Fatal(err)
	}
	adm := admin.New(apiPool, admin.Config{Registry: reg, SweepByJob: true, RPCURL: "http://127.0.0.1:1", Xpub: anvilXpub, SignerTxs: signer.TxRecord{},
		ParseXpub: func(s string) error { _, err := hd.ParseXpub(s); return err }})
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	return &adminAPI{testAPI: newTestAPIOn(t, apiPool, adm), owner: owner, api: apiPool, payments: payment.New(owner, d)}
}

// inEscrow makes a payment the buyer proved, paid and the signer swept into escrow.
func (a *adminAPI) inEscrow(t *testing.T) *payment.Payment {
	t.Helper()
	p := a.funded(t)
	ctx := context.Background()
	if _, err := a.payments.StartSweep(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	p, err := a.payments.Swept(ctx, p.ID, paymenttest.OwnSweep(p))
	if err != nil || p.State != payment.InEscrow {
		t.Fatalf("swept: %v %v", err, p)
	}
	return p
}

func (a *adminAPI) funded(t *testing.T) *payment.Payment {
	t.Helper()
	ctx := context.Background()
	n := time.Now().UnixNano()
	p, err := a.payments.Create(ctx, paymenttest.Offer(payment.NewPayment{BuyerRef: "b", OfferRef: fmt.Sprint("o", n),
		ChainID: 56, ChainKey: "bsc", Token: testUSDT, TokenSymbol: "USDT", Decimals: 18,
		Amount: big.NewInt(1000), Fee: big.NewInt(0), FeeAddress: common.HexToAddress("0xfe"), Commission: big.NewInt(10),
		RequestID: fmt.Sprint("r", n), Salt: "s", TTL: time.Hour}, paymenttest.Seller()))
	if err != nil {
		t.Fatal(err)
	}
	p = paymenttest.ProveBuyer(t, a.payments, p, paymenttest.Buyer())
	o := payment.Observation{ChainID: 56, BlockHash: common.BytesToHash(p.ID[:]), BlockNumber: 1, TxHash: common.BytesToHash(p.ID[:]),
		Token: testUSDT, Amount: big.NewInt(1000)}
	if _, err := a.payments.Detect(ctx, p.ID, o); err != nil {
		t.Fatal(err)
	}
	if p, err = a.payments.Confirm(ctx, p.ID, o.TransferID()); err != nil {
		t.Fatal(err)
	}
	return p
}

func decodeAs[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return v
}

// adminRoutes are every money route of /v1/admin with a body that would pass validation.
func adminRoutes(pid string) []struct{ method, path, body string } {
	return []struct{ method, path, body string }{
		{"GET", "/v1/admin/payments", ""},
		{"GET", "/v1/admin/payments/" + pid, ""},
		{"POST", "/v1/admin/payments/" + pid + "/release", `{}`},
		{"POST", "/v1/admin/payments/" + pid + "/refund", `{"reason":"x"}`},
		{"POST", "/v1/admin/sweeps", `{"dryRun":true}`},
		{"POST", "/v1/admin/topups", `{"chainId":56,"recipient":"0x9858EfFD232B4033E47d90003D41EC34EcaEda94","amount":"1"}`},
		{"GET", "/v1/admin/intents", ""},
		{"GET", "/v1/admin/intents/" + pid, ""},
		{"GET", "/v1/admin/destinations", ""},
		{"GET", "/v1/admin/health", ""},
		{"GET", "/v1/admin/audit", ""},
	}
}

// TestAdminRoutesRefuseBuyersSellersAndAnonymous: on every admin route a buyer and a seller get
// 403 forbidden and an anonymous caller 401, with no payment data in the answer, and nothing moves;
// each refused change is audited with who tried it.
func TestAdminRoutesRefuseBuyersSellersAndAnonymous(t *testing.T) {
	a := newAdminAPI(t)
	p := a.inEscrow(t)
	pid := p.ID.String()
	buyer := a.user("buyer-refused@example.com", auth.RoleBuyer)
	seller := a.user("seller-refused@example.com", auth.RoleSeller, auth.RoleBuyer)
	changes := 0
	start := time.Now().Add(-time.Second) // the package's database is shared by its tests, which run one at a time
	for _, r := range adminRoutes(pid) {
		for _, c := range []struct {
			who, token, code string
			status           int
		}{{"buyer", buyer.AccessToken, "forbidden", 403}, {"seller", seller.AccessToken, "forbidden", 403}, {"anonymous", "", "unauthenticated", 401}} {
			var body any
			if r.body != "" {
				body = r.body
			}
			rec := a.do(r.method, r.path, body, c.token)
			b := errorOf(t, rec, c.status)
			if b.Error.Code != c.code {
				t.Errorf("%s %s as %s: %q", r.method, r.path, c.who, b.Error.Code)
			}
			for _, leak := range []string{pid, p.Deposit.Hex(), strings.ToLower(p.Deposit.Hex()), "1000"} {
				if strings.Contains(rec.Body.String(), leak) {
					t.Errorf("%s %s as %s leaks %s: %s", r.method, r.path, c.who, leak, rec.Body.String())
				}
			}
		}
		if r.method != "GET" {
			changes++
		}
	}
	if got, _ := a.payments.Get(context.Background(), p.ID); got.State != payment.InEscrow {
		t.Fatalf("a refused caller moved the payment to %s", got.State)
	}
	all, err := admin.New(a.api, admin.Config{}).Audit(context.Background(), admin.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var entries []admin.Entry
	for _, e := range all {
		if e.At.After(start) {
			entries = append(entries, e)
		}
	}
	if len(entries) != 3*changes {
		t.Fatalf("%d audit entries for %d refused changes", len(entries), 3*changes)
	}
	byUser := map[string]int{}
	for _, e := range entries {
		byUser[e.UserID.String()+" "+e.Outcome]++
		if e.Status != 401 && e.Status != 403 || e.Operation == "" || !strings.HasPrefix(e.Operation, "admin") {
			t.Errorf("entry %+v", e)
		}
	}
	if byUser[buyer.User.ID.String()+" forbidden"] != changes || byUser["00000000-0000-0000-0000-000000000000 unauthenticated"] != changes {
		t.Fatalf("audit by user: %v", byUser)
	}
}

// TestAdminReleaseAndRefundOverTheAPI: an admin asks for a release (the intent with its digest,
// the payment release_pending), asking again returns the same intent; a refund without a reason
// is refused and audited as refused; the intent shows in the list and by id, the payment with
// its books, timeline, intent and explorer links.
func TestAdminReleaseAndRefundOverTheAPI(t *testing.T) {
	a := newAdminAPI(t)
	adm := a.user("admin-release@example.com", auth.RoleAdmin)
	p := a.inEscrow(t)
	path := "/v1/admin/payments/" + p.ID.String()

	rec := a.do("POST", path+"/release", map[string]any{"reason": "delivered", "ttlSeconds": 3600}, adm.AccessToken)
	if rec.Code != 200 {
		t.Fatalf("release: %d %s\n%s", rec.Code, rec.Body.String(), a.logs.String())
	}
	got := decodeAs[openapi.AdminIntentRecorded](t, rec.Body.Bytes())
	in := got.Intent
	if !got.Created || in.Kind != "release" || in.State != "awaiting_approvals" || in.Digest == nil || len(*in.Digest) != 66 ||
		*in.SellerAmount != "990" || *in.FeeAmount != "10" || in.Contract != testEscrow.Hex() || in.RequestedBy != "admin:"+adm.User.ID.String() ||
		in.Quorum == nil || in.Quorum.Threshold != nil || in.QuorumUnknown == nil {
		t.Fatalf("release intent %s", rec.Body.String())
	}
	if q, _ := a.payments.Get(context.Background(), p.ID); q.State != payment.ReleasePending {
		t.Fatalf("payment %s", q.State)
	}
	again := decodeAs[openapi.AdminIntentRecorded](t, a.do("POST", path+"/release", map[string]any{}, adm.AccessToken).Body.Bytes())
	if again.Created || again.Intent.Id != in.Id {
		t.Fatalf("asked again: %+v", again)
	}

	other := a.inEscrow(t)
	b := errorOf(t, a.do("POST", "/v1/admin/payments/"+other.ID.String()+"/refund", map[string]any{}, adm.AccessToken), 400)
	if b.Error.Code != "invalid" {
		t.Fatalf("refund without reason: %+v", b)
	}
	b = errorOf(t, a.do("POST", "/v1/admin/payments/"+p.ID.String()+"/refund", map[string]any{"reason": "late"}, adm.AccessToken), 403)
	if b.Error.Code != "refused" {
		t.Fatalf("refund of a payment being released: %+v", b)
	}

	one := decodeAs[openapi.AdminIntent](t, a.do("GET", "/v1/admin/intents/"+in.Id.String(), nil, adm.AccessToken).Body.Bytes())
	if one.Id != in.Id || *one.Digest != *in.Digest {
		t.Fatalf("intent by id %+v", one)
	}
	list := decodeAs[openapi.AdminIntentPage](t, a.do("GET", "/v1/admin/intents?kind=release&paymentId="+p.ID.String(), nil, adm.AccessToken).Body.Bytes())
	if len(list.Items) != 1 || list.Items[0].Id != in.Id || list.NextCursor != nil {
		t.Fatalf("intents %+v", list)
	}
	if rec := a.do("GET", "/v1/admin/intents/"+p.ID.String(), nil, adm.AccessToken); rec.Code != 404 {
		t.Fatalf("unknown intent: %d", rec.Code)
	}

	detail := decodeAs[openapi.AdminPaymentDetail](t, a.do("GET", path, nil, adm.AccessToken).Body.Bytes())
	if detail.Payment.State != "release_pending" || detail.Payment.Received != "1000" || len(detail.Intents) != 1 ||
		len(detail.Timeline) < 4 || detail.Timeline[len(detail.Timeline)-1].To != "release_pending" ||
		len(detail.Links) == 0 || detail.Links[0].Url != "https://bscscan.example/address/"+p.Deposit.Hex() {
		t.Fatalf("payment detail %+v", detail)
	}

	audit := decodeAs[openapi.AdminAuditPage](t, a.do("GET", "/v1/admin/audit", nil, adm.AccessToken).Body.Bytes())
	outcomes := map[string]int{}
	for _, e := range audit.Items {
		if e.UserId == nil || *e.UserId != adm.User.ID {
			continue // other tests' callers: the package's database is shared
		}
		if e.ClientIp != "192.0.2.1" || e.RequestId == "" || !strings.HasPrefix(e.Target, "paymentId=") {
			t.Errorf("entry %+v", e)
		}
		outcomes[e.Operation+" "+e.Outcome]++
	}
	if outcomes["adminReleasePayment ok"] != 2 || outcomes["adminRefundPayment invalid"] != 1 || outcomes["adminRefundPayment refused"] != 1 {
		t.Fatalf("audit %v", outcomes)
	}
}

// TestAdminPaymentsPageByCursor: newest first, each payment once across pages, filters applied.
func TestAdminPaymentsPageByCursor(t *testing.T) {
	a := newAdminAPI(t)
	adm := a.user("admin-pages@example.com", auth.RoleAdmin)
	want := map[string]bool{}
	for range 3 {
		want[a.funded(t).ID.String()] = true
	}
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		url := "/v1/admin/payments?limit=2&state=funded&chainId=56"
		if cursor != "" {
			url += "&cursor=" + cursor
		}
		page := decodeAs[openapi.AdminPaymentPage](t, a.do("GET", url, nil, adm.AccessToken).Body.Bytes())
		for _, p := range page.Items {
			if seen[p.Id.String()] || p.State != "funded" || p.ChainId != 56 {
				t.Fatalf("payment %s twice or outside the filter (%s, chain %d)", p.Id, p.State, p.ChainId)
			}
			seen[p.Id.String()] = true
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
		if pages > 100 {
			t.Fatal("no last page")
		}
	}
	for id := range want {
		if !seen[id] {
			t.Fatalf("payment %s on no page", id)
		}
	}
	if page := decodeAs[openapi.AdminPaymentPage](t, a.do("GET", "/v1/admin/payments?state=released", nil, adm.AccessToken).Body.Bytes()); len(page.Items) != 0 {
		t.Fatalf("state filter: %+v", page)
	}
	if b := errorOf(t, a.do("GET", "/v1/admin/payments?cursor=bm90LWEtY3Vyc29y", nil, adm.AccessToken), 400); b.Error.Code != "invalid_request" {
		t.Fatalf("forged cursor: %+v", b)
	}
}

// TestAdminSweepTopupDestinationsHealth: the sweep records an intent for the funded deposit (a
// dry run records none), a top-up records a gas_topup, destinations show the sweep status and the
// health check parses the xpub.
func TestAdminSweepTopupDestinationsHealth(t *testing.T) {
	a := newAdminAPI(t)
	adm := a.user("admin-sweep@example.com", auth.RoleAdmin)
	p := a.funded(t)
	dry := decodeAs[openapi.AdminSweep200JSONResponse](t, a.do("POST", "/v1/admin/sweeps", map[string]any{"dryRun": true}, adm.AccessToken).Body.Bytes())
	if l := sweepOf(dry.Items, p.ID.String()); l == nil || l.Intent != nil {
		t.Fatalf("dry run %+v", dry)
	}
	url := fmt.Sprintf("/v1/admin/destinations?chainId=56&fromIndex=%d&limit=1", p.DepositIndex)
	dests := decodeAs[openapi.AdminListDestinations200JSONResponse](t, a.do("GET", url, nil, adm.AccessToken).Body.Bytes())
	if len(dests.Items) != 1 || dests.Items[0].Sweep != "due" || dests.Items[0].Address != p.Deposit.Hex() {
		t.Fatalf("destinations %+v", dests)
	}
	done := decodeAs[openapi.AdminSweep200JSONResponse](t, a.do("POST", "/v1/admin/sweeps", map[string]any{"chainId": 56}, adm.AccessToken).Body.Bytes())
	if l := sweepOf(done.Items, p.ID.String()); l == nil || l.Intent == nil || *l.Intent != admin.Queued || l.Error != nil {
		t.Fatalf("sweep %+v", l)
	}
	var jobs int
	if err := a.owner.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'payment_sweep' AND args->>'payment_id' = $1`,
		p.ID.String()).Scan(&jobs); err != nil || jobs != 1 {
		t.Fatalf("sweep jobs of the payment: %d %v", jobs, err)
	}
	rec := a.do("POST", "/v1/admin/topups", map[string]any{"chainId": 56, "recipient": "0x9858EfFD232B4033E47d90003D41EC34EcaEda94", "amount": "50000000000000000"}, adm.AccessToken)
	top := decodeAs[openapi.AdminIntentRecorded](t, rec.Body.Bytes())
	if rec.Code != 200 || top.Intent.Kind != "gas_topup" || *top.Intent.Amount != "50000000000000000" || top.Intent.Digest != nil {
		t.Fatalf("topup %d %s", rec.Code, rec.Body.String())
	}
	for _, bad := range []map[string]any{
		{"chainId": 56, "recipient": "0x9858EfFD232B4033E47d90003D41EC34EcaEda94", "amount": "-1"},
		{"chainId": 56, "recipient": "0x9858EfFD232B4033E47d90003D41EC34EcaEda94", "amount": "0"},
		{"chainId": 56, "recipient": "0x0000000000000000000000000000000000000000", "amount": "1"},
		{"chainId": 999, "recipient": "0x9858EfFD232B4033E47d90003D41EC34EcaEda94", "amount": "1"},
		{"chainId": 56, "recipient": "0x9858", "amount": "1"},
	} {
		if rec := a.do("POST", "/v1/admin/topups", bad, adm.AccessToken); rec.Code != 400 {
			t.Errorf("topup %v: %d %s", bad, rec.Code, rec.Body.String())
		}
	}
	h := decodeAs[openapi.AdminHealth200JSONResponse](t, a.do("GET", "/v1/admin/health", nil, adm.AccessToken).Body.Bytes())
	if !h.XpubValid || h.SignerHealthy || len(h.Chains) < 3 {
		t.Fatalf("health %+v", h)
	}
}

// TestAdminAuditIsAppendOnly: amn_api can add and read audit rows but neither change nor delete
// them.
func TestAdminAuditIsAppendOnly(t *testing.T) {
	a := newAdminAPI(t)
	ctx := context.Background()
	svc := admin.New(a.api, admin.Config{})
	if err := svc.Record(ctx, admin.Entry{Operation: "appendOnlyProbe", Status: 200, Outcome: "ok"}); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{`UPDATE admin_audit SET outcome = 'forged'`, `DELETE FROM admin_audit`, `TRUNCATE admin_audit`} {
		_, err := a.api.Exec(ctx, stmt)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "42501" {
			t.Errorf("%s as amn_api: %v", stmt, err)
		}
	}
	es, err := svc.Audit(ctx, admin.AuditFilter{Limit: 1000})
	probes := 0
	for _, e := range es {
		if e.Operation == "appendOnlyProbe" && e.Outcome == "ok" {
			probes++
		}
	}
	if err != nil || probes != 1 {
		t.Fatalf("audit after the attempts: %v, %d probes", err, probes)
	}
}

func sweepOf(items []openapi.AdminDueSweep, pid string) *openapi.AdminDueSweep {
	for i := range items {
		if items[i].PaymentId == pid {
			return &items[i]
		}
	}
	return nil
}
