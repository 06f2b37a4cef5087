package api

import (
	"context"
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/points"
)

// Points and referrals (docs/points.md): a user's own points, history, level, code and referred
// users; admins' grants and reversals (recorded here, booked by the worker; audited as every
// /v1/admin call is); and the referral link /r/{code}.

var errPointsUnavailable = kind.New(kind.Unavailable, "points are not configured on this server")

// ReferralRedirect sends a referral link to the frontend's sign-up page with the code kept.
func (v *v1) ReferralRedirect(ctx context.Context, req openapi.ReferralRedirectRequestObject) (openapi.ReferralRedirectResponseObject, error) {
	if v.points == nil || v.signupURL == "" {
		return nil, errPointsUnavailable
	}
	to := v.signupURL
	if _, ok, err := v.points.Referrer(ctx, req.Code); err != nil {
		return nil, err
	} else if ok {
		code, _ := points.NormalizeCode(req.Code)
		to = withQuery(v.signupURL, "ref", code)
	}
	return openapi.ReferralRedirect302Response{Headers: openapi.ReferralRedirect302ResponseHeaders{Location: &to}}, nil
}

// withQuery adds k=v to a URL's query (the sign-up URL may have one of its own).
func withQuery(raw, k, v string) string {
	sep := "?"
	if strings.Contains(raw, "?") {
		sep = "&"
	}
	return raw + sep + url.QueryEscape(k) + "=" + url.QueryEscape(v)
}

// pointsCaller is the signed-in caller of a points route.
func (v *v1) pointsCaller(ctx context.Context) (auth.Principal, error) {
	if v.points == nil {
		return auth.Principal{}, errPointsUnavailable
	}
	return principal(ctx)
}

