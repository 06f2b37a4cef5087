package dispute

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/notify"
)

// Parties is the Notifier that tells both parties of a case, through package notify, that it was
// opened (notify.DisputeOpened) and that it ended (notify.DisputeResolved, also for a withdrawn
// case), and a party that has not answered that its deadline is near (notify.DisputeReminder):
// essential kinds, in-app and by email, written in the step's transaction.
type Parties struct{ Notify *notify.Service }

var _ Notifier = Parties{}

// DisputeOpened tells the buyer and the seller that case c was opened.
func (p Parties) DisputeOpened(ctx context.Context, tx pgx.Tx, c *Case, title string) error {
	return p.tell(ctx, tx, notify.DisputeOpened, c, title, nil)
}

// DisputeResolved tells the buyer and the seller that case c ended.
func (p Parties) DisputeResolved(ctx context.Context, tx pgx.Tx, c *Case, title string) error {
	return p.tell(ctx, tx, notify.DisputeResolved, c, title, nil)
}

// DisputeReminder tells side, which has not answered on case c, that its answer is due at due.
func (p Parties) DisputeReminder(ctx context.Context, tx pgx.Tx, c *Case, side Actor, due time.Time, title string) error {
	return p.tell(ctx, tx, notify.DisputeReminder, c, title, map[string]any{"due": due.UTC()}, side)
}

// tell writes k's notification to each party: the deal (request, title), the case, the role the
// recipient plays, the amount at stake, and the outcome of a resolved case. Facts only: no
// statement or note a person wrote.
func (p Parties) tell(ctx context.Context, tx pgx.Tx, k notify.Kind, c *Case, title string, extra map[string]any, only ...Actor) error {
	_, token, _ := strings.Cut(c.Ledger, ":") // bsc:USDT
	for _, to := range []struct {
		role Actor
		user uuid.UUID
	}{{ActorBuyer, c.BuyerID}, {ActorSeller, c.SellerID}} {
		if len(only) > 0 && !slices.Contains(only, to.role) {
			continue
		}
		data := map[string]any{"request": c.RequestID, "title": title, "dispute": c.ID, "payment": c.PaymentID,
			"role": to.role, "opener": c.Opener, "reason": c.Reason, "status": c.Status, "token": token, "decimals": c.Decimals}
		if c.Amount != nil {
			data["amount"] = c.Amount.String()
		}
		if c.Resolution != nil {
			data["outcome"] = *c.Resolution
		}
		maps.Copy(data, extra)
		if _, err := p.Notify.Notify(ctx, tx, notify.Note{User: to.user, Kind: k, Data: data}); err != nil {
			return err
		}
	}
	return nil
}
