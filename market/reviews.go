package market

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/market/internal/marketdb"
)

// Reviews: once a deal is finished — completed, or cancelled by a refund that ended a dispute —
// its buyer and the seller of its accepted offer may each review the other once: a rating of 1 to
// 5 and a text. The author may edit its review for ReviewEditWindow after writing it, then it is
// fixed. Nobody else writes, edits or reads a deal's reviews (admins read them); the reviews of a
// user, and the ratings they make, are public on the user's profile.

// ReviewEditWindow is how long after writing it a review's author may still edit it.
const ReviewEditWindow = 14 * 24 * time.Hour

// MaxReviewText is the most characters a review's text may hold.
const MaxReviewText = 2000

// The reviews' errors.
var (
	ErrNotReviewable = kind.New(kind.Conflict, "the deal is not finished: only a completed deal, or one a refund ended after a dispute, is reviewed")
	ErrReviewExists  = kind.New(kind.Conflict, "you have already reviewed this deal: edit your review instead")
	ErrReviewNF      = kind.New(kind.NotFound, "no such review")
	ErrReviewLocked  = kind.New(kind.Refused, "a review can be edited only within 14 days of writing it")
)

// Side is which side of a deal a review's subject was on.
type Side string

// The sides.
const (
	AsSeller Side = "seller" // the buyer reviewed the seller
	AsBuyer  Side = "buyer"  // the seller reviewed the buyer
)

// Review is one party's review of the other.
type Review struct {
	RequestID uuid.UUID
	AuthorID  uuid.UUID
	SubjectID uuid.UUID
	Subject   Side // the side the subject was on
	Rating    int
	Text      string
	CreatedAt time.Time
	UpdatedAt time.Time
	// EditableUntil is when the author's edits end (CreatedAt + ReviewEditWindow).
	EditableUntil time.Time
}

// ReviewInput is what an author writes.
type ReviewInput struct {
	Rating int
	Text   string
}

func (in ReviewInput) check() (ReviewInput, error) {
	in.Text = strings.TrimSpace(in.Text)
	switch {
	case in.Rating < 1 || in.Rating > 5:
		return in, invalid("rating must be 1 to 5")
	case !utf8.ValidString(in.Text):
		return in, invalid("text must be UTF-8")
	case utf8.RuneCountInString(in.Text) > MaxReviewText:
		return in, invalid("text must be at most %d characters", MaxReviewText)
	}
	return in, nil
}

// deal is a request's parties: its buyer and the seller of its accepted offer (Nil without one).
type deal struct {
	request marketdb.MarketRequest
	seller  uuid.UUID
}

func (s *Service) deal(ctx context.Context, q *marketdb.Queries, id uuid.UUID) (deal, error) {
	m, err := q.RequestByID(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return deal{}, ErrNotFound
	}
	if err != nil {
		return deal{}, err
	}
	d := deal{request: m}
	if m.AcceptedOffer.Valid {
		d.seller, err = q.AcceptedSeller(ctx, m.AcceptedOffer.UUID)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return deal{}, err
		}
	}
	return d, nil
}

// party says whether user is one of the deal's two parties.
func (d deal) party(user uuid.UUID) bool {
	return user != uuid.Nil && (user == d.request.BuyerID || user == d.seller)
}

// other is the party a user reviews, and the side it was on. A user who is not a party gets
// ErrNotFound (a seller whose offer was not accepted included: the deal is not theirs); the
// buyer of a request without an accepted offer, ErrNotReviewable.
func (d deal) other(user uuid.UUID) (uuid.UUID, Side, error) {
	switch {
	case !d.party(user):
		return uuid.Nil, "", ErrNotFound
	case d.seller == uuid.Nil:
		return uuid.Nil, "", fmt.Errorf("%w (no offer was accepted)", ErrNotReviewable)
	case user == d.request.BuyerID:
		return d.seller, AsSeller, nil
	}
	return d.request.BuyerID, AsBuyer, nil
}

