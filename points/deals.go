package points

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
)

// Outcome is how a deal settled on chain.
type Outcome string

// The outcomes.
const (
	Completed Outcome = "completed" // the release is final: the deal earns its points
	Refunded  Outcome = "refunded"  // the refund is final: any points it earned are taken back
)

// Settlement is a deal whose outcome is final on chain, as the market reports it.
type Settlement struct {
	Request       uuid.UUID
	Outcome       Outcome
	Buyer, Seller uuid.UUID // Seller is uuid.Nil when the deal had no accepted offer
	Amount        *big.Int  // base units of the token
	Decimals      uint8
}

// Cursor is a position in the market's settled deals (market.SettledCursor).
type Cursor struct {
	Tx      int64
	Request uuid.UUID
	Seq     int32
}

// Settled is a settlement at its position.
type Settled struct {
	At Cursor
	Settlement
}

// Source pages the market's settled deals after a cursor, in order.
type Source func(ctx context.Context, after Cursor, limit int) ([]Settled, error)

const marketCursor = "market_settled"

// Follow books the settled deals src reports after the stored cursor, limit a page: each deal in
// one transaction with the cursor's new position. Running it again, or a replayed deal, books
// nothing more: every transfer's id is derived from the deal. It returns how many deals it read.
func (s *Service) Follow(ctx context.Context, src Source, limit int) (int, error) {
	var cur Cursor
	err := s.pool.QueryRow(ctx, cursorSQL, marketCursor).Scan(&cur.Tx, &cur.Request, &cur.Seq)
	if err != nil && !isNoRows(err) {
		return 0, fmt.Errorf("points: cursor: %w", err)
	}
	n := 0
	for {
		page, err := src(ctx, cur, limit)
		if err != nil {
			return n, err
		}
		for _, st := range page {
			err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
				if err := s.apply(ctx, tx, st.Settlement); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, saveCursorSQL, marketCursor, st.At.Tx, st.At.Request, st.At.Seq, s.clock())
				return err
			})
			if err != nil {
				return n, fmt.Errorf("points: deal %s (%s): %w", st.Request, st.Outcome, err)
			}
			cur = st.At
			n++
		}
		if len(page) < limit {
			return n, nil
		}
	}
}

// Apply books one settlement on its own (tests, and a replay by hand): a completed deal grants
// its parties' points and rewards their referrers; a refunded one reverses what it granted.
func (s *Service) Apply(ctx context.Context, st Settlement) error {
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error { return s.apply(ctx, tx, st) })
}

func (s *Service) apply(ctx context.Context, tx pgx.Tx, st Settlement) error {
	parties := []struct {
		role Role
		user uuid.UUID
	}{{Buyer, st.Buyer}, {Seller, st.Seller}}
	if st.Seller == st.Buyer {
		parties = parties[:1] // one user is never paid twice for one deal
	}
	buyerPts, sellerPts := s.cfg.DealPoints(st.Amount, st.Decimals)
	if st.Outcome == Refunded {
		// A refund takes points from up to four users (the parties and their referrers): it takes
		// every lock it may need first, in one order (lockAll), so that two refunds, or a refund
		// and an admin's reversal, never wait for each other's locks in a circle.
		users := []uuid.UUID{st.Buyer, st.Seller}
		ms, err := s.memos(ctx, tx, []ledger.ID{ReferralID(st.Buyer), ReferralID(st.Seller)})
		if err != nil {
			return err
		}
		for _, m := range ms {
			users = append(users, m.user)
		}
		if err := lockAll(ctx, tx, users...); err != nil {
			return err
		}
	}
	for _, p := range parties {
		if p.user == uuid.Nil {
			continue
		}
		var err error
		switch st.Outcome {
		case Completed:
			pts := buyerPts
			if p.role == Seller {
				pts = sellerPts
			}
			err = s.grant(ctx, tx, grant{id: DealGrantID(st.Request, p.role), user: p.user, points: pts,
				code: chart.CodePointsDeal, memo: memo{kind: "deal", request: &st.Request}})
			if err == nil {
				err = s.rewardReferrer(ctx, tx, p.user, st.Request)
			}
		case Refunded:
			err = s.reverseIfGranted(ctx, tx, DealGrantID(st.Request, p.role),
				memo{kind: "reversal", request: &st.Request, reason: "the deal was refunded"})
			if err == nil || errors.Is(err, errNothingLeft) { // the party's points spent: their referrer's reward still goes
				err = s.reverseReferral(ctx, tx, p.user, st.Request)
			}
		default:
			return fmt.Errorf("%w: outcome %q", ErrInvalid, st.Outcome)
		}
		if err != nil && !errors.Is(err, errNothingLeft) {
			return err
		}
	}
	return nil
}

