package market_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// aDeal is a request whose buyer accepted seller's offer over loser's (rejected), its payment
// awaiting the buyer's money, the checkout signed.
type aDeal struct {
	r                    *market.Request
	p                    *payment.Payment
	buyer, seller, loser market.Caller
}

const dealPrice = 1_000_000

func (w *world) deal(t *testing.T) aDeal {
	t.Helper()
	return w.dealWith(t, w.user(t))
}

// dealWith is deal with seller's offer accepted.
func (w *world) dealWith(t *testing.T, seller market.Caller) aDeal {
	t.Helper()
	d := aDeal{buyer: w.user(t), seller: seller, loser: w.user(t)}
	d.r = w.request(t, d.buyer)
	o := w.offer(t, d.r, d.seller, dealPrice)
	w.offer(t, d.r, d.loser, dealPrice-1)
	a, err := w.m.Accept(context.Background(), d.buyer, d.r.ID, o.ID, o.Revision)
	if err != nil {
		t.Fatal(err)
	}
	paymenttest.ProveBuyer(t, w.payments, a.Payment, paymenttest.Buyer())
	d.p = a.Payment
	return d
}

// follows runs the worker's Follow and checks where the deal's request ends.
func (w *world) follows(t *testing.T, d aDeal, want market.Status) {
	t.Helper()
	if _, err := follower(t).Follow(context.Background(), 500); err != nil {
		t.Fatal(err)
	}
	if s := w.status(t, d.r); s != want {
		t.Fatalf("request %s, want %s", s, want)
	}
}

// completed is a deal played to its end: paid, swept into the escrow, released on chain, followed.
func (w *world) completed(t *testing.T) aDeal {
	t.Helper()
	return w.complete(t, w.deal(t))
}

func (w *world) complete(t *testing.T, d aDeal) aDeal {
	t.Helper()
	c := roles(t)
	c.deposit(t, d.p, dealPrice, payment.Funded)
	c.escrow(t, d.p)
	if _, err := c.indexer.Released(context.Background(), d.p.ID); err != nil {
		t.Fatal(err)
	}
	w.follows(t, d, market.Completed)
	return d
}

