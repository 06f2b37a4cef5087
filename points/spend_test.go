package points_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/points"
)

// clock is a test's time, moved by hand; the API's and the worker's services read it.
type clock struct{ t atomic.Pointer[time.Time] }

func newClock(e env) *clock {
	c := &clock{}
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	c.t.Store(&start)
	e.api.WithClock(c.now)
	e.worker.WithClock(c.now)
	return c
}

func (c *clock) now() time.Time { return *c.t.Load() }

func (c *clock) advance(d time.Duration) { t := c.now().Add(d); c.t.Store(&t) }

// grant gives user pts through an admin's grant, booked by the worker.
func (e env) grant(t *testing.T, user uuid.UUID, pts int64) {
	t.Helper()
	if _, err := e.api.RequestGrant(context.Background(), e.user(t), user, uuid.New(), pts, "test points"); err != nil {
		t.Fatal(err)
	}
	if n, err := e.worker.BookAdjustments(context.Background(), 100); err != nil || n != 1 {
		t.Fatalf("booked %d, %v", n, err)
	}
}

func (e env) spend(t *testing.T, user uuid.UUID, key string, pts int64) points.Spend {
	t.Helper()
	sp, _, err := e.api.Spend(context.Background(), user, key, pts, "fee_discount")
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func bookSpends(t *testing.T, e env, want int) {
	t.Helper()
	if n, err := e.worker.BookSpends(context.Background(), 100); err != nil || n != want {
		t.Fatalf("booked %d spends, %v; want %d", n, err, want)
	}
}

func (e env) wantPoints(t *testing.T, u uuid.UUID, available, used, expired int64) {
	t.Helper()
	b := e.balance(t, u)
	if b.Available != available || b.Used != used || b.Expired != expired || b.Total != available+used+expired {
		t.Fatalf("user %s: %+v; want %d available, %d used, %d expired", u, b, available, used, expired)
	}
}

// A spend holds its points the moment the API records it (my points show them used), the worker
// books it once as a transfer to the used account, and the history shows it with its purpose. The
// same key again answers the first spend; the same key with another body is a conflict.
func TestSpendHoldsThenBooksOnce(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	user := e.user(t)
	e.grant(t, user, 100)
	sp, replayed, err := e.api.Spend(ctx, user, "order-1", 30, "fee_discount")
	if err != nil || replayed || sp.State() != "pending" || sp.ID != uuid.UUID(points.SpendID(user, "order-1")) {
		t.Fatalf("spend: %+v, %v, %v", sp, replayed, err)
	}
	e.wantPoints(t, user, 70, 30, 0)
	again, replayed, err := e.api.Spend(ctx, user, "order-1", 30, "fee_discount")
	if err != nil || !replayed || again.ID != sp.ID || !again.CreatedAt.Equal(sp.CreatedAt) {
		t.Fatalf("replay: %+v, %v, %v", again, replayed, err)
	}
	for _, other := range []struct {
		pts     int64
		purpose string
	}{{31, "fee_discount"}, {30, "featured_offer"}} {
		if _, _, err := e.api.Spend(ctx, user, "order-1", other.pts, other.purpose); !errors.Is(err, points.ErrKeyReused) {
			t.Fatalf("another spend under the key: %v", err)
		}
	}
	e.wantPoints(t, user, 70, 30, 0)
	bookSpends(t, e, 1)
	bookSpends(t, e, 0)
	e.wantPoints(t, user, 70, 30, 0)
	got, err := e.api.SpendOf(ctx, user, sp.ID)
	if err != nil || got.State() != "booked" {
		t.Fatalf("booked spend: %+v, %v", got, err)
	}
	if _, replayed, err := e.api.Spend(ctx, user, "order-1", 30, "fee_discount"); err != nil || !replayed {
		t.Fatalf("replay after booking: %v, %v", replayed, err)
	}
	bookSpends(t, e, 0)
	h, err := e.api.History(ctx, user, 0, 10)
	if err != nil || len(h) != 2 || h[0].Kind != "spend" || h[0].Points != -30 || h[0].Reason != "fee_discount" ||
		h[0].Transfer != points.SpendID(user, "order-1") {
		t.Fatalf("history: %+v, %v", h, err)
	}
	checkBooks(t, e)
}

// Spends that are not: zero, negative and huge amounts, malformed keys, a purpose the rules do
// not list, more than the user has (held points count as gone), a user who never had points.
func TestSpendRefusesBadInputAndOverdraft(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	user, poor := e.user(t), e.user(t)
	e.grant(t, user, 50)
	for _, bad := range []struct {
		key     string
		pts     int64
		purpose string
	}{
		{"k", 0, "fee_discount"}, {"k", -10, "fee_discount"}, {"k", points.MaxSpend + 1, "fee_discount"},
		{"k", 1 << 62, "fee_discount"}, {"", 1, "fee_discount"}, {"a b", 1, "fee_discount"},
		{strings.Repeat("k", 101), 1, "fee_discount"}, {"k\x00", 1, "fee_discount"}, {"ключ", 1, "fee_discount"},
		{"k", 1, "free_money"}, {"k", 1, ""}, {"k", 1, "FEE_DISCOUNT"},
	} {
		_, _, err := e.api.Spend(ctx, user, bad.key, bad.pts, bad.purpose)
		wantKind(t, fmt.Sprintf("spend %q %d %q", bad.key, bad.pts, bad.purpose), err, kind.Invalid)
	}
	e.spend(t, user, "a", 40)
	_, _, err := e.api.Spend(ctx, user, "b", 11, "fee_discount") // 10 left: 40 are held
	if !errors.Is(err, points.ErrInsufficient) || kind.Of(err) != kind.Conflict {
		t.Fatalf("overdraft: %v", err)
	}
	_, _, err = e.api.Spend(ctx, poor, "a", 1, "fee_discount")
	if !errors.Is(err, points.ErrInsufficient) {
		t.Fatalf("a user without points: %v", err)
	}
	_, _, err = e.api.Spend(ctx, uuid.New(), "a", 1, "fee_discount")
	if !errors.Is(err, points.ErrInsufficient) {
		t.Fatalf("an unknown user: %v", err)
	}
	e.spend(t, user, "b", 10)
	e.wantPoints(t, user, 0, 50, 0)
	bookSpends(t, e, 2)
	e.wantPoints(t, user, 0, 50, 0)
	checkBooks(t, e)
}

// Racing spends never hold more than there is: 30 spends of 10 on 100 points, 10 succeed; 8
// racing sends of one key record one spend; racing workers book each spend once.
func TestRacingSpendsNeverOverdraw(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	user := e.user(t)
	e.grant(t, user, 105)
	var ok, short atomic.Int32
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			_, _, err := e.api.Spend(ctx, user, fmt.Sprintf("k%d", i), 10, "fee_discount")
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, points.ErrInsufficient):
				short.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	var replays atomic.Int32
	ids := make(chan uuid.UUID, 8)
	for range 8 {
		wg.Go(func() {
			sp, replayed, err := e.api.Spend(ctx, user, "same", 5, "featured_offer")
			if err != nil {
				t.Error(err)
				return
			}
			if replayed {
				replays.Add(1)
			}
			ids <- sp.ID
		})
	}
	wg.Wait()
	close(ids)
	if ok.Load() != 10 || short.Load() != 20 || replays.Load() != 7 {
		t.Fatalf("%d spends, %d short, %d replays; want 10, 20, 7", ok.Load(), short.Load(), replays.Load())
	}
	for id := range ids {
		if id != uuid.UUID(points.SpendID(user, "same")) {
			t.Fatalf("spend id %s", id)
		}
	}
	e.wantPoints(t, user, 0, 105, 0)
	var booked atomic.Int32
	for range 4 {
		wg.Go(func() {
			n, err := e.worker.BookSpends(ctx, 100)
			if err != nil {
				t.Error(err)
			}
			booked.Add(int32(n))
		})
	}
	wg.Wait()
	if booked.Load() != 11 {
		t.Fatalf("booked %d spends; want 11", booked.Load())
	}
	e.wantPoints(t, user, 0, 105, 0)
	checkBooks(t, e)
}