// grant is points moving from issuance to a user, with what they are for.
type grant struct {
	id     ledger.ID
	user   uuid.UUID
	points int64
	code   uint16
	memo   memo
}

// grant books g in tx, once: a grant recorded before (a replay, a race lost) is left as it is,
// even if the rules have changed its amount since.
func (s *Service) grant(ctx context.Context, tx pgx.Tx, g grant) error {
	if g.points <= 0 {
		return nil
	}
	books := s.books.WithTx(tx)
	if got, err := books.LookupTransfers(ctx, g.id); err != nil || len(got) > 0 {
		return err
	}
	if err := s.openAccounts(ctx, books, g.user); err != nil {
		return err
	}
	_, err := books.Transfer(ctx, ledger.Transfer{ID: g.id, Ledger: chart.PointsLedger, DebitAccountID: chart.PointsIssuance(),
		CreditAccountID: chart.PointsUser(g.user), Amount: big.NewInt(g.points), Code: g.code})
	if err != nil {
		return err
	}
	g.memo.user = g.user
	return s.writeMemo(ctx, tx, g.id, g.memo)
}

// errNothingLeft is a grant whose points are all spent or expired: there is nothing to take back.
var errNothingLeft = kind.New(kind.Conflict, "the grant's points are all spent or expired: nothing is left to take back")

// reverseIfGranted takes the grant back if it was booked (once: its reversal's id is derived
// from it). A grant never booked (a deal refunded before it completed) reverses nothing. It takes
// back what is left of the grant's points: what remains of it counted oldest first (as expiry
// counts: points spent or expired left the oldest grants), and never more than the user's
// available points less those their unbooked spends hold (points already spent stay spent);
// with nothing left it books nothing and returns errNothingLeft. m's user is the grant's owner, whatever m says.
func (s *Service) reverseIfGranted(ctx context.Context, tx pgx.Tx, grantID ledger.ID, m memo) error {
	books := s.books.WithTx(tx)
	got, err := books.LookupTransfers(ctx, grantID, ReversalID(grantID))
	if err != nil {
		return err
	}
	g, granted := got[grantID]
	if _, reversed := got[ReversalID(grantID)]; !granted || reversed {
		return nil
	}
	// Only a grant of points is reversed: an admin's reversal reaches here from a row the API's
	// login writes, which could name a reversal (reversing it would mint the points again).
	if g.Ledger != chart.PointsLedger || !reversible(g.Code) {
		return fmt.Errorf("%w: transfer %s", ErrNotReversible, grantID)
	}
	// The owner is the grant's memo's (the worker wrote it with the grant), never the caller's word.
	ms, err := s.memos(ctx, tx, []ledger.ID{grantID})
	if err != nil {
		return err
	}
	owner, ok := ms[grantID]
	if !ok || g.CreditAccountID != chart.PointsUser(owner.user) {
		return fmt.Errorf("%w: transfer %s has no owner's memo", ErrNotReversible, grantID)
	}
	m.user = owner.user
	if err := lockPoints(ctx, tx, g.CreditAccountID); err != nil {
		return err
	}
	// A racing reversal may have booked it while this one waited for the lock: it read what was
	// left then, which this one must not read again (the same id with another amount).
	if again, err := books.LookupTransfers(ctx, ReversalID(grantID)); err != nil || len(again) > 0 {
		return err
	}
	left, err := s.spendable(ctx, tx, owner.user)
	if err != nil {
		return err
	}
	// And no more than is left of this grant, counted oldest first as expiry counts: what was
	// spent or expired came out of the oldest grants, so a grant that expired has nothing left,
	// whatever newer grants hold.
	f, err := s.fifo(ctx, tx, owner.user)
	if err != nil {
		return err
	}
	left = min(left, f.left(grantID))
	amount := new(big.Int).Set(g.Amount)
	if amount.Cmp(big.NewInt(left)) > 0 {
		amount.SetInt64(left)
	}
	if amount.Sign() <= 0 {
		return errNothingLeft
	}
	id := ReversalID(g.ID)
	_, err = books.Transfer(ctx, ledger.Transfer{ID: id, Ledger: chart.PointsLedger,
		DebitAccountID: g.CreditAccountID, CreditAccountID: g.DebitAccountID, Amount: amount, Code: chart.CodePointsReversal})
	if err != nil {
		return err
	}
	return s.writeMemo(ctx, tx, id, m)
}

