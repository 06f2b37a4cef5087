package mongo

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/amanat/amn/dispute"
	"github.com/amanat/amn/notify"
	"github.com/amanat/amn/payment"
)

// --- disputes ---------------------------------------------------------------------------------

// legacyDisputeStatus maps every status of the old Dispute model to a case status here, and the
// outcome a status implies by itself (rejected: nothing decided). Values missing from it are
// malformed documents (docs/import.md).
var legacyDisputeStatus = map[string]struct {
	status   dispute.Status
	outcome  dispute.Outcome // whatever the resolution field says
	fallback dispute.Outcome // when it says nothing
}{
	"pending":           {status: dispute.Open},
	"open":              {status: dispute.Open},
	"awaiting_evidence": {status: dispute.AwaitingEvidence},
	"in_progress":       {status: dispute.UnderReview},
	"under_review":      {status: dispute.UnderReview},
	"escalated":         {status: dispute.Escalated},
	"resolved":          {status: dispute.Resolved},
	"closed":            {status: dispute.Resolved, fallback: dispute.OutcomeNoAction},
	"rejected":          {status: dispute.Resolved, outcome: dispute.OutcomeNoAction},
	"cancelled":         {status: dispute.Withdrawn},
	"canceled":          {status: dispute.Withdrawn},
	"withdrawn":         {status: dispute.Withdrawn},
}

// legacyOutcome maps the old resolution values (each is an outcome here).
var legacyOutcome = map[string]dispute.Outcome{
	"refund": dispute.OutcomeRefund, "release": dispute.OutcomeRelease, "replacement": dispute.OutcomeReplacement,
	"compensation": dispute.OutcomeCompensation, "warning_seller": dispute.OutcomeWarnSeller,
	"ban_seller": dispute.OutcomeBanSeller, "no_action": dispute.OutcomeNoAction,
}

// legacyReason maps the old reasons; any other is "other" (the old value is kept in the case's
// first entry).
var legacyReason = map[string]dispute.Reason{
	"not_received": dispute.ReasonNotReceived, "item_not_received": dispute.ReasonNotReceived,
	"not_delivered": dispute.ReasonNotReceived, "not_as_described": dispute.ReasonNotAsDescribed,
	"wrong_item": dispute.ReasonNotAsDescribed, "damaged": dispute.ReasonNotAsDescribed,
	"seller_unresponsive": dispute.ReasonSellerUnresponsive, "buyer_unresponsive": dispute.ReasonBuyerUnresponsive,
	"payment_issue": dispute.ReasonPaymentProblem, "payment_problem": dispute.ReasonPaymentProblem, "other": dispute.ReasonOther,
}

// OpenDispute is an old dispute whose payment's funds the old backend still holds: it is imported
// as history, and an operator settles the payment on the old provider (never guessed at here).
type OpenDispute struct {
	ID            string    `json:"_id"`
	NewID         uuid.UUID `json:"id"`
	Request       string    `json:"request"`
	Payment       string    `json:"payment"`
	Status        string    `json:"status"`
	PaymentStatus string    `json:"paymentStatus"`
	Amount        string    `json:"amount"`
	Token         string    `json:"token"`
	Chain         string    `json:"chain"`
}

// MaxDisputeText bounds an old dispute's texts (description, notes, messages), in characters.
const MaxDisputeText = dispute.MaxStatement

