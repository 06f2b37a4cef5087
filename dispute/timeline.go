package dispute

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// The timeline: every step of a case is one entry, appended under the case's row lock and never
// changed. Each entry carries the hash of the one before (ZeroHash for the first) and its own
// hash over its canonical form (EntryHash), so that a changed, dropped or reordered entry breaks
// the chain from there on. The table's trigger (migration 00051) refuses UPDATE, DELETE, TRUNCATE
// and any entry that does not link to the last one; the export bundle lets anyone re-check the
// hashes with `amn dispute verify`.

// ZeroHash is the previous hash of a case's first entry.
var ZeroHash = strings.Repeat("0", 64)

// Entry is one step of a case's timeline.
type Entry struct {
	Seq   int   `json:"seq"`
	Kind  Event `json:"kind"`
	Actor Actor `json:"actor"`
	// ActorID is the user who acted ("" for the system).
	ActorID string `json:"actorId,omitempty"`
	// Status is the case's status after the step.
	Status Status `json:"status"`
	// Body is the step's details, exactly as hashed.
	Body json.RawMessage `json:"body"`
	At   time.Time       `json:"at"`
	Prev string          `json:"prev"`
	Hash string          `json:"hash"`
}

// hashed is an entry's canonical form: its case and every field but its own hash, in this order,
// times in UTC to the microsecond (as stored).
type hashed struct {
	Format  string          `json:"format"`
	Case    string          `json:"case"`
	Seq     int             `json:"seq"`
	Kind    Event           `json:"kind"`
	Actor   Actor           `json:"actor"`
	ActorID string          `json:"actorId"`
	Status  Status          `json:"status"`
	Body    json.RawMessage `json:"body"`
	At      string          `json:"at"`
	Prev    string          `json:"prev"`
}

// entryFormat names the canonical form; a change of it is a new format.
const entryFormat = "amn-dispute-entry/1"

// EntryHash is the hex SHA-256 of e's canonical form in case caseID.
func EntryHash(caseID uuid.UUID, e Entry) (string, error) {
	b, err := json.Marshal(hashed{Format: entryFormat, Case: caseID.String(), Seq: e.Seq, Kind: e.Kind, Actor: e.Actor,
		ActorID: e.ActorID, Status: e.Status, Body: e.Body, At: e.At.UTC().Format(time.RFC3339Nano), Prev: e.Prev})
	if err != nil {
		return "", fmt.Errorf("entry %d: %w", e.Seq, err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// ChainError names the first entry of a timeline that does not hold.
type ChainError struct {
	Seq    int
	Kind   Event
	Reason string
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("entry %d (%s): %s", e.Seq, e.Kind, e.Reason)
}

// CheckChain checks that entries are case caseID's timeline from its first entry: numbered from
// 1, each linked to the one before, each hash its content's. The error is a *ChainError naming
// the first entry that fails.
func CheckChain(caseID uuid.UUID, entries []Entry) error {
	prev := ZeroHash
	for i, e := range entries {
		switch want, err := EntryHash(caseID, e); {
		case e.Seq != i+1:
			return &ChainError{Seq: e.Seq, Kind: e.Kind, Reason: fmt.Sprintf("is number %d of the timeline", i+1)}
		case e.Prev != prev:
			return &ChainError{Seq: e.Seq, Kind: e.Kind, Reason: "does not link to the entry before it (its previous hash differs)"}
		case err != nil:
			return &ChainError{Seq: e.Seq, Kind: e.Kind, Reason: err.Error()}
		case e.Hash != want:
			return &ChainError{Seq: e.Seq, Kind: e.Kind, Reason: "its hash does not match its content"}
		}
		prev = e.Hash
	}
	return nil
}

// MaxEntryBody is the most characters an entry's JSON body may have (dispute_entries' CHECK).
const MaxEntryBody = 20000

// appendEntry adds one entry to case c's timeline in tx (the caller holds the case's row lock)
// and updates c.Status to status.
func (s *Service) appendEntry(ctx context.Context, tx pgx.Tx, caseID uuid.UUID, ev Event, actor Actor, actorID uuid.UUID,
	status Status, body any) (Entry, error) {
	return appendAt(ctx, tx, caseID, ev, actor, actorID, status, body, s.clock())
}

// appendAt appends an entry made at at (the imported ones carry the old backend's times).
func appendAt(ctx context.Context, tx pgx.Tx, caseID uuid.UUID, ev Event, actor Actor, actorID uuid.UUID, status Status, body any,
	at time.Time) (Entry, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return Entry{}, err
	}
	if body == nil {
		b = []byte("{}")
	}
	// The table keeps a body to MaxEntryBody characters; text escaped in JSON (<, >, &, quotes)
	// grows up to six times, so a statement within its own limit may not fit.
	if utf8.RuneCount(b) > MaxEntryBody {
		return Entry{}, invalid("the text is too long once written on the timeline (%d characters with JSON's escapes, at most %d): "+
			"shorten it or use fewer <, >, & and quotes", utf8.RuneCount(b), MaxEntryBody)
	}
	e := Entry{Kind: ev, Actor: actor, Status: status, Body: b, At: at.UTC().Truncate(time.Microsecond), Prev: ZeroHash}
	if actorID != uuid.Nil {
		e.ActorID = actorID.String()
	}
	var last *string
	if err := tx.QueryRow(ctx, lastEntry, caseID).Scan(&e.Seq, &last); err != nil {
		return Entry{}, err
	}
	e.Seq++
	if last != nil {
		e.Prev = *last
	}
	if e.Hash, err = EntryHash(caseID, e); err != nil {
		return Entry{}, err
	}
	var aid *uuid.UUID
	if actorID != uuid.Nil {
		aid = &actorID
	}
	if _, err := tx.Exec(ctx, insertEntry, caseID, e.Seq, string(ev), string(actor), aid, string(status), string(e.Body),
		e.Prev, e.Hash, e.At); err != nil {
		return Entry{}, fmt.Errorf("dispute: appending %s to case %s: %w", ev, caseID, err)
	}
	return e, nil
}

// entries reads a case's timeline, oldest first.
func entries(ctx context.Context, q querier, caseID uuid.UUID) ([]Entry, error) {
	rows, err := q.Query(ctx, entriesOf, caseID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Entry, error) {
		var e Entry
		var aid *uuid.UUID
		var body string
		err := r.Scan(&e.Seq, &e.Kind, &e.Actor, &aid, &e.Status, &body, &e.Prev, &e.Hash, &e.At)
		if aid != nil {
			e.ActorID = aid.String()
		}
		e.Body, e.At = json.RawMessage(body), e.At.UTC()
		return e, err
	})
}
