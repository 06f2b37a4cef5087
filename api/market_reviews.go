package api

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/market"
)

// Reviews of finished deals (package market) and the public profile that shows what they add up
// to: the display name from auth, the ratings and reviews from market.

func (v *v1) CreateMarketReview(ctx context.Context, req openapi.CreateMarketReviewRequestObject) (openapi.CreateMarketReviewResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := m.CreateReview(ctx, who, req.RequestId, reviewIn(*req.Body))
	if err != nil {
		return nil, err
	}
	return openapi.CreateMarketReview201JSONResponse(reviewBody(*r)), nil
}

func (v *v1) EditMarketReview(ctx context.Context, req openapi.EditMarketReviewRequestObject) (openapi.EditMarketReviewResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := m.EditReview(ctx, who, req.RequestId, reviewIn(*req.Body))
	if err != nil {
		return nil, err
	}
	return openapi.EditMarketReview200JSONResponse(reviewBody(*r)), nil
}

func (v *v1) ListMarketRequestReviews(ctx context.Context, req openapi.ListMarketRequestReviewsRequestObject) (openapi.ListMarketRequestReviewsResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := m.Reviews(ctx, who, req.RequestId)
	if err != nil {
		return nil, err
	}
	out := openapi.ListMarketRequestReviews200JSONResponse{Items: make([]openapi.MarketReview, len(rs))}
	for i, r := range rs {
		out.Items[i] = reviewBody(r)
	}
	return out, nil
}

// GetUserProfile is public: the user's chosen name and words, ratings and a page of reviews.
func (v *v1) GetUserProfile(ctx context.Context, req openapi.GetUserProfileRequestObject) (openapi.GetUserProfileResponseObject, error) {
	if v.market == nil {
		return nil, errNoMarket
	}
	after, n, err := marketPage(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	p, err := v.auth.Profile(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	ratings, err := v.market.UserRatings(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	rs, err := v.market.UserReviews(ctx, req.UserId, after, n+1)
	if err != nil {
		return nil, err
	}
	// The cursor is keyed on the author (shown anyway), never the request it would reveal.
	rs, next := pageEnd(rs, n, func(r market.Review) (time.Time, uuid.UUID) { return r.CreatedAt, r.AuthorID })
	out := openapi.GetUserProfile200JSONResponse{Id: p.ID, DisplayName: p.DisplayName, Bio: p.Bio, AvatarUrl: p.AvatarURL,
		MemberSince: p.MemberSince, SellerRating: ratingBody(ratings.AsSeller), BuyerRating: ratingBody(ratings.AsBuyer),
		Reviews: make([]openapi.PublicReview, len(rs)), NextCursor: next}
	for i, r := range rs {
		out.Reviews[i] = openapi.PublicReview{AuthorId: r.AuthorID, SubjectSide: openapi.ReviewSide(r.Subject), Rating: r.Rating,
			Text: r.Text, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	}
	return out, nil
}

func reviewIn(b openapi.MarketReviewInput) market.ReviewInput {
	return market.ReviewInput{Rating: b.Rating, Text: deref(b.Text)}
}

func reviewBody(r market.Review) openapi.MarketReview {
	return openapi.MarketReview{RequestId: r.RequestID, AuthorId: r.AuthorID, SubjectId: r.SubjectID,
		SubjectSide: openapi.ReviewSide(r.Subject), Rating: r.Rating, Text: r.Text, CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt, EditableUntil: r.EditableUntil}
}

func ratingBody(r market.Rating) openapi.Rating {
	return openapi.Rating{Reviews: r.Reviews, Tenths: r.Tenths(), Average: optString(r.Average())}
}