func convertDispute(im *Importer, id bson.ObjectID, f *fields, r *resolver) (item, error) {
	c := dispute.ImportedCase{ID: NewID(Disputes, id), Fields: map[string]any{"legacyId": id.Hex()}}
	reqOld, _ := f.ref("request", true)
	payOld, _ := f.ref("payment", true)
	opener, _ := f.ref("raisedBy", true)
	if f.err == nil {
		c.RequestID = r.ref(f, "request", PurchaseRequests, reqOld)
		c.PaymentID = r.ref(f, "payment", Payments, payOld)
		c.Fields["request"], c.Fields["payment"], c.Fields["raisedBy"] = c.RequestID, c.PaymentID, NewID(Users, opener)
	}
	if o, ok := f.ref("offer", false); ok {
		c.OfferID = uuid.NullUUID{UUID: r.ref(f, "offer", SellerOffers, o), Valid: true}
		c.Fields["offer"] = c.OfferID.UUID
	}
	oldReason := f.str("reason", true)
	c.Reason = dispute.ReasonOther
	if v, ok := legacyReason[oldReason]; ok {
		c.Reason = v
	}
	c.Fields["reason"] = oldReason
	text := func(key string) {
		if s := f.str(key, false); s != "" {
			runes(f, key, s, 0, MaxDisputeText)
			c.Fields[key] = s
		}
	}
	text("description")
	text("adminNotes")
	text("resolutionNote")
	old := f.str("status", true)
	st, ok := legacyDisputeStatus[old]
	if !ok && old != "" {
		f.fail("status %.40q is none of the old model's (docs/import.md)", old)
	}
	c.Status, c.Fields["status"] = st.status, old
	if res := f.str("resolution", false); res != "" {
		c.Fields["resolution"] = res
		o, ok := legacyOutcome[res]
		switch {
		case !ok:
			f.fail("resolution %.40q is none of the old model's (docs/import.md)", res)
		case st.status == dispute.Resolved && st.outcome == "":
			st.outcome = o
		}
	}
	if st.status == dispute.Resolved {
		if st.outcome == "" {
			st.outcome = st.fallback
		}
		if st.outcome == "" {
			f.fail("missing field resolution (the dispute is %s)", old)
		}
		c.Resolution = &st.outcome
	}
	if a, ok := f.ref("resolvedBy", false); ok {
		c.Fields["resolvedBy"] = r.ref(f, "resolvedBy", Users, a)
	}
	if t := f.time("resolvedAt", false); !t.IsZero() {
		c.ResolvedAt, c.Fields["resolvedAt"] = t, t
	}
	c.CreatedAt = f.time("createdAt", true)
	c.UpdatedAt = orTime(f.time("updatedAt", false), c.CreatedAt)
	c.Fields["createdAt"], c.Fields["updatedAt"] = c.CreatedAt, c.UpdatedAt
	if f.err != nil {
		return item{}, f.err
	}

	// The deal's parties and money are its payment's (already imported: the reference resolved).
	pay, buyer, seller := im.disputedPayment(r.ctx, f, payOld, r)
	if f.err != nil {
		return item{}, f.err
	}
	c.BuyerID, c.SellerID = NewID(Users, buyer), NewID(Users, seller)
	switch opener {
	case buyer:
		c.OpenedBy = c.BuyerID
	case seller:
		c.OpenedBy = c.SellerID
	default:
		f.fail("raisedBy is neither the payment's buyer nor its seller")
	}
	c.Amount, c.Ledger = pay.Amount, "legacy:"+pay.ChainKey+":"+pay.TokenSymbol
	c.Statements = readStatements(f, buyer, seller, r)
	if f.err == nil {
		if err := dispute.CheckImportedCase(c); err != nil {
			f.fail("%v", err)
		}
	}
	if f.err != nil {
		return item{}, f.err
	}
	it := item{newID: c.ID, sum: big.NewInt(int64(len(c.Statements))), write: func(ctx context.Context, tx pgx.Tx) error {
		return dispute.ImportCase(ctx, tx, c)
	}}
	if pay.State == payment.LegacyHeld {
		it.openDispute = &OpenDispute{ID: id.Hex(), NewID: c.ID, Request: reqOld.Hex(), Payment: payOld.Hex(), Status: old,
			PaymentStatus: pay.OldStatus, Amount: pay.Amount.String(), Token: pay.TokenSymbol, Chain: pay.ChainKey}
	}
	return it, nil
}

// disputedPayment reads the source's payment pid of a dispute: its state, amount and token, and
// its parties (required: a dispute is between them).
func (im *Importer) disputedPayment(ctx context.Context, f *fields, pid bson.ObjectID, r *resolver) (payment.LegacyPayment, bson.ObjectID, bson.ObjectID) {
	var p payment.LegacyPayment
	raw, err := im.src.Collection(Payments).FindOne(ctx, bson.D{{Key: "_id", Value: pid}}).Raw()
	if errors.Is(err, mongo.ErrNoDocuments) {
		f.fail("dangling reference payment: payments %s is not in the source", pid.Hex())
		return p, bson.ObjectID{}, bson.ObjectID{}
	}
	if err != nil {
		f.fail("reading payment %s: %v", pid.Hex(), err)
		return p, bson.ObjectID{}, bson.ObjectID{}
	}
	pf := &fields{raw: raw}
	buyer, _ := pf.ref("buyer", true)
	seller, _ := pf.ref("seller", true)
	p.Amount = pf.amount("amount", true)
	p.TokenSymbol, p.ChainKey = strings.TrimSpace(pf.str("token", true)), strings.ToLower(strings.TrimSpace(pf.str("chain", true)))
	p.OldStatus = pf.str("status", true)
	p.State = payment.LegacyPaymentStatus[p.OldStatus]
	if pf.err != nil {
		f.fail("payment %s: %v", pid.Hex(), pf.err)
		return p, buyer, seller
	}
	r.ref(f, "payment's buyer", Users, buyer)
	r.ref(f, "payment's seller", Users, seller)
	return p, buyer, seller
}

