package points_test

import (
	"context"
	"errors"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/points"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// env is the API's points service (amn_api), the worker's (amn_worker) and the owner's pool for
// making users and checking the books.
type env struct {
	api, worker *points.Service
	apiPool     *pgxpool.Pool
	owner       *pgxpool.Pool
}

func newEnv(t *testing.T, cfg func(*points.Config)) env {
	t.Helper()
	return newEnvOn(t, dbtest.Pool(t), cfg)
}

// newEnvOn is newEnv on owner's database (dbtest.Own: a test's own, which it may alter).
func newEnvOn(t *testing.T, owner *pgxpool.Pool, cfg func(*points.Config)) env {
	t.Helper()
	c := points.DefaultConfig()
	if cfg != nil {
		cfg(&c)
	}
	apiPool := dbtest.PoolLike(t, owner, db.RoleAPI)
	api, err := points.New(apiPool, c)
	if err != nil {
		t.Fatal(err)
	}
	worker, err := points.New(dbtest.PoolLike(t, owner, db.RoleWorker), c)
	if err != nil {
		t.Fatal(err)
	}
	return env{api: api, worker: worker, apiPool: apiPool, owner: owner}
}

func (e env) user(t *testing.T) uuid.UUID {
	t.Helper()
	id := uuid.New()
	if _, err := e.owner.Exec(context.Background(), `INSERT INTO users (id, email, roles) VALUES ($1, $2, '{buyer,seller}')`,
		id, id.String()+"@example.com"); err != nil {
		t.Fatal(err)
	}
	return id
}

// tokens is n whole tokens of 6 decimals in base units.
func tokens(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1_000_000)) }

func deal(buyer, seller uuid.UUID, n int64, o points.Outcome) points.Settlement {
	return points.Settlement{Request: uuid.New(), Outcome: o, Buyer: buyer, Seller: seller, Amount: tokens(n), Decimals: 6}
}