// reviewable says whether the deal is finished: completed, or cancelled by a refund that came
// from disputed (its events say so).
func (s *Service) reviewable(ctx context.Context, q *marketdb.Queries, d deal) error {
	switch Status(d.request.Status) {
	case Completed:
		return nil
	case Cancelled:
		ended, err := q.EndedAfterDispute(ctx, d.request.ID)
		if err != nil || ended {
			return err
		}
	}
	return fmt.Errorf("%w (it is %s)", ErrNotReviewable, d.request.Status)
}

// CreateReview writes the caller's review of the other party of a finished deal. A second one is
// ErrReviewExists, however many are sent at once.
func (s *Service) CreateReview(ctx context.Context, author Caller, requestID uuid.UUID, in ReviewInput) (*Review, error) {
	d, err := s.deal(ctx, s.q, requestID)
	if err != nil {
		return nil, err
	}
	subject, _, err := d.other(author.UserID)
	if err != nil {
		return nil, err
	}
	if err := s.reviewable(ctx, s.q, d); err != nil {
		return nil, err
	}
	if in, err = in.check(); err != nil {
		return nil, err
	}
	n, err := s.q.InsertReview(ctx, marketdb.InsertReviewParams{RequestID: requestID, AuthorID: author.UserID,
		SubjectID: subject, Rating: int32(in.Rating), Body: in.Text, CreatedAt: s.clock()})
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, ErrReviewExists
	}
	return s.review(ctx, d, author.UserID)
}

// EditReview changes the caller's own review of a deal, within ReviewEditWindow of writing it
// (after: ErrReviewLocked). Anyone without a review there gets ErrReviewNF.
func (s *Service) EditReview(ctx context.Context, author Caller, requestID uuid.UUID, in ReviewInput) (*Review, error) {
	in, err := in.check()
	if err != nil {
		return nil, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		r, err := q.LockReview(ctx, marketdb.LockReviewParams{RequestID: requestID, AuthorID: author.UserID})
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrReviewNF
		}
		if err != nil {
			return err
		}
		now := s.clock()
		if now.After(r.CreatedAt.Add(ReviewEditWindow)) {
			return ErrReviewLocked
		}
		return q.UpdateReview(ctx, marketdb.UpdateReviewParams{RequestID: requestID, AuthorID: author.UserID,
			Rating: int32(in.Rating), Body: in.Text, UpdatedAt: now})
	})
	if err != nil {
		return nil, err
	}
	d, err := s.deal(ctx, s.q, requestID)
	if err != nil {
		return nil, err
	}
	return s.review(ctx, d, author.UserID)
}

func (s *Service) review(ctx context.Context, d deal, author uuid.UUID) (*Review, error) {
	rs, err := s.q.RequestReviews(ctx, d.request.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if r.AuthorID == author {
			v := reviewOf(d, r)
			return &v, nil
		}
	}
	return nil, ErrReviewNF
}

func reviewOf(d deal, r marketdb.MarketReview) Review {
	side := AsBuyer
	if r.AuthorID == d.request.BuyerID {
		side = AsSeller
	}
	return Review{RequestID: r.RequestID, AuthorID: r.AuthorID, SubjectID: r.SubjectID, Subject: side, Rating: int(r.Rating),
		Text: r.Body, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, EditableUntil: r.CreatedAt.Add(ReviewEditWindow)}
}

// Reviews lists a deal's reviews (at most two) for its parties and admins; anyone else gets
// ErrNotFound.
func (s *Service) Reviews(ctx context.Context, who Caller, requestID uuid.UUID) ([]Review, error) {
	d, err := s.deal(ctx, s.q, requestID)
	if err != nil {
		return nil, err
	}
	if !d.party(who.UserID) && !who.Admin {
		return nil, ErrNotFound
	}
	rs, err := s.q.RequestReviews(ctx, requestID)
	if err != nil {
		return nil, err
	}
	out := make([]Review, len(rs))
	for i, r := range rs {
		out[i] = reviewOf(d, r)
	}
	return out, nil
}