// disputedThenRefunded is a paid deal that a party disputed (written as the dispute slice will:
// status, resume_to and the event row) and that a refund then ended: cancelled from disputed.
func (w *world) disputedThenRefunded(t *testing.T) aDeal {
	t.Helper()
	ctx := context.Background()
	d, c := w.deal(t), roles(t)
	c.deposit(t, d.p, dealPrice, payment.Funded)
	c.escrow(t, d.p)
	w.follows(t, d, market.Processing)
	if _, err := w.owner.Exec(ctx, `UPDATE market_requests SET status = 'disputed', resume_to = 'processing' WHERE id = $1`, d.r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.owner.Exec(ctx, `INSERT INTO market_events (request_id, seq, event, actor, actor_id, from_status, to_status)
		SELECT $1, max(seq) + 1, 'dispute', 'buyer', $2, 'processing', 'disputed' FROM market_events WHERE request_id = $1`, d.r.ID, d.buyer.UserID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.indexer.Refunded(ctx, d.p.ID); err != nil {
		t.Fatal(err)
	}
	w.follows(t, d, market.Cancelled)
	return d
}

// Each party of a completed deal reviews the other once; nobody else can write, edit or read the
// deal's reviews (admins read them); a review is edited by its author within 14 days, not after.
func TestReviewsOfACompletedDeal(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	d := w.completed(t)
	third, admin := w.user(t), market.Caller{UserID: w.user(t).UserID, Admin: true}

	byBuyer, err := w.m.CreateReview(ctx, d.buyer, d.r.ID, market.ReviewInput{Rating: 5, Text: "  Great lens  "})
	if err != nil {
		t.Fatal(err)
	}
	if byBuyer.SubjectID != d.seller.UserID || byBuyer.Subject != market.AsSeller || byBuyer.Text != "Great lens" ||
		!byBuyer.EditableUntil.Equal(byBuyer.CreatedAt.Add(14*24*time.Hour)) {
		t.Fatalf("the buyer's review %+v", byBuyer)
	}
	bySeller, err := w.m.CreateReview(ctx, d.seller, d.r.ID, market.ReviewInput{Rating: 4, Text: "Paid fast"})
	if err != nil || bySeller.SubjectID != d.buyer.UserID || bySeller.Subject != market.AsBuyer {
		t.Fatalf("the seller's review %+v, %v", bySeller, err)
	}
	_, err = w.m.CreateReview(ctx, d.buyer, d.r.ID, market.ReviewInput{Rating: 1})
	wantKind(t, "a second review", err, market.ErrReviewExists)

	for name, who := range map[string]market.Caller{"a third user": third, "the rejected seller": d.loser, "an admin": admin, "anonymous": {}} {
		_, err := w.m.CreateReview(ctx, who, d.r.ID, market.ReviewInput{Rating: 1, Text: "forged"})
		wantKind(t, name+" reviewing", err, kind.NotFound)
		_, err = w.m.EditReview(ctx, who, d.r.ID, market.ReviewInput{Rating: 1, Text: "forged"})
		wantKind(t, name+" editing", err, kind.NotFound)
		if who.Admin {
			continue
		}
		_, err = w.m.Reviews(ctx, who, d.r.ID)
		wantKind(t, name+" reading", err, kind.NotFound)
	}
	_, err = w.m.CreateReview(ctx, d.buyer, uuid.New(), market.ReviewInput{Rating: 5})
	wantKind(t, "a review of no request", err, kind.NotFound)

	for _, who := range []market.Caller{d.buyer, d.seller, admin} {
		rs, err := w.m.Reviews(ctx, who, d.r.ID)
		if err != nil || len(rs) != 2 || rs[0].Rating+rs[1].Rating != 9 {
			t.Fatalf("reviews as %v: %+v, %v", who, rs, err)
		}
	}

	// Edits: the author's own, within the window; the text stays the author's.
	later := w.m.WithClock(func() time.Time { return byBuyer.CreatedAt.Add(14*24*time.Hour - time.Minute) })
	if r, err := later.EditReview(ctx, d.buyer, d.r.ID, market.ReviewInput{Rating: 4, Text: "Good lens"}); err != nil || r.Rating != 4 ||
		r.Text != "Good lens" || !r.UpdatedAt.After(r.CreatedAt) {
		t.Fatalf("edit within the window: %+v, %v", r, err)
	}
	tooLate := w.m.WithClock(func() time.Time { return byBuyer.CreatedAt.Add(14*24*time.Hour + time.Second) })
	_, err = tooLate.EditReview(ctx, d.buyer, d.r.ID, market.ReviewInput{Rating: 1, Text: "changed my mind"})
	wantKind(t, "an edit after 14 days", err, market.ErrReviewLocked)
	wantKind(t, "an edit after 14 days", err, kind.Refused)
	rs, _ := w.m.Reviews(ctx, d.seller, d.r.ID)
	for _, r := range rs {
		if r.AuthorID == d.buyer.UserID && (r.Rating != 4 || r.Text != "Good lens") {
			t.Fatalf("a refused edit changed the review: %+v", r)
		}
	}
}

// Sent many times at once, a review is written once.
func TestConcurrentReviewsWriteOne(t *testing.T) {
	w := newWorld(t, nil)
	d := w.completed(t)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := w.m.CreateReview(context.Background(), d.seller, d.r.ID, market.ReviewInput{Rating: 3})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, market.ErrReviewExists):
			t.Errorf("a concurrent review: %v", err)
		}
	}
	var n int
	if err := w.owner.QueryRow(context.Background(), `SELECT count(*) FROM market_reviews WHERE request_id = $1`, d.r.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if ok != 1 || n != 1 {
		t.Fatalf("%d accepted, %d rows; want 1 and 1", ok, n)
	}
}

// Only a finished deal is reviewed: not one awaiting its payment or in progress, not one a refund
// cancelled without a dispute; one a refund ended after a dispute is.
func TestReviewsNeedAFinishedDeal(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	c := roles(t)
	review := func(d aDeal) error {
		_, err := w.m.CreateReview(ctx, d.buyer, d.r.ID, market.ReviewInput{Rating: 5})
		return err
	}

	open := w.user(t)
	r := w.request(t, open)
	_, err := w.m.CreateReview(ctx, open, r.ID, market.ReviewInput{Rating: 5})
	wantKind(t, "an open request", err, market.ErrNotReviewable)

	unpaid := w.deal(t)
	wantKind(t, "a deal awaiting its payment", review(unpaid), market.ErrNotReviewable)

	paid := w.deal(t)
	c.deposit(t, paid.p, dealPrice, payment.Funded)
	w.follows(t, paid, market.Processing)
	wantKind(t, "a deal in progress", review(paid), market.ErrNotReviewable)

	c.escrow(t, paid.p)
	if _, err := c.indexer.Refunded(ctx, paid.p.ID); err != nil {
		t.Fatal(err)
	}
	w.follows(t, paid, market.Cancelled)
	wantKind(t, "a deal refunded without a dispute", review(paid), market.ErrNotReviewable)

	disputed := w.disputedThenRefunded(t)
	if err := review(disputed); err != nil {
		t.Fatalf("a deal refunded after a dispute: %v", err)
	}
	if _, err := w.m.CreateReview(ctx, disputed.seller, disputed.r.ID, market.ReviewInput{Rating: 2}); err != nil {
		t.Fatalf("its seller: %v", err)
	}
	_, err = w.m.CreateReview(ctx, disputed.loser, disputed.r.ID, market.ReviewInput{Rating: 2})
	wantKind(t, "its rejected seller", err, kind.NotFound)
}