// spendable is what the user may still spend, in tx under lockPoints: their available points
// less those their unbooked spends hold.
func (s *Service) spendable(ctx context.Context, tx pgx.Tx, user uuid.UUID) (int64, error) {
	accts, err := s.books.WithTx(tx).Accounts(ctx, chart.PointsUser(user))
	if err != nil {
		return 0, err
	}
	var avail int64
	if a, ok := accts[chart.PointsUser(user)]; ok {
		avail = points(a.Balance().Posted)
	}
	held, err := s.held(ctx, tx, user)
	if err != nil {
		return 0, err
	}
	return avail - held, nil
}

// reverseReferral takes back the reward the referred user's referrer earned, if the refunded deal
// (request) is the one that earned it: once (its reversal's id is derived from the reward's), and
// the referral becomes reversed (its reward is one per referred user, ever: never earned again).
func (s *Service) reverseReferral(ctx context.Context, tx pgx.Tx, referred, request uuid.UUID) error {
	id := ReferralID(referred)
	ms, err := s.memos(ctx, tx, []ledger.ID{id})
	if err != nil {
		return err
	}
	m, ok := ms[id]
	if !ok || m.request == nil || *m.request != request {
		return nil
	}
	err = s.reverseIfGranted(ctx, tx, id, memo{kind: "reversal", request: &request,
		reason: "the referred user's first deal was refunded"})
	if err != nil && !errors.Is(err, errNothingLeft) {
		return err
	}
	if _, err := tx.Exec(ctx, reverseReferralSQL, referred); err != nil {
		return fmt.Errorf("points: referral: %w", err)
	}
	return nil
}

// rewardReferrer posts the pending reward of the user's referrer, if any: the user's first deal
// has completed. The referral row is locked, so two deals completing at once reward once.
func (s *Service) rewardReferrer(ctx context.Context, tx pgx.Tx, referred, request uuid.UUID) error {
	var referrer uuid.UUID
	err := tx.QueryRow(ctx, pendingReferralSQL, referred).Scan(&referrer)
	if isNoRows(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("points: referral: %w", err)
	}
	id := ReferralID(referred)
	if err := s.grant(ctx, tx, grant{id: id, user: referrer, points: s.cfg.ReferralReward, code: chart.CodePointsReferral,
		memo: memo{kind: "referral", request: &request}}); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, rewardReferralSQL, referred, s.clock(), id)
	return err
}

// openAccounts opens the points ledger's issuance account and the user's accounts (a no-op once
// they exist). A user's points can never go below zero; issuance is the outside world.
func (s *Service) openAccounts(ctx context.Context, books *ledger.Ledger, user uuid.UUID) error {
	owner := "user:" + user.String()
	_, err := books.CreateAccounts(ctx,
		ledger.Account{ID: chart.PointsIssuance(), Ledger: chart.PointsLedger, Code: ledger.CodePointsIssuance, Owner: "points"},
		ledger.Account{ID: chart.PointsUser(user), Ledger: chart.PointsLedger, Code: ledger.CodePointsUser, Owner: owner,
			Flags: ledger.DebitsMustNotExceedCredits},
		ledger.Account{ID: chart.PointsUsed(user), Ledger: chart.PointsLedger, Code: ledger.CodePointsUsed, Owner: owner,
			Flags: ledger.DebitsMustNotExceedCredits},
		ledger.Account{ID: chart.PointsExpired(user), Ledger: chart.PointsLedger, Code: ledger.CodePointsExpired, Owner: owner,
			Flags: ledger.DebitsMustNotExceedCredits})
	return err
}

func (s *Service) writeMemo(ctx context.Context, tx pgx.Tx, id ledger.ID, m memo) error {
	_, err := tx.Exec(ctx, insertMemoSQL, id, m.user, m.kind, m.request, m.reason, s.clock())
	if err != nil {
		return fmt.Errorf("points: memo: %w", err)
	}
	return nil
}

// refusal reports whether err is the ledger refusing a transfer, or a target that is no grant
// (rather than the database failing): an admin's adjustment so refused is marked refused, not
// retried.
func refusal(err error) bool {
	var te *ledger.TransferError
	return errors.As(err, &te) || errors.Is(err, ErrNotReversible) || errors.Is(err, errNothingLeft)
}
