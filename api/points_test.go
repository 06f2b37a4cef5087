package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/admin"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/points"
)

// pointsAPI is the API with points (sign-ups record referrals) and the admin audit, and the
// worker's points service, which books what the API records.
type pointsAPI struct {
	*marketAPI
	worker *points.Service
}

func newPointsAPI(t *testing.T) *pointsAPI {
	t.Helper()
	// A database of its own: the points_adjust jobs the API queues must not reach the River
	// clients other tests of the package run, which do not work them.
	owner := dbtest.Own(t)
	pool := dbtest.PoolLike(t, owner, db.RoleAPI)
	pts, err := points.New(pool, points.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	worker, err := points.New(dbtest.PoolLike(t, owner, db.RoleWorker), points.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	a := buildTestAPIOn(t, pool, func(p *pgxpool.Pool, d *Deps) {
		d.Points, d.SignupURL, d.PublicURL = pts, "https://amn.example/signup?lang=en", "https://api.amn.example"
		d.Admin = admin.New(p, admin.Config{})
	}, func(c *auth.Config) { c.SignedUp = pts.RecordReferral })
	return &pointsAPI{marketAPI: &marketAPI{testAPI: a, owner: owner}, worker: worker}
}

type balanceJSON struct {
	Total, Available, Used, Pending, ToNext int64
	Level                                   string
}

type entriesJSON struct {
	Items []struct {
		TransferID string `json:"transferId"`
		Kind       string
		Points     int64
		Reason     *string
	}
	NextCursor *string
}

// A referral link redirects to the sign-up page with the code kept; the sign-up records the
// referral; the referrer sees a pending reward and the referred user; an unknown code redirects
// without it.
func TestReferralLinkAndSignUp(t *testing.T) {
	a := newPointsAPI(t)
	referrer := a.someone(auth.RoleBuyer)
	var code struct{ Code, Link string }
	a.call("GET", "/v1/points/referral", nil, referrer.AccessToken, 200, &code)
	if code.Link != "https://api.amn.example/r/"+code.Code {
		t.Fatalf("link %q for code %q", code.Link, code.Code)
	}
	rec := a.do("GET", "/r/"+strings.ToLower(code.Code), nil, "")
	if rec.Code != http.StatusFound || rec.Header().Get("Location") != "https://amn.example/signup?lang=en&ref="+code.Code {
		t.Fatalf("redirect: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	rec = a.do("GET", "/r/NOSUCHCD", nil, "")
	if rec.Code != http.StatusFound || rec.Header().Get("Location") != "https://amn.example/signup?lang=en" {
		t.Fatalf("unknown code: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	a.call("POST", "/v1/auth/register", map[string]any{"email": uuid.NewString() + "@example.com",
		"password": "correct horse battery staple 42", "referralCode": code.Code}, "", 202, nil)
	var b balanceJSON
	a.call("GET", "/v1/points", nil, referrer.AccessToken, 200, &b)
	if b.Available != 0 || b.Pending != 100 || b.Level != "bronze" || b.ToNext != 500 {
		t.Fatalf("balance: %+v", b)
	}
	var refs struct{ Items []struct{ Status string } }
	a.call("GET", "/v1/points/referrals", nil, referrer.AccessToken, 200, &refs)
	if len(refs.Items) != 1 || refs.Items[0].Status != "pending" {
		t.Fatalf("referrals: %+v", refs)
	}
}

// Admins grant and reverse with a reason, audited; buyers cannot; a grant is booked once whatever
// the retries; a second reversal is a conflict; a user sees only their own history.
func TestAdminPointsOverHTTP(t *testing.T) {
	a := newPointsAPI(t)
	ctx := context.Background()
	adminS, user, other := a.someone(auth.RoleAdmin), a.someone(auth.RoleBuyer), a.someone(auth.RoleBuyer, auth.RoleSeller)
	grant := map[string]any{"id": uuid.NewString(), "points": 600, "reason": "launch bonus"}
	path := "/v1/admin/users/" + user.User.ID.String() + "/points"
	errorOf(t, a.do("POST", path, grant, other.AccessToken), http.StatusForbidden)
	errorOf(t, a.do("POST", path, grant, ""), http.StatusUnauthorized)
	errorOf(t, a.do("POST", path, map[string]any{"id": uuid.NewString(), "points": 10_000_000, "reason": "too much"}, adminS.AccessToken), http.StatusBadRequest)
	errorOf(t, a.do("POST", "/v1/admin/users/"+uuid.NewString()+"/points", grant, adminS.AccessToken), http.StatusNotFound)
	for range 3 {
		a.call("POST", path, grant, adminS.AccessToken, 202, nil)
	}
	grant["points"] = 601
	errorOf(t, a.do("POST", path, grant, adminS.AccessToken), http.StatusConflict)
	if n, err := a.worker.BookAdjustments(ctx, 100); err != nil || n != 1 {
		t.Fatalf("booked %d, %v", n, err)
	}
	var b balanceJSON
	a.call("GET", "/v1/points", nil, user.AccessToken, 200, &b)
	if b.Available != 600 || b.Total != 600 || b.Level != "silver" {
		t.Fatalf("balance: %+v", b)
	}
	var h entriesJSON
	a.call("GET", "/v1/points/history?limit=1", nil, user.AccessToken, 200, &h)
	if len(h.Items) != 1 || h.Items[0].Kind != "admin_grant" || h.Items[0].Points != 600 || *h.Items[0].Reason != "launch bonus" || h.NextCursor != nil {
		t.Fatalf("history: %+v", h)
	}
	var theirs entriesJSON
	a.call("GET", "/v1/points/history?limit=100", nil, other.AccessToken, 200, &theirs)
	if len(theirs.Items) != 0 {
		t.Fatalf("another user's history shows %+v", theirs)
	}
	errorOf(t, a.do("GET", "/v1/points/history?cursor=bm9wZQ", nil, user.AccessToken), http.StatusBadRequest)
	rev := "/v1/admin/points/" + h.Items[0].TransferID + "/reverse"
	errorOf(t, a.do("POST", rev, map[string]any{"reason": "mistake"}, user.AccessToken), http.StatusForbidden)
	a.call("POST", rev, map[string]any{"reason": "mistake"}, adminS.AccessToken, 202, nil)
	errorOf(t, a.do("POST", rev, map[string]any{"reason": "mistake"}, adminS.AccessToken), http.StatusConflict)
	errorOf(t, a.do("POST", "/v1/admin/points/"+uuid.NewString()+"/reverse", map[string]any{"reason": "none"}, adminS.AccessToken), http.StatusNotFound)
	if _, err := a.worker.BookAdjustments(ctx, 100); err != nil {
		t.Fatal(err)
	}
	a.call("GET", "/v1/points", nil, user.AccessToken, 200, &b)
	if b.Available != 0 {
		t.Fatalf("after the reversal: %+v", b)
	}
	var audited int
	if err := a.owner.QueryRow(ctx, `SELECT count(*) FROM admin_audit WHERE operation IN ('adminGrantPoints', 'adminReversePoints')
		AND outcome <> 'started' AND (target LIKE $1 OR target LIKE $2)`, "%"+user.User.ID.String()+"%", "%"+h.Items[0].TransferID+"%").Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 10 { // 7 grants (refused, failed, done) + 3 reversals on these targets
		t.Fatalf("%d audit rows, want 10", audited)
	}
	if v, err := ledger.Check(ctx, a.owner); err != nil || v != nil {
		t.Fatalf("ledger check: %v, %v", v, err)
	}
}
