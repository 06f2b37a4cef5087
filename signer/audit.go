package signer

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
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
	Seq       int64
	PrevHash  []byte
	Hash      []byte
	Event     string
	IntentID  *uuid.UUID
	Detail    string
	At        time.Time
	Signature []byte // the operator key's signature of Hash (AuditDigest); nil before migration 00014
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

// AuditDigest is what the operator key signs for a row: the EIP-191 personal-message hash of the
// row's chain hash ("\x19Ethereum Signed Message:\n32" ‖ hash). The prefix keeps an audit
// signature from ever being a valid signature of a transaction, and any Ethereum tool recovers the
// signer from it (personal_sign / ecrecover).
func AuditDigest(hash []byte) []byte { return accounts.TextHash(hash) }

// SignAuditHash signs a row's hash with the operator key; v is 27 or 28, as wallets write it.
func SignAuditHash(key *ecdsa.PrivateKey, hash []byte) ([]byte, error) {
	sig, err := crypto.Sign(AuditDigest(hash), key)
	if err != nil {
		return nil, err
	}
	sig[64] += 27
	return sig, nil
}

// AuditSigner recovers the address that signed a row's hash.
func AuditSigner(hash, sig []byte) (common.Address, error) {
	if len(sig) != 65 || (sig[64] != 27 && sig[64] != 28) {
		return common.Address{}, errors.New("not a 65-byte signature with v 27 or 28")
	}
	rsv := bytes.Clone(sig)
	rsv[64] -= 27
	pub, err := crypto.SigToPub(AuditDigest(hash), rsv)
	if err != nil {
		return common.Address{}, err
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// appendAudit adds a row inside tx, signed with the signer's operator key.
func (s *Signer) appendAudit(ctx context.Context, tx pgx.Tx, event string, intentID *uuid.UUID, detail string) error {
	return appendAudit(ctx, tx, s.cfg.Keys.Operator, event, intentID, detail)
}

// appendAudit adds a row inside tx, its hash signed with key.
func appendAudit(ctx context.Context, tx pgx.Tx, key *ecdsa.PrivateKey, event string, intentID *uuid.UUID, detail string) error {
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
	sig, err := SignAuditHash(key, hash)
	if err != nil {
		return fmt.Errorf("signing audit row %d: %w", seq, err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO signer_audit (seq, prev_hash, hash, event, intent_id, detail, at, signature)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, seq, prev, hash, event, intentID, detail, at, sig)
	return err
}

// AuditHead is a point of the audit log: a row's seq and hash. Pinned elsewhere (a ticket, another
// host, the Prometheus TSDB), it anchors everything up to it: no row at or before it can be
// changed, and none can be deleted, without the head's row disappearing or changing its hash.
type AuditHead struct {
	Seq  int64
	Hash []byte
}

// String is the pinnable form, SEQ:HASH (hash in hex).
func (h AuditHead) String() string { return fmt.Sprintf("%d:%x", h.Seq, h.Hash) }

// ParseAuditHead reads SEQ:HASH.
func ParseAuditHead(s string) (AuditHead, error) {
	seqText, hashText, ok := strings.Cut(strings.TrimSpace(s), ":")
	seq, err := strconv.ParseInt(seqText, 10, 64)
	hash, herr := hex.DecodeString(strings.TrimPrefix(hashText, "0x"))
	if !ok || err != nil || seq < 0 || herr != nil || len(hash) != 32 {
		return AuditHead{}, fmt.Errorf("audit head %q: want SEQ:HASH, a sequence number and a 32-byte hex hash (amn signer audit head prints one)", s)
	}
	return AuditHead{Seq: seq, Hash: hash}, nil
}

// ReadAuditHead returns the last row's seq and hash as the table holds them, unverified; an empty
// log's head is seq 0 with a zero hash.
func ReadAuditHead(ctx context.Context, q interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}) (AuditHead, error) {
	h := AuditHead{Hash: make([]byte, 32)}
	err := q.QueryRow(ctx, `SELECT seq, hash FROM signer_audit ORDER BY seq DESC LIMIT 1`).Scan(&h.Seq, &h.Hash)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return h, err
	}
	return h, nil
}

// The checks VerifyAudit makes of each row, named in an AuditBrokenError.
const (
	CheckSequence  = "sequence"      // seq follows the previous row's by one, from 1
	CheckLink      = "link"          // prev_hash is the previous row's hash
	CheckHash      = "hash"          // hash is AuditHash of the row's content
	CheckSignature = "signature"     // the operator key signed hash
	CheckHead      = "expected head" // the pinned head is still there, with its hash
)

// AuditBrokenError names the first row of the audit log that fails a check, and the check.
type AuditBrokenError struct {
	Seq    int64
	Check  string
	Reason string
}

func (e *AuditBrokenError) Error() string {
	return fmt.Sprintf("audit log broken at seq %d: %s check: %s", e.Seq, e.Check, e.Reason)
}

// AuditCheck is what VerifyAudit checks the log against.
type AuditCheck struct {
	// Operator is the signer's operator address (amn signer init printed it): every row must be
	// signed by its key. It comes from the verifier, never from the database, whose owner could
	// otherwise re-sign a rewritten log with a key of their own.
	Operator common.Address
	// SignedFrom is the first seq that must carry the operator's signature (0 or 1: every row).
	// Rows before it were written before migration 00014 or under an earlier operator key: they
	// are still hash-checked and linked, and the first signed row after them anchors them.
	SignedFrom int64
	// Expect is a head pinned earlier: the log must still hold that row with that hash. Without
	// it, rows deleted from the end (with nothing appended after) cannot be noticed.
	Expect *AuditHead
	// From is a head an earlier walk verified: that row must still be there with that hash, and
	// only the rows after it are read and checked (the signer's minute-by-minute watch). A row
	// before it altered in place is then noticed by the next full walk.
	From *AuditHead
}

// Querier is a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// VerifyAudit walks the audit log in order (all of it, or what follows c.From) and checks every
// row's sequence number, link, hash and signature, and that the expected head is in it. It
// returns the head it reached (seq 0 for an empty log), and an *AuditBrokenError naming the first
// row and check that failed.
func VerifyAudit(ctx context.Context, q Querier, c AuditCheck) (AuditHead, error) {
	head := AuditHead{Hash: make([]byte, 32)}
	if c.Operator == (common.Address{}) {
		return head, errors.New("audit: no operator address to check the signatures against")
	}
	var from int64
	if c.From != nil {
		from = c.From.Seq
	}
	rows, err := q.Query(ctx, `SELECT seq, prev_hash, hash, event, intent_id, detail, at, signature FROM signer_audit
		WHERE seq >= $1 ORDER BY seq`, from)
	if err != nil {
		return head, err
	}
	defer rows.Close()
	for rows.Next() {
		var r AuditRow
		if err := rows.Scan(&r.Seq, &r.PrevHash, &r.Hash, &r.Event, &r.IntentID, &r.Detail, &r.At, &r.Signature); err != nil {
			return head, err
		}
		if c.From != nil && head.Seq == 0 && c.From.Seq > 0 {
			// The row an earlier walk ended on: trusted, if it is still the same.
			if err := pinnedRow(c.From, r.Seq, r.Hash); err != nil {
				return head, err
			}
			head = *c.From
			continue
		}
		if err := checkAuditRow(&r, head, c); err != nil {
			return head, err
		}
		head = AuditHead{Seq: r.Seq, Hash: r.Hash}
		if e := c.Expect; e != nil && e.Seq == r.Seq {
			if err := pinnedRow(e, r.Seq, r.Hash); err != nil {
				return head, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return head, err
	}
	for _, pin := range []*AuditHead{c.From, c.Expect} {
		switch {
		case pin == nil || head.Seq >= pin.Seq:
		case from > 0 && head.Seq == 0:
			return head, &AuditBrokenError{Seq: pin.Seq, Check: CheckHead, Reason: fmt.Sprintf(
				"no row at or after seq %d is left: the pinned head's row is gone (truncated)", from)}
		default:
			return head, &AuditBrokenError{Seq: pin.Seq, Check: CheckHead, Reason: fmt.Sprintf(
				"the log ends at seq %d: the pinned head's row and the %d before it are gone (truncated)", head.Seq, pin.Seq-head.Seq-1)}
		}
	}
	return head, nil
}

// pinnedRow checks that the row found at or after a pinned head is that head.
func pinnedRow(pin *AuditHead, seq int64, hash []byte) error {
	switch {
	case seq != pin.Seq:
		return &AuditBrokenError{Seq: pin.Seq, Check: CheckHead, Reason: fmt.Sprintf(
			"the pinned head's row is gone, the next row is %d (rows deleted)", seq)}
	case !bytes.Equal(hash, pin.Hash):
		return &AuditBrokenError{Seq: pin.Seq, Check: CheckHead, Reason: fmt.Sprintf(
			"the row's hash is %x, the pinned head says %x: the log was rewritten at or before this row", hash, pin.Hash)}
	}
	return nil
}

// checkAuditRow checks one row against the one before it (prev; seq 0 for the first).
func checkAuditRow(r *AuditRow, prev AuditHead, c AuditCheck) error {
	broken := func(check, format string, a ...any) error {
		return &AuditBrokenError{Seq: r.Seq, Check: check, Reason: fmt.Sprintf(format, a...)}
	}
	switch {
	case r.Seq != prev.Seq+1:
		return broken(CheckSequence, "expected seq %d after %d (rows deleted or inserted)", prev.Seq+1, prev.Seq)
	case !bytes.Equal(r.PrevHash, prev.Hash):
		return broken(CheckLink, "prev_hash does not match the previous row's hash")
	case !bytes.Equal(r.Hash, AuditHash(r.PrevHash, r.Seq, r.Event, r.IntentID, r.Detail, r.At)):
		return broken(CheckHash, "hash does not match the row's content (row altered)")
	case r.Seq < c.SignedFrom:
		return nil
	case r.Signature == nil:
		return broken(CheckSignature, "the row is not signed (rows from %d on must be signed by the operator %s)", max(c.SignedFrom, 1), c.Operator.Hex())
	}
	by, err := AuditSigner(r.Hash, r.Signature)
	if err != nil {
		return broken(CheckSignature, "the signature is malformed: %v", err)
	}
	if by != c.Operator {
		return broken(CheckSignature, "signed by %s, not by the operator %s (row written or rewritten without the signer's key)", by.Hex(), c.Operator.Hex())
	}
	return nil
}

// fullAuditEvery is how often the signer's watch walks the whole log; in between it checks only
// what was appended since its last head (an ecrecover per row adds up on a long log).
const fullAuditEvery = time.Hour

// WatchAudit verifies the audit log now and then every interval until ctx ends, and publishes the
// result (amn_signer_audit_chain_ok) and the head it verified (amn_signer_audit_head_seq and
// amn_signer_audit_head_info{hash}) for an operator to pin elsewhere. Each check expects the head
// the last good one reached, so rows deleted from the end or rewritten while the signer runs are
// named even when what is left verifies. The whole log is walked at start and every hour; the
// checks in between walk only the rows after the last verified head.
func WatchAudit(ctx context.Context, q Querier, c AuditCheck, every time.Duration, m *Metrics, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	w := &auditWatch{check: c}
	for {
		if err := w.once(ctx, q, m, time.Now()); err != nil && ctx.Err() == nil {
			log.Error("audit log", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// auditWatch is WatchAudit's memory: the head its last good check reached, and when it last
// walked the whole log.
type auditWatch struct {
	check    AuditCheck
	head     *AuditHead
	lastFull time.Time
}

// once is one check: a full walk when due, else the rows after the last head.
func (w *auditWatch) once(ctx context.Context, q Querier, m *Metrics, now time.Time) error {
	c := w.check
	if w.head != nil {
		c.Expect = w.head
		if now.Sub(w.lastFull) < fullAuditEvery {
			c.From = w.head
		}
	}
	head, err := VerifyAudit(ctx, q, c)
	if ctx.Err() != nil {
		return err
	}
	if err == nil {
		w.head = &head
		if c.From == nil {
			w.lastFull = now
		}
	}
	m.AuditVerified(head, err == nil)
	return err
}