// A user's spend is theirs: another user reading it by id finds nothing, and the same key used by
// two users names two spends, each of its own user's points.
func TestSpendIsOwn(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	alice, mallory := e.user(t), e.user(t)
	e.grant(t, alice, 20)
	e.grant(t, mallory, 20)
	sp := e.spend(t, alice, "shared-key", 15)
	if _, err := e.api.SpendOf(ctx, mallory, sp.ID); !errors.Is(err, points.ErrSpendNotFound) {
		t.Fatalf("mallory reads alice's spend: %v", err)
	}
	if _, err := e.api.SpendOf(ctx, alice, uuid.New()); !errors.Is(err, points.ErrSpendNotFound) {
		t.Fatalf("an unknown spend: %v", err)
	}
	theirs, replayed, err := e.api.Spend(ctx, mallory, "shared-key", 15, "fee_discount")
	if err != nil || replayed || theirs.ID == sp.ID {
		t.Fatalf("mallory's spend under alice's key: %+v, %v, %v", theirs, replayed, err)
	}
	bookSpends(t, e, 2)
	e.wantPoints(t, alice, 5, 15, 0)
	e.wantPoints(t, mallory, 5, 15, 0)
	checkBooks(t, e)
}

// A spend row forged through the API's login (another user's points, beyond their balance, an id
// that is not its key's) is refused by the worker, never booked, and holds nothing afterwards.
func TestForgedSpendIsRefused(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	victim := e.user(t)
	e.grant(t, victim, 50)
	apiPool := dbtest.PoolAs(t, db.RoleAPI)
	forge := func(id uuid.UUID, key string, pts int64) {
		t.Helper()
		if _, err := apiPool.Exec(ctx, `INSERT INTO points_spends (id, user_id, key, amount, purpose, created_at)
			VALUES ($1, $2, $3, $4, 'fee_discount', now())`, id, victim, key, pts); err != nil {
			t.Fatal(err)
		}
	}
	forge(uuid.UUID(points.SpendID(victim, "big")), "big", 5_000)
	forge(uuid.New(), "wrong-id", 10)
	bookSpends(t, e, 2)
	for _, key := range []string{"big"} {
		sp, err := e.api.SpendOf(ctx, victim, uuid.UUID(points.SpendID(victim, key)))
		if err != nil || sp.State() != "refused" {
			t.Fatalf("forged spend %s: %+v, %v", key, sp, err)
		}
	}
	e.wantPoints(t, victim, 50, 0, 0)
	checkBooks(t, e)
}

