package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5"
)

// Querier is what Publish needs of the caller's transaction (pgx.Tx has it).
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// MaxPayload bounds an event's JSON payload: events say what changed, clients read the rest
// through the API.
const MaxPayload = 8 << 10

var eventKind = regexp.MustCompile(`^[a-z_.]{1,64}$`)

// Publish appends an event of kind (e.g. "request.status") with payload (JSON-encoded) to room,
// in the caller's transaction tx, and returns its sequence number. Subscribers see it when tx
// commits; if tx rolls back, nothing is stored and nobody is told. A room's publishers take turns
// on its counter row until they commit: keep the transaction short after publishing.
func Publish(ctx context.Context, tx Querier, room Room, kind string, payload any) (int64, error) {
	if _, _, err := room.Parse(); err != nil {
		return 0, err
	}
	if !eventKind.MatchString(kind) {
		return 0, fmt.Errorf("%w: event kind %.80q", ErrInvalid, kind)
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return 0, fmt.Errorf("%w: payload: %v", ErrInvalid, err)
	}
	if len(b) > MaxPayload || len(b) == 0 || b[0] != '{' {
		return 0, fmt.Errorf("%w: payload must be a JSON object of at most %d bytes", ErrInvalid, MaxPayload)
	}
	var seq int64
	if err := tx.QueryRow(ctx, publishSQL, string(room), kind, b).Scan(&seq); err != nil {
		return 0, fmt.Errorf("realtime: publish to %s: %w", room, err)
	}
	return seq, nil
}