func (e env) balance(t *testing.T, u uuid.UUID) points.Balance {
	t.Helper()
	b, err := e.api.Balance(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (e env) wantAvailable(t *testing.T, u uuid.UUID, want int64) {
	t.Helper()
	if b := e.balance(t, u); b.Available != want || b.Total != want {
		t.Fatalf("user %s: %+v; want %d available and total", u, b, want)
	}
}

func checkBooks(t *testing.T, e env) {
	t.Helper()
	if v, err := ledger.Check(context.Background(), e.owner); err != nil || v != nil {
		t.Fatalf("ledger check: %v, %v", v, err)
	}
}

func apply(t *testing.T, s *points.Service, st points.Settlement) {
	t.Helper()
	if err := s.Apply(context.Background(), st); err != nil {
		t.Fatal(err)
	}
}

// A completed deal grants both parties their band's points exactly once, however often it is
// booked; a refund after the grant reverses it exactly once; the books check.
func TestDealGrantedOnceAndReversedOnce(t *testing.T) {
	e := newEnv(t, nil)
	buyer, seller := e.user(t), e.user(t)
	d := deal(buyer, seller, 150, points.Completed) // band 100+: 50 each
	for range 3 {
		apply(t, e.worker, d)
	}
	e.wantAvailable(t, buyer, 50)
	e.wantAvailable(t, seller, 50)
	d.Outcome = points.Refunded
	for range 3 {
		apply(t, e.worker, d)
	}
	e.wantAvailable(t, buyer, 0)
	e.wantAvailable(t, seller, 0)
	h, err := e.api.History(context.Background(), buyer, 0, 10)
	if err != nil || len(h) != 2 || h[0].Kind != "reversal" || h[0].Points != -50 || h[1].Kind != "deal" || h[1].Points != 50 ||
		*h[1].Request != d.Request || h[0].Reason == "" {
		t.Fatalf("history: %+v, %v", h, err)
	}
	checkBooks(t, e)
}

// A deal refunded before it ever completed reverses nothing and grants nothing; a deal under the
// first band earns nothing; the rules' bands are read in base units of the token's decimals.
func TestRefundWithoutGrantAndBands(t *testing.T) {
	e := newEnv(t, nil)
	buyer, seller := e.user(t), e.user(t)
	apply(t, e.worker, deal(buyer, seller, 500, points.Refunded))
	small := points.Settlement{Request: uuid.New(), Outcome: points.Completed, Buyer: buyer, Seller: seller,
		Amount: big.NewInt(999_999), Decimals: 6} // 0.999999 tokens
	apply(t, e.worker, small)
	e.wantAvailable(t, buyer, 0)
	c := points.DefaultConfig()
	for _, x := range []struct {
		amount *big.Int
		dec    uint8
		want   int64
	}{{big.NewInt(1_000_000), 6, 10}, {big.NewInt(999_999), 6, 0}, {tokens(1_000), 6, 200},
		{new(big.Int).Exp(big.NewInt(10), big.NewInt(22), nil), 18, 1_000}, {new(big.Int).Exp(big.NewInt(10), big.NewInt(20), nil), 18, 50}} {
		if b, s := c.DealPoints(x.amount, x.dec); b != x.want || s != x.want {
			t.Errorf("DealPoints(%s, %d) = %d, %d; want %d", x.amount, x.dec, b, s, x.want)
		}
	}
	checkBooks(t, e)
}

// Racing bookings of one deal, and of its refund, grant and reverse once.
func TestRacingGrantsAndReversals(t *testing.T) {
	e := newEnv(t, nil)
	buyer, seller := e.user(t), e.user(t)
	d := deal(buyer, seller, 2_000, points.Completed) // 200 each
	race := func(st points.Settlement) {
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() { errs <- e.worker.Apply(context.Background(), st) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	race(d)
	e.wantAvailable(t, buyer, 200)
	d.Outcome = points.Refunded
	race(d)
	e.wantAvailable(t, buyer, 0)
	e.wantAvailable(t, seller, 0)
	checkBooks(t, e)
}

// Follow books what its source reports once and keeps its cursor: a second run reads after it.
func TestFollowKeepsItsCursor(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	buyer, seller := e.user(t), e.user(t)
	var all []points.Settled
	for i := range 5 {
		all = append(all, points.Settled{At: points.Cursor{Tx: int64(100 + i), Request: uuid.New(), Seq: 1},
			Settlement: deal(buyer, seller, 1, points.Completed)})
	}
	var asked []points.Cursor
	src := func(_ context.Context, after points.Cursor, limit int) ([]points.Settled, error) {
		asked = append(asked, after)
		var out []points.Settled
		for _, s := range all {
			if s.At.Tx > after.Tx && len(out) < limit {
				out = append(out, s)
			}
		}
		return out, nil
	}
	if n, err := e.worker.Follow(ctx, src, 2); err != nil || n != 5 {
		t.Fatalf("follow: %d, %v", n, err)
	}
	if n, err := e.worker.Follow(ctx, src, 2); err != nil || n != 0 || asked[len(asked)-1] != all[4].At {
		t.Fatalf("again: %d, %v, asked after %+v", n, err, asked[len(asked)-1])
	}
	e.wantAvailable(t, buyer, 50)
	checkBooks(t, e)
}

// record registers a new user with code, as auth's sign-up transaction does.
func (e env) record(t *testing.T, code string) uuid.UUID {
	t.Helper()
	u := e.user(t)
	err := pgx.BeginFunc(context.Background(), e.apiPool, func(tx pgx.Tx) error {
		return e.api.RecordReferral(context.Background(), tx, u, code)
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A referred user's first completed deal posts the referrer's reward, once; a referred user with
// no deal earns the referrer nothing; a refunded deal is no deal.
func TestReferralRewardWaitsForAFirstDeal(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	referrer, other := e.user(t), e.user(t)
	code, err := e.api.Code(ctx, referrer)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := e.api.Code(ctx, referrer); err != nil || again != code {
		t.Fatalf("code changed: %s, %s, %v", code, again, err)
	}
	idle, dealer := e.record(t, code), e.record(t, code)
	if b := e.balance(t, referrer); b.Available != 0 || b.Pending != 200 {
		t.Fatalf("before any deal: %+v", b)
	}
	apply(t, e.worker, deal(dealer, other, 10, points.Refunded))
	e.wantAvailable(t, referrer, 0)
	apply(t, e.worker, deal(dealer, other, 10, points.Completed))
	apply(t, e.worker, deal(other, dealer, 10, points.Completed))
	if b := e.balance(t, referrer); b.Available != 100 || b.Pending != 100 {
		t.Fatalf("after the first deal: %+v", b)
	}
	rs, err := e.api.Referrals(ctx, referrer, points.ReferralPage{Limit: 10})
	if err != nil || len(rs) != 2 || rs[0].User != dealer || rs[0].Status != "rewarded" || rs[1].User != idle || rs[1].Status != "pending" {
		t.Fatalf("referrals: %+v, %v", rs, err)
	}
	checkBooks(t, e)
}

// Self-referral farming: accounts made with one's own code earn nothing without real deals, one's
// own code at one's own sign-up records nothing, a malformed or unknown code is ignored, and past
// the daily limit referrals never earn, even with a deal.
func TestReferralFarmingEarnsNothing(t *testing.T) {
	e := newEnv(t, func(c *points.Config) { c.ReferralsPerDay = 3 })
	ctx := context.Background()
	farmer := e.user(t)
	code, err := e.api.Code(ctx, farmer)
	if err != nil {
		t.Fatal(err)
	}
	var fakes []uuid.UUID
	for range 5 {
		fakes = append(fakes, e.record(t, code))
	}
	for _, c := range []string{"", "nonsense!", "ZZZZZZZZ", code + "X"} {
		e.record(t, c)
	}
	if err := pgx.BeginFunc(ctx, e.apiPool, func(tx pgx.Tx) error { return e.api.RecordReferral(ctx, tx, farmer, code) }); err != nil {
		t.Fatal(err)
	}
	if b := e.balance(t, farmer); b.Available != 0 || b.Pending != 300 {
		t.Fatalf("farmer without deals: %+v", b)
	}
	rs, err := e.api.Referrals(ctx, farmer, points.ReferralPage{Limit: 50})
	if err != nil || len(rs) != 5 {
		t.Fatalf("referrals: %+v, %v", rs, err)
	}
	over := 0
	for _, r := range rs {
		if r.Status == "over_limit" {
			over++
		}
	}
	if over != 2 {
		t.Fatalf("%d over the limit, want 2: %+v", over, rs)
	}
	// The referral of the 5th fake is over the limit: its deal earns the farmer nothing.
	apply(t, e.worker, deal(fakes[4], e.user(t), 10, points.Completed))
	e.wantAvailable(t, farmer, 0)
	checkBooks(t, e)
}

func wantKind(t *testing.T, what string, err error, k kind.Kind) {
	t.Helper()
	if kind.Of(err) != k {
		t.Fatalf("%s: %v (kind %q); want %s", what, err, kind.Of(err), k)
	}
}

func book(t *testing.T, e env, want int) {
	t.Helper()
	if n, err := e.worker.BookAdjustments(context.Background(), 100); err != nil || n != want {
		t.Fatalf("booked %d, %v; want %d", n, err, want)
	}
}

// Admins' grants are recorded by the API and booked by the worker once, whatever the retries and
// races; a reversal takes a grant back once, whoever asks; the books check.
func TestAdminGrantsAndReversals(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	admin, user := e.user(t), e.user(t)
	id := uuid.New()
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			if _, err := e.api.RequestGrant(ctx, admin, user, id, 70, "support goodwill"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	_, err := e.api.RequestGrant(ctx, admin, user, id, 700, "support goodwill")
	if !errors.Is(err, points.ErrIDReused) {
		t.Fatalf("another grant under the id: %v", err)
	}
	_, err = e.api.RequestGrant(ctx, admin, uuid.New(), uuid.New(), 5, "no such user")
	wantKind(t, "unknown user", err, kind.NotFound)
	for _, bad := range []struct {
		pts    int64
		reason string
	}{{0, "zero"}, {-5, "negative"}, {points.MaxAdminGrant + 1, "too many"}, {5, "no"}, {5, "   "}} {
		_, err = e.api.RequestGrant(ctx, admin, user, uuid.New(), bad.pts, bad.reason)
		wantKind(t, "bad grant", err, kind.Invalid)
	}
	book(t, e, 1)
	book(t, e, 0)
	e.wantAvailable(t, user, 70)
	h, err := e.api.History(ctx, user, 0, 10)
	if err != nil || len(h) != 1 || h[0].Kind != "admin_grant" || h[0].Reason != "support goodwill" {
		t.Fatalf("history: %+v, %v", h, err)
	}
	grant := h[0].Transfer
	if _, err := e.api.RequestReversal(ctx, admin, grant, "granted by mistake"); err != nil {
		t.Fatal(err)
	}
	_, err = e.api.RequestReversal(ctx, admin, grant, "granted by mistake")
	wantKind(t, "second reversal", err, kind.Conflict)
	book(t, e, 1)
	e.wantAvailable(t, user, 0)
	h, _ = e.api.History(ctx, user, 0, 10)
	_, err = e.api.RequestReversal(ctx, admin, h[0].Transfer, "reverse the reversal")
	if !errors.Is(err, points.ErrNotReversible) {
		t.Fatalf("reversal of a reversal: %v", err)
	}
	_, err = e.api.RequestReversal(ctx, admin, ledger.NewID(), "no such grant")
	wantKind(t, "unknown transfer", err, kind.NotFound)
	checkBooks(t, e)
}

// A deal's grant reversed by its refund cannot be reversed again by an admin, and an admin's
// reversal booked first leaves the refund nothing to do: one reversal either way.
func TestRefundAndAdminReverseOnce(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	admin, buyer, seller := e.user(t), e.user(t), e.user(t)
	d := deal(buyer, seller, 100, points.Completed)
	apply(t, e.worker, d)
	if _, err := e.api.RequestReversal(ctx, admin, points.DealGrantID(d.Request, points.Seller), "fraud suspected"); err != nil {
		t.Fatal(err)
	}
	book(t, e, 1)
	d.Outcome = points.Refunded
	apply(t, e.worker, d)
	e.wantAvailable(t, buyer, 0)
	e.wantAvailable(t, seller, 0)
	_, err := e.api.RequestReversal(ctx, admin, points.DealGrantID(d.Request, points.Buyer), "too late")
	if !errors.Is(err, points.ErrAlreadyReversed) {
		t.Fatalf("reversal after the refund: %v", err)
	}
	checkBooks(t, e)
}

// History pages newest first and never shows another user's entries.
func TestHistoryPagesAndIsOwn(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	a, b := e.user(t), e.user(t)
	for range 5 {
		apply(t, e.worker, deal(a, b, 1, points.Completed))
	}
	p1, err := e.api.History(ctx, a, 0, 2)
	if err != nil || len(p1) != 2 || p1[0].Seq <= p1[1].Seq {
		t.Fatalf("page 1: %+v, %v", p1, err)
	}
	p2, _ := e.api.History(ctx, a, p1[1].Seq, 2)
	p3, _ := e.api.History(ctx, a, p2[1].Seq, 2)
	if len(p2) != 2 || len(p3) != 1 || p3[0].Seq != 1 {
		t.Fatalf("pages: %+v %+v", p2, p3)
	}
	stranger, _ := e.api.History(ctx, e.user(t), 0, 10)
	if len(stranger) != 0 {
		t.Fatalf("a stranger's history: %+v", stranger)
	}
	if _, err := e.api.History(ctx, a, 0, 1000); !errors.Is(err, points.ErrInvalid) {
		t.Fatalf("oversized page: %v", err)
	}
}

// The worker books what the API's database login wrote in points_adjustments: a forged grant
// beyond MaxAdminGrant is refused, never booked.
func TestForgedOversizedGrantIsRefused(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	admin, user := e.user(t), e.user(t)
	id := uuid.New()
	if _, err := dbtest.PoolAs(t, db.RoleAPI).Exec(ctx, `INSERT INTO points_adjustments (id, kind, user_id, amount, target, reason, admin_id, created_at)
		VALUES ($1, 'grant', $2, $3, NULL, 'forged', $4, now())`, id, user, points.MaxAdminGrant*1000, admin); err != nil {
		t.Fatal(err)
	}
	book(t, e, 1)
	e.wantAvailable(t, user, 0)
	a, err := e.api.Adjustment(ctx, id)
	if err != nil || a.BookedAt != nil || a.Refused == nil {
		t.Fatalf("the forged grant: %+v, %v; want refused", a, err)
	}
	checkBooks(t, e)
}

// A reversal row forged through the API's login that names a reversal (not a grant) is refused by
// the worker: reversing a reversal would give the points back.
func TestForgedReversalOfAReversalIsRefused(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	admin, user := e.user(t), e.user(t)
	if _, err := e.api.RequestGrant(ctx, admin, user, uuid.New(), 70, "support goodwill"); err != nil {
		t.Fatal(err)
	}
	book(t, e, 1)
	h, err := e.api.History(ctx, user, 0, 10)
	if err != nil || len(h) != 1 {
		t.Fatalf("history: %+v, %v", h, err)
	}
	if _, err := e.api.RequestReversal(ctx, admin, h[0].Transfer, "granted by mistake"); err != nil {
		t.Fatal(err)
	}
	book(t, e, 1)
	e.wantAvailable(t, user, 0)
	rev := points.ReversalID(h[0].Transfer)
	id := uuid.UUID(points.ReversalID(rev))
	if _, err := dbtest.PoolAs(t, db.RoleAPI).Exec(ctx, `INSERT INTO points_adjustments (id, kind, user_id, amount, target, reason, admin_id, created_at)
		VALUES ($1, 'reversal', $2, NULL, $3, 'forged', $4, now())`, id, user, uuid.UUID(rev), admin); err != nil {
		t.Fatal(err)
	}
	book(t, e, 1) // taken up, and refused
	e.wantAvailable(t, user, 0)
	a, err := e.api.Adjustment(ctx, id)
	if err != nil || a.BookedAt != nil || a.Refused == nil {
		t.Fatalf("the forged reversal: %+v, %v; want refused", a, err)
	}
	checkBooks(t, e)
}

// Two refunds of crossed deals (X bought from Y, Y bought from X) never wait for each other in a
// circle: each takes every user's points lock it needs up front, in one order, before any ledger
// write. The first, stopped here on X's referral row (which the test holds), already holds Y's
// lock; the second waits for a points lock, not for the books' rows the first wrote; released,
// both complete. (Without that the first would hold X's lock and the books' rows while the second
// held Y's: a deadlock Postgres breaks by failing one, which db.InTx retries a second later.)
func TestCrossedRefundsDoNotDeadlock(t *testing.T) {
	e := newEnvOn(t, dbtest.Own(t), nil)
	ctx := context.Background()
	referrer, y := e.user(t), e.user(t)
	code, err := e.api.Code(ctx, referrer)
	if err != nil {
		t.Fatal(err)
	}
	x := e.record(t, code)
	d1, d2 := deal(x, y, 150, points.Completed), deal(y, x, 150, points.Completed)
	apply(t, e.worker, d1) // X's first deal: its referrer is rewarded
	apply(t, e.worker, d2)
	before := e.balance(t, referrer)
	if before.Available == 0 {
		t.Fatalf("the referrer was not rewarded: %+v", before)
	}
	d1.Outcome, d2.Outcome = points.Refunded, points.Refunded

	hold, err := e.owner.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Rollback(ctx) //nolint:errcheck
	if _, err := hold.Exec(ctx, `SELECT 1 FROM points_referrals WHERE referred_id = $1 FOR UPDATE`, x); err != nil {
		t.Fatal(err)
	}
	waiting := func(sql string, want int) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; {
			var n int
			if err := e.owner.QueryRow(ctx, sql).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n >= want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d waiting, want %d: %s", n, want, sql)
			}
		}
	}
	errs := make(chan error, 2)
	go func() { errs <- e.worker.Apply(ctx, d1) }()
	waiting(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
		AND query LIKE 'UPDATE points_referrals%'`, 1)
	var held []uuid.UUID
	rows, err := e.owner.Query(ctx, `SELECT u FROM unnest($1::uuid[]) AS u WHERE EXISTS (
		SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND a.query LIKE 'UPDATE points_referrals%'
		  AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended('points/account/' || u::text, 0))`,
		[]uuid.UUID{uuid.UUID(chart.PointsUser(x)), uuid.UUID(chart.PointsUser(y)), uuid.UUID(chart.PointsUser(referrer))})
	if err != nil {
		t.Fatal(err)
	}
	if held, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID]); err != nil || len(held) != 3 {
		t.Fatalf("the first refund, before its second party, holds %d of the 3 points locks it needs (%v): not taken up front", len(held), err)
	}
	go func() { errs <- e.worker.Apply(ctx, d2) }()
	waiting(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
		AND wait_event = 'advisory'`, 1)
	if err := hold.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("a refund: %v", err)
		}
	}
	e.wantAvailable(t, x, 0)
	e.wantAvailable(t, y, 0)
	e.wantAvailable(t, referrer, 0)
	checkBooks(t, e)
}