// The API's login cannot write a spend as booked or refused, nor an amount beyond one spend's;
// a row so forged before migration 00059 (written here as the owner) moves nothing: it does not
// read as booked (its transfer is not in the books), it does not count as spent for expiry, and
// rows whose amounts overflow a bigint when summed stop neither their user's expiry nor others'.
func TestForgedSpendRowsMoveNothing(t *testing.T) {
	owner := dbtest.Own(t)
	e := newEnvOn(t, owner, func(c *points.Config) { c.ExpiryDays = 30 })
	ctx := context.Background()
	clk := newClock(e)
	victim, bad, other := e.user(t), e.user(t), e.user(t)
	for _, u := range []uuid.UUID{victim, bad, other} {
		e.grant(t, u, 100)
	}
	insert := func(pool *pgxpool.Pool, user uuid.UUID, key string, pts int64, extra string) error {
		cols, vals := "", ""
		if extra != "" {
			cols, vals = ", "+extra, ", now()"
			if extra == "refused" {
				vals = ", 'no'"
			}
		}
		_, err := pool.Exec(ctx, `INSERT INTO points_spends (id, user_id, key, amount, purpose, created_at`+cols+`)
			VALUES ($1, $2, $3, $4, 'fee_discount', now()`+vals+`)`, uuid.UUID(points.SpendID(user, key)), user, key, pts)
		return err
	}
	var pgErr *pgconn.PgError
	for _, col := range []string{"booked_at", "refused"} {
		if err := insert(e.apiPool, victim, "forged-"+col, 100, col); !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Fatalf("the API's login writing %s: %v, want permission denied", col, err)
		}
	}
	if err := insert(e.apiPool, victim, "huge", points.MaxSpend+1, ""); !errors.As(err, &pgErr) || pgErr.Code != "23514" {
		t.Fatalf("the API's login writing %d points: %v, want a check violation", int64(points.MaxSpend+1), err)
	}

	// Rows from before 00059, as the owner: a booked one with no transfer, and for bad, two held
	// ones whose sum is beyond a bigint.
	if err := insert(owner, victim, "old-booked", points.MaxSpend, "booked_at"); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Exec(ctx, `ALTER TABLE points_spends DROP CONSTRAINT points_spends_amount_range`); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"overflow-1", "overflow-2"} {
		if err := insert(owner, bad, key, 1<<62+1, ""); err != nil {
			t.Fatal(err)
		}
	}
	sp, err := e.api.SpendOf(ctx, victim, uuid.UUID(points.SpendID(victim, "old-booked")))
	if err != nil || sp.State() == "booked" || sp.BookedAt != nil {
		t.Fatalf("a forged booked row: %+v, %v; want not booked", sp, err)
	}

	clk.advance(31 * 24 * time.Hour)
	n, err := e.worker.ExpireDue(ctx, 2)
	if err != nil || n != 3 {
		t.Fatalf("expiry: %d users, %v; want all 3 looked at", n, err)
	}
	e.wantPoints(t, victim, 0, 0, 100) // the forged booked row spent nothing
	e.wantPoints(t, other, 0, 0, 100)
	if b := e.balance(t, bad); b.Expired != 0 {
		t.Fatalf("bad's points are all held by its forged rows: %+v, nothing expires", b)
	}
	// The worker refuses the out-of-range rows; bad's points then expire.
	bookSpends(t, e, 2)
	clk.advance(24 * time.Hour)
	e.grant(t, bad, 1) // a new grant makes bad due again
	clk.advance(31 * 24 * time.Hour)
	if _, err := e.worker.ExpireDue(ctx, 2); err != nil {
		t.Fatal(err)
	}
	e.wantPoints(t, bad, 0, 0, 101)
	checkBooks(t, e)
}

