package market

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/amanat/amn/market/internal/marketdb"
)

// Rating sums the reviews a user got on one side of their deals. It is integers only: the
// average is derived (Tenths, Average), never stored or summed as a float.
type Rating struct {
	Reviews int64 // how many
	Total   int64 // the sum of their ratings (1 to 5 each)
}

// Tenths is the average rating in tenths of a star, rounded half up (4.25 → 43); 0 without reviews.
func (r Rating) Tenths() int64 {
	if r.Reviews <= 0 {
		return 0
	}
	return (20*r.Total + r.Reviews) / (2 * r.Reviews)
}

// Average is the average rating to one decimal ("4.3"); "" without reviews.
func (r Rating) Average() string {
	if r.Reviews <= 0 {
		return ""
	}
	t := r.Tenths()
	return fmt.Sprintf("%d.%d", t/10, t%10)
}

// Ratings are what a user's reviews add up to, as a seller and as a buyer.
type Ratings struct {
	AsSeller, AsBuyer Rating
}

// UserRatings sums the reviews of user, by the side they were on. Public.
func (s *Service) UserRatings(ctx context.Context, user uuid.UUID) (Ratings, error) {
	rows, err := s.q.SubjectRatings(ctx, user)
	if err != nil {
		return Ratings{}, err
	}
	var out Ratings
	for _, r := range rows {
		if r.AsSeller {
			out.AsSeller = Rating{Reviews: r.Reviews, Total: r.Total}
		} else {
			out.AsBuyer = Rating{Reviews: r.Reviews, Total: r.Total}
		}
	}
	return out, nil
}

// UserReviews lists the reviews of user, newest first, a page after the cursor (At: created,
// ID: the author, who is shown anyway; never the request, which a cursor would reveal). Public:
// the API shows them without the request.
func (s *Service) UserReviews(ctx context.Context, user uuid.UUID, after Cursor, n int) ([]Review, error) {
	at, id := after.args()
	rows, err := s.q.SubjectReviews(ctx, marketdb.SubjectReviewsParams{SubjectID: user, AfterAt: at, AfterID: id, Lim: limit(n)})
	if err != nil {
		return nil, err
	}
	out := make([]Review, len(rows))
	for i, r := range rows {
		side := AsBuyer
		if r.AsSeller {
			side = AsSeller
		}
		out[i] = Review{RequestID: r.RequestID, AuthorID: r.AuthorID, SubjectID: user, Subject: side, Rating: int(r.Rating),
			Text: r.Body, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, EditableUntil: r.CreatedAt.Add(ReviewEditWindow)}
	}
	return out, nil
}