// GetMyPoints answers the caller's balance and level.
func (v *v1) GetMyPoints(ctx context.Context, _ openapi.GetMyPointsRequestObject) (openapi.GetMyPointsResponseObject, error) {
	p, err := v.pointsCaller(ctx)
	if err != nil {
		return nil, err
	}
	b, err := v.points.Balance(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	out := openapi.GetMyPoints200JSONResponse{Total: b.Total, Available: b.Available, Used: b.Used, Expired: b.Expired,
		Pending: b.Pending, Level: b.Level.Name, ToNext: b.ToNext}
	if b.Next != nil {
		out.NextLevel = &b.Next.Name
	}
	return out, nil
}

// GetMyLevel answers the caller's level, the next and the ladder.
func (v *v1) GetMyLevel(ctx context.Context, _ openapi.GetMyLevelRequestObject) (openapi.GetMyLevelResponseObject, error) {
	p, err := v.pointsCaller(ctx)
	if err != nil {
		return nil, err
	}
	b, err := v.points.Balance(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	out := openapi.GetMyLevel200JSONResponse{Total: b.Total, Level: levelBody(b.Level), ToNext: b.ToNext, Levels: []openapi.PointsLevel{}}
	if b.Next != nil {
		n := levelBody(*b.Next)
		out.Next = &n
	}
	for _, l := range v.points.Config().Levels.Levels {
		out.Levels = append(out.Levels, levelBody(l))
	}
	return out, nil
}

func levelBody(l points.Level) openapi.PointsLevel {
	perks := l.Perks
	if perks == nil {
		perks = []string{}
	}
	return openapi.PointsLevel{Name: l.Name, Threshold: l.Threshold, Perks: perks}
}

// GetMyPointsHistory pages the caller's entries, newest first; the cursor is the last entry's seq.
func (v *v1) GetMyPointsHistory(ctx context.Context, req openapi.GetMyPointsHistoryRequestObject) (openapi.GetMyPointsHistoryResponseObject, error) {
	p, err := v.pointsCaller(ctx)
	if err != nil {
		return nil, err
	}
	var before int64
	if req.Params.Cursor != nil {
		if before, err = decodeSeq(*req.Params.Cursor); err != nil {
			return nil, err
		}
	}
	n := limitOf(req.Params.Limit)
	es, err := v.points.History(ctx, p.UserID, before, n+1)
	if err != nil {
		return nil, err
	}
	out := openapi.GetMyPointsHistory200JSONResponse{Items: []openapi.PointsEntry{}}
	if len(es) > n {
		es = es[:n]
		c := base64.RawURLEncoding.EncodeToString([]byte("seq|" + strconv.FormatInt(es[n-1].Seq, 10)))
		out.NextCursor = &c
	}
	for _, e := range es {
		item := openapi.PointsEntry{TransferId: uuid.UUID(e.Transfer), Kind: openapi.PointsEntryKind(e.Kind), Points: e.Points,
			RequestId: e.Request, At: e.At}
		if e.Reason != "" {
			item.Reason = &e.Reason
		}
		out.Items = append(out.Items, item)
	}
	return out, nil
}

func decodeSeq(s string) (int64, error) {
	bad := errInvalidRequest("the cursor is not one this API gave", FieldError{Field: "query.cursor", Message: "malformed cursor"})
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, bad
	}
	n, ok := strings.CutPrefix(string(raw), "seq|")
	seq, err := strconv.ParseInt(n, 10, 64)
	if !ok || err != nil || seq <= 0 {
		return 0, bad
	}
	return seq, nil
}

// GetMyReferral answers the caller's referral code and link.
func (v *v1) GetMyReferral(ctx context.Context, _ openapi.GetMyReferralRequestObject) (openapi.GetMyReferralResponseObject, error) {
	p, err := v.pointsCaller(ctx)
	if err != nil {
		return nil, err
	}
	code, err := v.points.Code(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	return openapi.GetMyReferral200JSONResponse{Code: code, Link: strings.TrimSuffix(v.publicURL, "/") + "/r/" + code}, nil
}

// ListMyReferrals pages the users the caller referred, newest first.
func (v *v1) ListMyReferrals(ctx context.Context, req openapi.ListMyReferralsRequestObject) (openapi.ListMyReferralsResponseObject, error) {
	p, err := v.pointsCaller(ctx)
	if err != nil {
		return nil, err
	}
	page, err := pageOf(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	n := limitOf(req.Params.Limit)
	rp := points.ReferralPage{Limit: n + 1}
	if page.After != nil {
		rp.After = &points.Referral{User: page.After.ID, CreatedAt: page.After.CreatedAt}
	}
	rs, err := v.points.Referrals(ctx, p.UserID, rp)
	if err != nil {
		return nil, err
	}
	out := openapi.ListMyReferrals200JSONResponse{Items: []openapi.Referral{}}
	if len(rs) > n {
		rs = rs[:n]
		out.NextCursor = encodeCursor(&auth.PageKey{CreatedAt: rs[n-1].CreatedAt, ID: rs[n-1].User})
	}
	for _, r := range rs {
		out.Items = append(out.Items, openapi.Referral{UserId: r.User, Status: openapi.ReferralStatus(r.Status),
			CreatedAt: r.CreatedAt, RewardedAt: r.RewardedAt})
	}
	return out, nil
}

// SpendPoints records a spend of the caller's own points (never another user's: the route names
// no user) under the client's Idempotency-Key; the worker books it.
func (v *v1) SpendPoints(ctx context.Context, req openapi.SpendPointsRequestObject) (openapi.SpendPointsResponseObject, error) {
	p, err := v.pointsCaller(ctx)
	if err != nil {
		return nil, err
	}
	sp, _, err := v.points.Spend(ctx, p.UserID, req.Params.IdempotencyKey, req.Body.Points, req.Body.Purpose)
	if err != nil {
		return nil, err
	}
	return openapi.SpendPoints202JSONResponse(spendBody(sp)), nil
}

// GetMyPointsSpend answers one of the caller's spends; another user's is 404.
func (v *v1) GetMyPointsSpend(ctx context.Context, req openapi.GetMyPointsSpendRequestObject) (openapi.GetMyPointsSpendResponseObject, error) {
	p, err := v.pointsCaller(ctx)
	if err != nil {
		return nil, err
	}
	sp, err := v.points.SpendOf(ctx, p.UserID, req.SpendId)
	if err != nil {
		return nil, err
	}
	return openapi.GetMyPointsSpend200JSONResponse(spendBody(sp)), nil
}

func spendBody(sp points.Spend) openapi.PointsSpend {
	return openapi.PointsSpend{Id: sp.ID, Points: sp.Points, Purpose: sp.Purpose, State: openapi.PointsSpendState(sp.State()),
		Refused: sp.Refused, CreatedAt: sp.CreatedAt, BookedAt: sp.BookedAt}
}

// AdminGrantPoints records an admin's grant for the worker to book.
func (v *v1) AdminGrantPoints(ctx context.Context, req openapi.AdminGrantPointsRequestObject) (openapi.AdminGrantPointsResponseObject, error) {
	p, err := v.pointsCaller(ctx)
	if err != nil {
		return nil, err
	}
	a, err := v.points.RequestGrant(ctx, p.UserID, req.UserId, req.Body.Id, req.Body.Points, req.Body.Reason)
	if err != nil {
		return nil, err
	}
	return openapi.AdminGrantPoints202JSONResponse(adjustmentBody(a)), nil
}

// AdminReversePoints records an admin's reversal of a grant for the worker to book.
func (v *v1) AdminReversePoints(ctx context.Context, req openapi.AdminReversePointsRequestObject) (openapi.AdminReversePointsResponseObject, error) {
	p, err := v.pointsCaller(ctx)
	if err != nil {
		return nil, err
	}
	a, err := v.points.RequestReversal(ctx, p.UserID, ledger.ID(req.TransferId), req.Body.Reason)
	if err != nil {
		return nil, err
	}
	return openapi.AdminReversePoints202JSONResponse(adjustmentBody(a)), nil
}

func adjustmentBody(a points.Adjustment) openapi.PointsAdjustment {
	out := openapi.PointsAdjustment{Id: a.ID, Kind: openapi.PointsAdjustmentKind(a.Kind), UserId: a.User, Reason: a.Reason,
		CreatedAt: a.CreatedAt, State: "pending", Refused: a.Refused}
	if a.Kind == "grant" {
		out.Points = &a.Points
	}
	if a.Target != nil {
		u := uuid.UUID(*a.Target)
		out.TransferId = &u
	}
	switch {
	case a.Refused != nil:
		out.State = "refused"
	case a.BookedAt != nil:
		out.State = "booked"
	}
	return out
}