// Grants expire after ExpiryDays, oldest first: spends use the oldest grants' points, so only what
// is left of a grant past its lifetime expires, once, however often the job runs; the expired
// points leave available for the expired account, the history shows the expiry, the level keeps
// counting them, and the books check.
func TestExpiryIsFIFOAndOnce(t *testing.T) {
	e := newEnvOn(t, dbtest.Own(t), func(c *points.Config) { c.ExpiryDays = 30 }) // its own expiry cursor
	ctx := context.Background()
	clk := newClock(e)
	user, fresh := e.user(t), e.user(t)
	expire := func(wantUsers int) {
		t.Helper()
		if n, err := e.worker.ExpireDue(ctx, 2); err != nil || n != wantUsers {
			t.Fatalf("expiry looked at %d users, %v; want %d", n, err, wantUsers)
		}
	}
	e.grant(t, user, 100) // A, day 0
	clk.advance(10 * 24 * time.Hour)
	e.grant(t, user, 50) // B, day 10
	clk.advance(10 * 24 * time.Hour)
	e.spend(t, user, "day-20", 120) // all of A, 20 of B (held, not booked yet)
	e.grant(t, fresh, 10)           // day 20
	expire(0)                       // nothing is 30 days old
	clk.advance(11 * 24 * time.Hour)
	expire(1) // day 31: A is due, and all spent
	e.wantPoints(t, user, 30, 120, 0)
	bookSpends(t, e, 1)
	clk.advance(10 * 24 * time.Hour)
	expire(1) // day 41: B is due, 30 of it unspent
	e.wantPoints(t, user, 0, 120, 30)
	expire(0)
	e.wantPoints(t, user, 0, 120, 30)
	h, err := e.api.History(ctx, user, 0, 1)
	if err != nil || len(h) != 1 || h[0].Kind != "expiry" || h[0].Points != -30 || h[0].Transfer != points.ExpiryID(user, 30) {
		t.Fatalf("history: %+v, %v", h, err)
	}
	e.wantPoints(t, fresh, 10, 0, 0) // granted on day 20: not due on day 41
	clk.advance(10 * 24 * time.Hour)
	// Day 51: fresh's grant first comes due, and three workers race to expire it: one books it,
	// the others, waiting for the user's lock, find nothing more due (and a replay would derive
	// the same id): one expiry transfer, 10 points expired.
	var wg sync.WaitGroup
	var looked atomic.Int64
	start := make(chan struct{})
	for range 3 {
		wg.Go(func() {
			<-start
			n, err := e.worker.ExpireDue(ctx, 10)
			if err != nil {
				t.Error(err)
			}
			looked.Add(int64(n))
		})
	}
	close(start)
	wg.Wait()
	if looked.Load() < 1 {
		t.Fatal("no worker looked at fresh's grant")
	}
	e.wantPoints(t, fresh, 0, 0, 10)
	h, err = e.api.History(ctx, fresh, 0, 10)
	var expiries []points.Entry
	for _, x := range h {
		if x.Kind == "expiry" {
			expiries = append(expiries, x)
		}
	}
	if err != nil || len(expiries) != 1 || expiries[0].Points != -10 || expiries[0].Transfer != points.ExpiryID(fresh, 10) {
		t.Fatalf("fresh's expiries: %+v (history %+v), %v; want one of 10", expiries, h, err)
	}
	if b := e.balance(t, fresh); b.Total != 10 {
		t.Fatalf("expiry lowered the total: %+v", b)
	}
	checkBooks(t, e)
}

