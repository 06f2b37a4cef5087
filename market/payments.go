package market

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/payment"
)

// The payment of a deal as its parties see it. The request knows its payment's id; everything
// the view shows about money is read from package payment (the payment row, its timeline, and the
// ledger's transfers through payment.Books), never from a copy here.

// ErrPaymentNF is a payment the caller may not see, or that does not exist: the two look alike.
var ErrPaymentNF = kind.New(kind.NotFound, "no such payment")

// PaymentParty says which request holds the payment when the caller may see it: the request's
// buyer and the seller of its accepted offer may, and admins (for any payment; the request is
// uuid.Nil when none holds it). Anyone else gets ErrPaymentNF.
func (s *Service) PaymentParty(ctx context.Context, who Caller, paymentID uuid.UUID) (uuid.UUID, error) {
	row, err := s.q.PaymentParties(ctx, uuid.NullUUID{UUID: paymentID, Valid: true})
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if who.Admin {
			return uuid.Nil, nil
		}
		return uuid.Nil, ErrPaymentNF
	case err != nil:
		return uuid.Nil, err
	}
	party := who.UserID != uuid.Nil && (who.UserID == row.BuyerID || (row.SellerID.Valid && who.UserID == row.SellerID.UUID))
	if !party && !who.Admin {
		return uuid.Nil, ErrPaymentNF
	}
	return row.ID, nil
}

// PaymentView is a deal's payment for its parties.
type PaymentView struct {
	RequestID uuid.UUID // the request holding it (uuid.Nil: none, an admin's view)
	Payment   *payment.Payment
	Books     payment.Books
	// Timeline is the payment's transitions; an actor is named by its kind only ("admin", never
	// which admin).
	Timeline []payment.TimelineRow
	// Explorer is the chain's block explorer ("" when the registry names none); Links are its
	// pages of the deposit address and of each deposit's transaction.
	Explorer string
	Links    []Link
}

// Link is a block explorer's page about the payment.
type Link struct {
	Rel string // "deposit" (the address), "deposit tx", or what the caller adds ("release tx", …)
	URL string
}

// TxLink is the explorer's page of a transaction, or "" without an explorer.
func (v *PaymentView) TxLink(hash string) string {
	if v.Explorer == "" || hash == "" {
		return ""
	}
	return v.Explorer + "/tx/" + hash
}

// PaymentView is the payment the caller may see (PaymentParty): its row, books, timeline and
// explorer links.
func (s *Service) PaymentView(ctx context.Context, who Caller, paymentID uuid.UUID) (*PaymentView, error) {
	if s.payments == nil {
		return nil, ErrNoPayments
	}
	reqID, err := s.PaymentParty(ctx, who, paymentID)
	if err != nil {
		return nil, err
	}
	v := &PaymentView{RequestID: reqID}
	if v.Payment, err = s.payments.Get(ctx, [16]byte(paymentID)); err != nil {
		if errors.Is(err, payment.ErrNotFound) {
			return nil, ErrPaymentNF
		}
		return nil, err
	}
	if v.Books, err = s.payments.Books(ctx, [16]byte(paymentID)); err != nil {
		return nil, err
	}
	if v.Timeline, err = s.payments.Timeline(ctx, [16]byte(paymentID)); err != nil {
		return nil, err
	}
	for i := range v.Timeline {
		v.Timeline[i].Actor, _, _ = strings.Cut(v.Timeline[i].Actor, ":")
	}
	s.links(v)
	return v, nil
}

// links fills the explorer's pages of the deposit address and of the deposits' transactions.
func (s *Service) links(v *PaymentView) {
	if s.chains == nil {
		return
	}
	c, err := s.chains.Get(strconv.FormatUint(v.Payment.ChainID, 10))
	if err != nil || c.Explorer == "" {
		return
	}
	v.Explorer = strings.TrimRight(c.Explorer, "/")
	v.Links = append(v.Links, Link{Rel: "deposit", URL: v.Explorer + "/address/" + v.Payment.Deposit.Hex()})
	seen := map[string]bool{}
	for _, d := range v.Books.Deposits {
		if h := d.TxHash.Hex(); !seen[h] {
			seen[h] = true
			v.Links = append(v.Links, Link{Rel: "deposit tx", URL: v.TxLink(h)})
		}
	}
}
