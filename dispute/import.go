package dispute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
)

// The legacy MongoDB import's entry point (package migrate/mongo calls it in its per-document
// transaction): an old dispute becomes a legacy case (docs/import.md) with a valid timeline. Its
// first entry, "imported", carries the old document's fields; then each old piece of evidence
// and statement is an "evidence" entry, in order, with the old backend's times. A rerun appends
// only what the old document gained (statements not imported yet, and a "reimported" entry when
// its fields changed): the timeline stays append-only and its chain holds. A legacy case moves no
// money, has no deadlines, and no step is taken on it here (ErrLegacy).

// The entries only an import writes.
const (
	EvImported   Event = "imported"   // the old dispute as the import found it
	EvReimported Event = "reimported" // its fields as a later import found them changed
)

// ImportedCase is a dispute of the legacy store, its references resolved.
type ImportedCase struct {
	ID, RequestID uuid.UUID
	// PaymentID is the old payment's history record (payment_legacy).
	PaymentID uuid.UUID
	OfferID   uuid.NullUUID
	BuyerID   uuid.UUID
	SellerID  uuid.UUID
	OpenedBy  uuid.UUID // the buyer or the seller
	Reason    Reason
	Status    Status
	// Resolution is set exactly when Status is Resolved.
	Resolution *Outcome
	// ResolvedAt is when a resolved or withdrawn case ended (zero: UpdatedAt).
	ResolvedAt time.Time
	// Amount is the old payment's, in base units of Ledger's token; Decimals as far as known.
	Amount   *big.Int
	Decimals int
	Ledger   string
	// Fields are the old document's fields, the body of the "imported" entry (JSON values).
	Fields               map[string]any
	Statements           []ImportedStatement // oldest first
	CreatedAt, UpdatedAt time.Time
}

// ImportedStatement is one piece of old evidence or one old message of a dispute.
type ImportedStatement struct {
	// Key names it within its case for good (the old item's _id): a rerun appends only new keys.
	Key     string
	Actor   Actor     // buyer, seller or admin
	ActorID uuid.UUID // who wrote it
	Body    map[string]any
	At      time.Time
}

// MaxImportedBody bounds an imported entry's body (dispute_entries.body checks 20000).
const MaxImportedBody = 16000

const (
	importCase = `INSERT INTO dispute_cases (id, request_id, payment_id, offer_id, buyer_id, seller_id, opened_by, opener, reason,
		status, interrupted, conversation_id, amount, decimals, ledger, resolution, resolved_at, created_at, updated_at, legacy)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'legacy', NULL, $11, $12, $13, $14, $15, $16, $17, true)
		ON CONFLICT (id) DO UPDATE SET status = excluded.status, reason = excluded.reason, amount = excluded.amount,
		decimals = excluded.decimals, ledger = excluded.ledger, resolution = excluded.resolution,
		resolved_at = excluded.resolved_at, updated_at = excluded.updated_at
		WHERE dispute_cases.legacy AND dispute_cases.request_id = excluded.request_id
		RETURNING id`
	importedTotals = `SELECT count(*), (SELECT count(*) FROM dispute_entries WHERE case_id = ANY($1::uuid[]) AND kind = 'evidence')
		FROM dispute_cases WHERE legacy AND id = ANY($1::uuid[])`
)