// ExpiryDays 0 keeps points for ever; a grant reversed before it came due does not expire, and a
// reversal of a grant whose points were spent takes back only what is left.
func TestExpiryNeverAndReversals(t *testing.T) {
	e := newEnv(t, func(c *points.Config) { c.ExpiryDays = 0 })
	ctx := context.Background()
	clk := newClock(e)
	user := e.user(t)
	e.grant(t, user, 10)
	clk.advance(100 * 365 * 24 * time.Hour)
	if n, err := e.worker.ExpireDue(ctx, 10); err != nil || n != 0 {
		t.Fatalf("expiry with expiryDays 0: %d, %v", n, err)
	}
	e.wantPoints(t, user, 10, 0, 0)

	e = newEnv(t, func(c *points.Config) { c.ExpiryDays = 30 })
	clk = newClock(e)
	buyer, seller := e.user(t), e.user(t)
	e.grant(t, buyer, 20)
	clk.advance(time.Hour)
	d := deal(buyer, seller, 150, points.Completed) // 50 each
	apply(t, e.worker, d)
	e.spend(t, buyer, "s", 60) // oldest first: the grant's 20 and 40 of the deal's
	bookSpends(t, e, 1)
	d.Outcome = points.Refunded
	apply(t, e.worker, d) // 10 of the deal's are left: only those are taken back
	apply(t, e.worker, d)
	e.wantPoints(t, buyer, 0, 60, 0)
	e.wantPoints(t, seller, 0, 0, 0)
	h, err := e.api.History(ctx, buyer, 0, 1)
	if err != nil || len(h) != 1 || h[0].Kind != "reversal" || h[0].Points != -10 {
		t.Fatalf("buyer's history: %+v, %v", h, err)
	}
	clk.advance(31 * 24 * time.Hour)
	if _, err := e.worker.ExpireDue(ctx, 10); err != nil {
		t.Fatal(err)
	}
	e.wantPoints(t, buyer, 0, 60, 0)
	e.wantPoints(t, seller, 0, 0, 0) // reversed whole: nothing to expire
	checkBooks(t, e)
}