// Ratings outside 1–5 and text over 2000 characters are refused; 2000 characters of any script fit.
func TestReviewInputIsChecked(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	d := w.completed(t)
	for name, in := range map[string]market.ReviewInput{
		"rating 0":   {Rating: 0, Text: "x"},
		"rating 6":   {Rating: 6, Text: "x"},
		"rating -1":  {Rating: -1},
		"2001 chars": {Rating: 5, Text: strings.Repeat("ж", 2001)},
		"bad UTF-8":  {Rating: 5, Text: "\xff\xfe"},
	} {
		_, err := w.m.CreateReview(ctx, d.buyer, d.r.ID, in)
		wantKind(t, name, err, kind.Invalid)
	}
	r, err := w.m.CreateReview(ctx, d.buyer, d.r.ID, market.ReviewInput{Rating: 5, Text: strings.Repeat("ж", 2000)})
	if err != nil || len([]rune(r.Text)) != 2000 {
		t.Fatalf("2000 characters: %v", err)
	}
	_, err = w.m.EditReview(ctx, d.buyer, d.r.ID, market.ReviewInput{Rating: 6})
	wantKind(t, "an edit to rating 6", err, kind.Invalid)
}

// The average is integer tenths, rounded half up; nothing sums floats.
func TestRatingTenths(t *testing.T) {
	for _, c := range []struct {
		n, total, tenths int64
		avg              string
	}{
		{0, 0, 0, ""}, {1, 5, 50, "5.0"}, {1, 1, 10, "1.0"}, {3, 13, 43, "4.3"}, {4, 17, 43, "4.3"}, // 4.25 rounds up
		{2, 3, 15, "1.5"}, {3, 10, 33, "3.3"}, {6, 25, 42, "4.2"}, {3, 14, 47, "4.7"},
		{1_000_000, 4_999_999, 50, "5.0"}, {1_000_000, 4_949_999, 49, "4.9"},
	} {
		r := market.Rating{Reviews: c.n, Total: c.total}
		if r.Tenths() != c.tenths || r.Average() != c.avg {
			t.Errorf("%d reviews summing %d: %d tenths %q, want %d %q", c.n, c.total, r.Tenths(), r.Average(), c.tenths, c.avg)
		}
	}
}

// A user's ratings add up by side (seller, buyer); their reviews page newest first.
func TestUserRatingsAndReviews(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	seller := w.user(t)
	d1 := w.complete(t, w.dealWith(t, seller))
	d2 := w.complete(t, w.dealWith(t, seller))
	for _, x := range []struct {
		d      aDeal
		author market.Caller
		rating int
	}{{d1, d1.buyer, 5}, {d2, d2.buyer, 4}, {d1, seller, 3}} {
		if _, err := w.m.CreateReview(ctx, x.author, x.d.r.ID, market.ReviewInput{Rating: x.rating, Text: "ok"}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := w.m.UserRatings(ctx, seller.UserID)
	if err != nil || got.AsSeller != (market.Rating{Reviews: 2, Total: 9}) || got.AsBuyer != (market.Rating{}) || got.AsSeller.Average() != "4.5" {
		t.Fatalf("the seller's ratings %+v, %v", got, err)
	}
	if got, _ := w.m.UserRatings(ctx, d1.buyer.UserID); got.AsBuyer != (market.Rating{Reviews: 1, Total: 3}) || got.AsSeller != (market.Rating{}) {
		t.Fatalf("the buyer's ratings %+v", got)
	}
	first, err := w.m.UserReviews(ctx, seller.UserID, market.Cursor{}, 1)
	if err != nil || len(first) != 1 || first[0].Rating != 4 || first[0].Subject != market.AsSeller {
		t.Fatalf("the first page %+v, %v", first, err)
	}
	next, err := w.m.UserReviews(ctx, seller.UserID, market.Cursor{At: first[0].CreatedAt, ID: first[0].AuthorID}, 10)
	if err != nil || len(next) != 1 || next[0].Rating != 5 {
		t.Fatalf("the next page %+v, %v", next, err)
	}
}