// ImportCase writes (or on a rerun brings up to date) an old dispute as a legacy case in tx.
// A case that breaks a rule (parties, status and resolution, text) is ErrInvalid, and a second
// live case of a request is ErrLive: the importer's savepoint is rolled back whole.
func ImportCase(ctx context.Context, tx pgx.Tx, c ImportedCase) error {
	if err := checkImported(&c); err != nil {
		return err
	}
	opener := ActorBuyer
	if c.OpenedBy == c.SellerID {
		opener = ActorSeller
	}
	var resolution *string
	if c.Resolution != nil {
		resolution = (*string)(c.Resolution)
	}
	var resolved *time.Time
	if c.Status.Final() {
		resolved = &c.ResolvedAt
	}
	var id uuid.UUID
	err := tx.QueryRow(ctx, importCase, c.ID, c.RequestID, c.PaymentID, c.OfferID, c.BuyerID, c.SellerID, c.OpenedBy,
		string(opener), string(c.Reason), string(c.Status), db.Numeric(c.Amount), c.Decimals, c.Ledger, resolution, resolved,
		c.CreatedAt.UTC(), c.UpdatedAt.UTC()).Scan(&id)
	switch {
	case db.IsUniqueViolation(err, "dispute_cases_live"):
		return fmt.Errorf("%w: the request has another live case", ErrLive)
	case errors.Is(err, pgx.ErrNoRows):
		return invalid("case %s exists and is not the legacy case of this request", c.ID)
	case err != nil:
		return fmt.Errorf("dispute: import case: %w", err)
	}
	have, err := entries(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	fields, err := json.Marshal(c.Fields)
	if err != nil {
		return invalid("fields: %v", err)
	}
	at := c.CreatedAt
	if len(have) == 0 {
		e, err := appendAt(ctx, tx, c.ID, EvImported, ActorSystem, uuid.Nil, c.Status, json.RawMessage(fields), at)
		if err != nil {
			return err
		}
		have = append(have, e)
	}
	seen := map[string]bool{}
	var lastFields *Entry
	for i, e := range have {
		switch e.Kind {
		case EvEvidence:
			var b struct {
				Key string `json:"legacyKey"`
			}
			if json.Unmarshal(e.Body, &b) == nil && b.Key != "" {
				seen[b.Key] = true
			}
		case EvImported, EvReimported:
			lastFields = &have[i]
		}
		at = later(at, e.At)
	}
	for _, st := range c.Statements {
		if seen[st.Key] {
			continue
		}
		body := make(map[string]any, len(st.Body)+1)
		for k, v := range st.Body {
			body[k] = v
		}
		body["legacyKey"] = st.Key
		at = later(at, st.At)
		e, err := appendAt(ctx, tx, c.ID, EvEvidence, st.Actor, st.ActorID, c.Status, body, at)
		if err != nil {
			return err
		}
		have = append(have, e)
	}
	last := have[len(have)-1]
	if lastFields == nil || string(lastFields.Body) != string(fields) || last.Status != c.Status {
		if _, err := appendAt(ctx, tx, c.ID, EvReimported, ActorSystem, uuid.Nil, c.Status, json.RawMessage(fields),
			later(at, c.UpdatedAt)); err != nil {
			return err
		}
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// CheckImportedCase says what ImportCase would refuse of c without writing (the importer's
// verification explains a missing case with it).
func CheckImportedCase(c ImportedCase) error { return checkImported(&c) }

// checkImported checks an old case against the rules of a case here, and fills its defaults.
func checkImported(c *ImportedCase) error {
	switch {
	case c.ID == uuid.Nil || c.RequestID == uuid.Nil || c.PaymentID == uuid.Nil:
		return invalid("a case needs its id, request and payment")
	case c.BuyerID == uuid.Nil || c.SellerID == uuid.Nil || c.BuyerID == c.SellerID:
		return invalid("a case needs a buyer and a seller, two users")
	case c.OpenedBy != c.BuyerID && c.OpenedBy != c.SellerID:
		return invalid("the case was opened by neither the buyer nor the seller")
	case !slices.Contains(Reasons(), c.Reason):
		return invalid("unknown reason %q", c.Reason)
	case !slices.Contains(Statuses, c.Status):
		return invalid("unknown status %q", c.Status)
	case (c.Status == Resolved) != (c.Resolution != nil):
		return invalid("a case has a resolution exactly when it is resolved")
	case c.Resolution != nil && !slices.Contains(Outcomes, *c.Resolution):
		return invalid("unknown outcome %q", *c.Resolution)
	case c.Amount == nil || c.Amount.Sign() < 0:
		return invalid("the amount is missing or negative")
	case c.Decimals < 0 || c.Decimals > 36 || c.Ledger == "" || len(c.Ledger) > 60:
		return invalid("the token (ledger %q, %d decimals) is not one a case can name", c.Ledger, c.Decimals)
	case c.CreatedAt.IsZero():
		return invalid("a case needs its creation time")
	}
	if c.UpdatedAt.Before(c.CreatedAt) {
		c.UpdatedAt = c.CreatedAt
	}
	if c.ResolvedAt.IsZero() {
		c.ResolvedAt = c.UpdatedAt
	}
	if c.Fields == nil {
		c.Fields = map[string]any{}
	}
	if b, err := json.Marshal(c.Fields); err != nil || utf8.RuneCount(b) > MaxImportedBody {
		return invalid("the old dispute's fields are over %d characters (or not JSON)", MaxImportedBody)
	}
	keys := map[string]bool{}
	for i, st := range c.Statements {
		switch {
		case st.Key == "" || keys[st.Key]:
			return invalid("statement %d has no key of its own", i)
		case st.Actor != ActorBuyer && st.Actor != ActorSeller && st.Actor != ActorAdmin:
			return invalid("statement %d is by %q, not a party or an admin", i, st.Actor)
		case st.Actor == ActorBuyer && st.ActorID != c.BuyerID, st.Actor == ActorSeller && st.ActorID != c.SellerID:
			return invalid("statement %d's author is not the %s", i, st.Actor)
		case st.ActorID == uuid.Nil:
			return invalid("statement %d has no author", i)
		}
		keys[st.Key] = true
		if b, err := json.Marshal(st.Body); err != nil || utf8.RuneCount(b) > MaxImportedBody {
			return invalid("statement %d is over %d characters (or not JSON)", i, MaxImportedBody)
		}
	}
	return nil
}

// ImportedTotals counts the legacy cases among ids and their evidence entries (the import's
// verification: every old statement is on a timeline).
func ImportedTotals(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) (cases, statements int64, err error) {
	err = tx.QueryRow(ctx, importedTotals, ids).Scan(&cases, &statements)
	return cases, statements, err
}

// Statement is a text statement's evidence body, as AddEvidence writes one (its SHA-256, size and
// type), for an importer to fill ImportedStatement.Body with.
func Statement(text string) map[string]any {
	return map[string]any{"statement": text, "sha256": digest([]byte(text)), "size": len(text), "contentType": statementType}
}