// A referrer's reward is taken back when the deal that earned it is refunded later (even when the
// referred user's own points from it are spent): once, however often the refund is booked; the
// referral is reversed and never earns again; the refund of another deal of the referred user
// takes nothing.
func TestReferralRewardReversedOnRefund(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	referrer, other := e.user(t), e.user(t)
	code, err := e.api.Code(ctx, referrer)
	if err != nil {
		t.Fatal(err)
	}
	referred := e.record(t, code)
	first := deal(referred, other, 10, points.Completed)
	apply(t, e.worker, first)
	second := deal(other, referred, 10, points.Completed)
	apply(t, e.worker, second)
	e.wantAvailable(t, referrer, 100)
	e.spend(t, referred, "all", 20) // the referred user's own points are gone: the reward goes all the same
	bookSpends(t, e, 1)
	second.Outcome = points.Refunded
	apply(t, e.worker, second) // not the deal that earned the reward
	e.wantAvailable(t, referrer, 100)
	first.Outcome = points.Refunded
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if err := e.worker.Apply(ctx, first); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	e.wantAvailable(t, referrer, 0)
	h, err := e.api.History(ctx, referrer, 0, 10)
	if err != nil || len(h) != 2 || h[0].Kind != "reversal" || h[0].Points != -100 || h[0].Transfer != points.ReversalID(points.ReferralID(referred)) {
		t.Fatalf("referrer's history: %+v, %v", h, err)
	}
	rs, err := e.api.Referrals(ctx, referrer, points.ReferralPage{Limit: 10})
	if err != nil || len(rs) != 1 || rs[0].Status != "reversed" {
		t.Fatalf("referrals: %+v, %v", rs, err)
	}
	apply(t, e.worker, deal(referred, other, 10, points.Completed))
	e.wantAvailable(t, referrer, 0)
	checkBooks(t, e)
}

// Racing refunds of a deal whose owner has other points reverse the grant once, in full: a
// refund that waited for another's lock reads the reversal booked, not what is left after it.
func TestRacingRefundsWithOtherPoints(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	buyer, seller := e.user(t), e.user(t)
	d := deal(buyer, seller, 2_000, points.Completed) // 200 each
	apply(t, e.worker, d)
	e.grant(t, buyer, 100)
	d.Outcome = points.Refunded
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := e.worker.Apply(ctx, d); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	e.wantPoints(t, buyer, 100, 0, 0)
	e.wantPoints(t, seller, 0, 0, 0)
	checkBooks(t, e)
}

// A reversal takes back only what is left of its grant, counted oldest first as expiry counts
// (the reviewer's example): grant A on day 0, grant B on day 10, 30 days to expire; A expires on
// day 31; A's refund on day 35 takes back nothing, not B's points. A grant partly spent gives back
// its rest.
func TestReversalTakesOnlyWhatIsLeftOfItsGrant(t *testing.T) {
	e := newEnvOn(t, dbtest.Own(t), func(c *points.Config) { c.ExpiryDays = 30 }) // its own expiry cursor
	ctx := context.Background()
	clk := newClock(e)
	buyer, seller := e.user(t), e.user(t)
	a := deal(buyer, seller, 150, points.Completed) // A: 50 each, day 0
	apply(t, e.worker, a)
	clk.advance(10 * 24 * time.Hour)
	e.grant(t, buyer, 100) // B, day 10
	clk.advance(21 * 24 * time.Hour)
	if _, err := e.worker.ExpireDue(ctx, 10); err != nil { // day 31: A expires
		t.Fatal(err)
	}
	e.wantPoints(t, buyer, 100, 0, 50)
	clk.advance(4 * 24 * time.Hour)
	a.Outcome = points.Refunded
	apply(t, e.worker, a) // day 35
	e.wantPoints(t, buyer, 100, 0, 50)
	e.wantPoints(t, seller, 0, 0, 50)
	h, err := e.api.History(ctx, buyer, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range h {
		if x.Kind == "reversal" {
			t.Fatalf("A's refund took back %d points of B's: %+v", x.Points, h)
		}
	}
	// B's points expire on day 41, all of them: the refund took none.
	clk.advance(7 * 24 * time.Hour)
	if _, err := e.worker.ExpireDue(ctx, 10); err != nil {
		t.Fatal(err)
	}
	e.wantPoints(t, buyer, 0, 0, 150)

	// Partly spent: C 40 then D 30; 50 spent (all of C, 10 of D): D's refund takes back 20.
	u, other := e.user(t), e.user(t)
	e.grant(t, u, 40)
	clk.advance(time.Hour)
	d := deal(u, other, 90, points.Completed) // 30 each
	apply(t, e.worker, d)
	e.spend(t, u, "fifty", 50)
	d.Outcome = points.Refunded
	apply(t, e.worker, d)
	e.wantPoints(t, u, 0, 50, 0)
	checkBooks(t, e)
}