// readStatements reads a dispute's evidence and messages, oldest first (evidence first at the
// same time), each keyed by its old _id (or its place, without one).
func readStatements(f *fields, buyer, seller bson.ObjectID, r *resolver) []dispute.ImportedStatement {
	var out []dispute.ImportedStatement
	side := func(ef *fields, who bson.ObjectID, admin bool, key string) (dispute.Actor, uuid.UUID) {
		switch {
		case who == buyer:
			return dispute.ActorBuyer, NewID(Users, buyer)
		case who == seller:
			return dispute.ActorSeller, NewID(Users, seller)
		case admin:
			return dispute.ActorAdmin, r.ref(ef, key, Users, who)
		}
		ef.fail("%s is neither the buyer nor the seller (nor an admin)", key)
		return "", uuid.Nil
	}
	itemKey := func(ef *fields, list string, i int) string {
		if oid, ok := ef.ref("_id", false); ok {
			return list + "/" + oid.Hex()
		}
		return fmt.Sprintf("%s/#%d", list, i)
	}
	for i, d := range f.docs("evidence") {
		ef := &fields{raw: d}
		who, _ := ef.ref("uploadedBy", true)
		st := dispute.ImportedStatement{Key: itemKey(ef, "evidence", i), At: ef.time("uploadedAt", false), Body: map[string]any{}}
		for _, k := range []string{"type", "url", "description"} {
			if s := ef.str(k, false); s != "" {
				runes(ef, k, s, 0, MaxDisputeText)
				st.Body[k] = s
			}
		}
		if st.Body["url"] == nil && st.Body["description"] == nil {
			ef.fail("neither url nor description")
		}
		if ef.err == nil {
			st.Actor, st.ActorID = side(ef, who, false, "uploadedBy")
		}
		if st.At.IsZero() {
			st.At = f.time("createdAt", false)
		}
		st.Body["uploadedAt"] = st.At
		if ef.err != nil {
			f.fail("evidence.%d: %v", i, ef.err)
		}
		out = append(out, st)
	}
	for i, d := range f.docs("messages") {
		mf := &fields{raw: d}
		who, _ := mf.ref("sender", true)
		msg := mf.str("message", true)
		runes(mf, "message", msg, 1, MaxDisputeText)
		st := dispute.ImportedStatement{Key: itemKey(mf, "messages", i), At: mf.time("createdAt", true), Body: dispute.Statement(msg)}
		admin := mf.boolean("isAdmin")
		if mf.err == nil {
			st.Actor, st.ActorID = side(mf, who, admin, "sender")
		}
		if mf.err != nil {
			f.fail("messages.%d: %v", i, mf.err)
		}
		out = append(out, st)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

func disputeTotals(ctx context.Context, _ *Importer, tx pgx.Tx, ids []uuid.UUID) (int64, *big.Int, error) {
	n, statements, err := dispute.ImportedTotals(ctx, tx, ids)
	return n, big.NewInt(statements), err
}

// --- notifications ----------------------------------------------------------------------------

func convertNotification(_ *Importer, id bson.ObjectID, f *fields, r *resolver) (item, error) {
	n := notify.ImportedNotification{ID: NewID(Notifications, id)}
	if u, ok := f.ref("user", true); ok {
		n.User = r.ref(f, "user", Users, u)
	}
	old := f.str("type", true)
	runes(f, "type", old, 1, 64)
	n.Kind = notify.LegacyKind(old)
	n.Data = map[string]any{"legacyType": old}
	for _, k := range []string{"title", "message", "link"} {
		if s := f.str(k, false); s != "" {
			n.Data[k] = s
		}
	}
	n.CreatedAt = f.time("createdAt", true)
	read := f.boolean("isRead")
	if f.err == nil {
		if err := notify.CheckImported(n); err != nil {
			f.fail("%v", err)
		}
	}
	if t := f.time("readAt", false); !t.IsZero() {
		n.ReadAt = &t
	} else if read {
		t := orTime(f.time("updatedAt", false), n.CreatedAt)
		n.ReadAt = &t
	}
	if f.err != nil {
		return item{}, f.err
	}
	var sum int64
	if n.ReadAt != nil {
		sum = 1
	}
	return item{newID: n.ID, sum: big.NewInt(sum), write: func(ctx context.Context, tx pgx.Tx) error {
		return notify.ImportNotification(ctx, tx, n)
	}}, nil
}

func notificationTotals(ctx context.Context, _ *Importer, tx pgx.Tx, ids []uuid.UUID) (int64, *big.Int, error) {
	n, read, err := notify.ImportedTotals(ctx, tx, ids)
	return n, big.NewInt(read), err
}
