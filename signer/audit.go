package signer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Audit events: every decision the signer makes.
const (
	AuditAccepted  = "accepted"  // the intent passed every check
	AuditRejected  = "rejected"  // a check failed; detail says which
	AuditSigned    = "signed"    // a transaction was signed (nonce reserved)
	AuditBroadcast = "broadcast" // a transaction reached the node (or was found there)
	AuditReplaced  = "replaced"  // a stuck transaction was re-signed with higher fees
	AuditConfirmed = "confirmed" // a transaction is final
	AuditDone      = "done"      // the intent is finished
	AuditStarted   = "started"   // a signer process took the lead
)

// auditLockKey serialises appends, so that seq and prev_hash never fork.
const auditLockKey = 0x616d6e61756474 // "amnaudt"

// AuditRow is one row of signer_audit.
type AuditRow struct {
	Seq      int64
	PrevHash []byte
	Hash     []byte
	Event    string
	IntentID *uuid.UUID
	Detail   string
	At       time.Time
}

// AuditHash is the hash a row must carry: sha256 over the previous hash, the sequence number, the
// event, the intent, the detail and the time, each length-prefixed so no two rows collide.
func AuditHash(prev []byte, seq int64, event string, intentID *uuid.UUID, detail string, at time.Time) []byte {
	h := sha256.New()
	var n [8]byte
	field := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	field(prev)
	binary.BigEndian.PutUint64(n[:], uint64(seq))
	h.Write(n[:])
	field([]byte(event))
	if intentID != nil {
		field(intentID[:])
	} else {
		field(nil)
	}
	field([]byte(detail))
	field([]byte(at.UTC().Format(time.RFC3339Nano)))
	return h.Sum(nil)
}

// appendAudit adds a row inside tx.
func appendAudit(ctx context.Context, tx pgx.Tx, event string, intentID *uuid.UUID, detail string) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(auditLockKey)); err != nil {
		return err
	}
	var seq int64
	prev := make([]byte, 32)
	err := tx.QueryRow(ctx, `SELECT seq, hash FROM signer_audit ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	seq++
	// Postgres keeps microseconds; hash what is stored.
	at := time.Now().UTC().Truncate(time.Microsecond)
	hash := AuditHash(prev, seq, event, intentID, detail, at)
	_, err = tx.Exec(ctx, `INSERT INTO signer_audit (seq, prev_hash, hash, event, intent_id, detail, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, seq, prev, hash, event, intentID, detail, at)
	return err
}

// AuditBrokenError names the first row of the audit log that does not chain.
type AuditBrokenError struct {
	Seq    int64
	Reason string
}

func (e *AuditBrokenError) Error() string {
	return fmt.Sprintf("audit log broken at seq %d: %s", e.Seq, e.Reason)
}

// Querier is a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// VerifyAudit walks the whole audit log in order and checks every row's hash and link. It
// returns how many rows it checked, and an *AuditBrokenError naming the first bad row.
func VerifyAudit(ctx context.Context, q Querier) (int64, error) {
	rows, err := q.Query(ctx, `SELECT seq, prev_hash, hash, event, intent_id, detail, at FROM signer_audit ORDER BY seq`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	prev := make([]byte, 32)
	var n, want int64 = 0, 1
	for rows.Next() {
		var r AuditRow
		if err := rows.Scan(&r.Seq, &r.PrevHash, &r.Hash, &r.Event, &r.IntentID, &r.Detail, &r.At); err != nil {
			return n, err
		}
		switch {
		case r.Seq != want:
			return n, &AuditBrokenError{Seq: r.Seq, Reason: fmt.Sprintf("sequence gap: expected %d", want)}
		case !bytes.Equal(r.PrevHash, prev):
			return n, &AuditBrokenError{Seq: r.Seq, Reason: "prev_hash does not match the previous row's hash"}
		case !bytes.Equal(r.Hash, AuditHash(r.PrevHash, r.Seq, r.Event, r.IntentID, r.Detail, r.At)):
			return n, &AuditBrokenError{Seq: r.Seq, Reason: "hash does not match the row's content (row altered)"}
		}
		prev, want = r.Hash, want+1
		n++
	}
	return n, rows.Err()
}
