package signer

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

// auditLog is a run of rows the test writes as the signer would (through the restricted role,
// signed by an operator key of its own), after whatever the package's other tests left.
type auditLog struct {
	key   *ecdsa.PrivateKey
	check AuditCheck // this log's operator, its rows signed from the first
}

func newAuditLog(t *testing.T, ctx context.Context, rows int) *auditLog {
	t.Helper()
	restricted, err := OpenDB(ctx, dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer restricted.Close()
	key, _ := crypto.GenerateKey()
	before, err := ReadAuditHead(ctx, dbtest.Pool(t))
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if err := db.InTx(ctx, restricted, func(tx pgx.Tx) error {
			return appendAudit(ctx, tx, key, AuditAccepted, nil, fmt.Sprint("row ", i))
		}); err != nil {
			t.Fatal(err)
		}
	}
	return &auditLog{key: key, check: AuditCheck{Operator: crypto.PubkeyToAddress(key.PublicKey), SignedFrom: before.Seq + 1}}
}

// rewrite is the database owner's attack: change row seq's detail and recompute the hash chain
// from there to the end (hashes and links), so that every hash verifies. The signatures are kept,
// or made with resign, a key of the attacker's.
func rewrite(t *testing.T, ctx context.Context, tx pgx.Tx, seq int64, resign *ecdsa.PrivateKey) {
	t.Helper()
	var prev []byte
	if err := tx.QueryRow(ctx, `SELECT hash FROM signer_audit WHERE seq = $1`, seq-1).Scan(&prev); err != nil {
		t.Fatal(err)
	}
	rows, err := tx.Query(ctx, `SELECT seq, event, intent_id, detail, at, signature FROM signer_audit WHERE seq >= $1 ORDER BY seq`, seq)
	if err != nil {
		t.Fatal(err)
	}
	var log []AuditRow
	for rows.Next() {
		var r AuditRow
		if err := rows.Scan(&r.Seq, &r.Event, &r.IntentID, &r.Detail, &r.At, &r.Signature); err != nil {
			t.Fatal(err)
		}
		log = append(log, r)
	}
	rows.Close()
	for _, r := range log {
		if r.Seq == seq {
			r.Detail = "forged: gas top-up to the attacker approved"
		}
		r.PrevHash, r.Hash = prev, AuditHash(prev, r.Seq, r.Event, r.IntentID, r.Detail, r.At)
		if resign != nil {
			if r.Signature, err = SignAuditHash(resign, r.Hash); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE signer_audit SET prev_hash = $2, hash = $3, detail = $4, signature = $5 WHERE seq = $1`,
			r.Seq, r.PrevHash, r.Hash, r.Detail, r.Signature); err != nil {
			t.Fatal(err)
		}
		prev = r.Hash
	}
}

// attack runs fn as the database owner in a transaction that is rolled back afterwards.
func attack(t *testing.T, ctx context.Context, fn func(tx pgx.Tx)) {
	t.Helper()
	tx, err := dbtest.Pool(t).Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	fn(tx)
}

func wantBroken(t *testing.T, err error, seq int64, check, reason string) {
	t.Helper()
	var broken *AuditBrokenError
	if !errors.As(err, &broken) || broken.Seq != seq || broken.Check != check || !strings.Contains(broken.Reason, reason) {
		t.Fatalf("verify: %v; want seq %d, %s check, %q", err, seq, check, reason)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("seq %d: %s check", seq, check)) {
		t.Fatalf("the error does not name the row and the check: %v", err)
	}
}

// Acceptance 6: every row is signed by the operator key; a log the database owner rewrote and
// recomputed, and a log cut short, are named (which seq, which check), the latter against a head
// pinned earlier. No role but the owner may change or remove a row.
func TestAuditRewriteAndTruncationAreNamed(t *testing.T) {
	ctx := context.Background()
	l := newAuditLog(t, ctx, 5)
	pinned, err := VerifyAudit(ctx, dbtest.Pool(t), l.check)
	if err != nil || pinned.Seq != l.check.SignedFrom+4 {
		t.Fatalf("verify: head %s, %v", pinned, err)
	}
	last, target := pinned.Seq, pinned.Seq-2
	withPin := l.check
	withPin.Expect = &pinned
	if _, err := VerifyAudit(ctx, dbtest.Pool(t), withPin); err != nil {
		t.Fatalf("verify against the head just pinned: %v", err)
	}
	if _, err := ParseAuditHead(pinned.String()); err != nil {
		t.Fatalf("the printed head %s does not parse: %v", pinned, err)
	}

	t.Run("rewritten and recomputed, signatures kept", func(t *testing.T) {
		attack(t, ctx, func(tx pgx.Tx) {
			rewrite(t, ctx, tx, target, nil)
			_, err := VerifyAudit(ctx, tx, l.check)
			wantBroken(t, err, target, CheckSignature, "not by the operator")
		})
	})
	t.Run("rewritten, recomputed and re-signed with the attacker's key", func(t *testing.T) {
		attacker, _ := crypto.GenerateKey()
		attack(t, ctx, func(tx pgx.Tx) {
			rewrite(t, ctx, tx, target, attacker)
			_, err := VerifyAudit(ctx, tx, l.check)
			wantBroken(t, err, target, CheckSignature, crypto.PubkeyToAddress(attacker.PublicKey).Hex())
		})
	})
	t.Run("a row appended without a signature", func(t *testing.T) {
		attack(t, ctx, func(tx pgx.Tx) {
			at := time.Now().UTC().Truncate(time.Microsecond)
			h := AuditHash(pinned.Hash, last+1, AuditAccepted, nil, "forged", at)
			if _, err := tx.Exec(ctx, `INSERT INTO signer_audit (seq, prev_hash, hash, event, detail, at) VALUES ($1, $2, $3, 'accepted', 'forged', $4)`,
				last+1, pinned.Hash, h, at); err != nil {
				t.Fatal(err)
			}
			_, err := VerifyAudit(ctx, tx, l.check)
			wantBroken(t, err, last+1, CheckSignature, "not signed")
		})
	})
	t.Run("truncated", func(t *testing.T) {
		attack(t, ctx, func(tx pgx.Tx) {
			if _, err := tx.Exec(ctx, `DELETE FROM signer_audit WHERE seq > $1`, last-2); err != nil {
				t.Fatal(err)
			}
			// What is left chains and is signed: only the pinned head shows rows are missing.
			if _, err := VerifyAudit(ctx, tx, l.check); err != nil {
				t.Fatalf("the rest of the log: %v", err)
			}
			_, err := VerifyAudit(ctx, tx, withPin)
			wantBroken(t, err, last, CheckHead, fmt.Sprintf("the log ends at seq %d", last-2))
			wantBroken(t, err, last, CheckHead, "truncated")
		})
	})
	t.Run("truncated, then written on by the signer", func(t *testing.T) {
		attack(t, ctx, func(tx pgx.Tx) {
			if _, err := tx.Exec(ctx, `DELETE FROM signer_audit WHERE seq > $1`, last-2); err != nil {
				t.Fatal(err)
			}
			for range 3 { // the signer goes on from the cut, under its own key
				if err := appendAudit(ctx, tx, l.key, AuditStarted, nil, "after the cut"); err != nil {
					t.Fatal(err)
				}
			}
			_, err := VerifyAudit(ctx, tx, withPin)
			wantBroken(t, err, last, CheckHead, "rewritten")
		})
	})
	t.Run("a row altered in place", func(t *testing.T) {
		attack(t, ctx, func(tx pgx.Tx) {
			if _, err := tx.Exec(ctx, `UPDATE signer_audit SET detail = 'forged' WHERE seq = $1`, target); err != nil {
				t.Fatal(err)
			}
			_, err := VerifyAudit(ctx, tx, l.check)
			wantBroken(t, err, target, CheckHash, "altered")
		})
	})
	t.Run("a row deleted in the middle", func(t *testing.T) {
		attack(t, ctx, func(tx pgx.Tx) {
			if _, err := tx.Exec(ctx, `DELETE FROM signer_audit WHERE seq = $1`, target); err != nil {
				t.Fatal(err)
			}
			_, err := VerifyAudit(ctx, tx, l.check)
			wantBroken(t, err, target+1, CheckSequence, fmt.Sprintf("expected seq %d", target))
		})
	})
	t.Run("no role but the owner changes a row", func(t *testing.T) {
		for _, role := range []string{Role, "amn_api", "amn_indexer", "amn_worker"} {
			for _, stmt := range []string{
				`UPDATE signer_audit SET detail = 'forged' WHERE seq = ` + fmt.Sprint(target),
				`DELETE FROM signer_audit WHERE seq = ` + fmt.Sprint(last),
				`TRUNCATE signer_audit`,
				`CREATE TRIGGER forge BEFORE INSERT ON signer_audit FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()`,
			} {
				attack(t, ctx, func(tx pgx.Tx) {
					if _, err := tx.Exec(ctx, `SET LOCAL ROLE `+role); err != nil {
						t.Fatal(err)
					}
					if _, err := tx.Exec(ctx, stmt); err == nil || !strings.Contains(err.Error(), "denied") {
						t.Errorf("%s could run %q: %v", role, stmt, err)
					}
				})
			}
		}
	})
	if _, err := VerifyAudit(ctx, dbtest.Pool(t), withPin); err != nil {
		t.Fatalf("after the rolled-back attacks: %v", err)
	}
}

// The running signer's watch publishes the head it verified, pins it for its next check (which
// reads only what was appended since), names rows deleted since, and keeps the last good head
// published; its hourly full walk finds an older row altered in place.
func TestWatchAuditPublishesAndPinsItsHead(t *testing.T) {
	ctx := context.Background()
	l := newAuditLog(t, ctx, 2)
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	attack(t, ctx, func(tx pgx.Tx) {
		w := &auditWatch{check: l.check}
		if err := w.once(ctx, tx, m, start); err != nil {
			t.Fatal(err)
		}
		if err := appendAudit(ctx, tx, l.key, AuditStarted, nil, "one more"); err != nil {
			t.Fatal(err)
		}
		if err := w.once(ctx, tx, m, start.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		head, err := ReadAuditHead(ctx, tx)
		if err != nil {
			t.Fatal(err)
		}
		published := func() string {
			return fmt.Sprintf("ok %v seq %v info %v series %d", testutil.ToFloat64(m.auditOK), testutil.ToFloat64(m.auditSeq),
				testutil.ToFloat64(m.auditHash.WithLabelValues(hex.EncodeToString(head.Hash))), testutil.CollectAndCount(m.auditHash))
		}
		want := fmt.Sprintf("ok 1 seq %d info 1 series 1", head.Seq)
		if got := published(); got != want || w.head == nil || w.head.String() != head.String() {
			t.Fatalf("published %s, want %s; pinned %v", got, want, w.head)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM signer_audit WHERE seq = $1`, head.Seq); err != nil {
			t.Fatal(err)
		}
		err = w.once(ctx, tx, m, start.Add(2*time.Minute))
		wantBroken(t, err, head.Seq, CheckHead, "truncated")
		if got, want := published(), fmt.Sprintf("ok 0 seq %d info 1 series 1", head.Seq); got != want {
			t.Fatalf("after the cut: published %s, want %s", got, want)
		}
	})
	attack(t, ctx, func(tx pgx.Tx) {
		w := &auditWatch{check: l.check}
		if err := w.once(ctx, tx, m, start); err != nil {
			t.Fatal(err)
		}
		first := l.check.SignedFrom
		if _, err := tx.Exec(ctx, `UPDATE signer_audit SET detail = 'forged' WHERE seq = $1`, first); err != nil {
			t.Fatal(err)
		}
		if err := w.once(ctx, tx, m, start.Add(time.Minute)); err != nil {
			t.Fatalf("the minute's check reads only new rows: %v", err)
		}
		err := w.once(ctx, tx, m, start.Add(fullAuditEvery+time.Minute))
		wantBroken(t, err, first, CheckHash, "altered")
	})
}

// A pinned head reads back from its printed form; other forms are refused.
func TestParseAuditHead(t *testing.T) {
	h := AuditHead{Seq: 42, Hash: make([]byte, 32)}
	h.Hash[31] = 7
	got, err := ParseAuditHead(" " + h.String() + "\n")
	if err != nil || got.Seq != 42 || hex.EncodeToString(got.Hash) != hex.EncodeToString(h.Hash) {
		t.Fatalf("ParseAuditHead(%s) = %s, %v", h, got, err)
	}
	for _, bad := range []string{"", "42", "42:", "x:" + hex.EncodeToString(h.Hash), "-1:" + hex.EncodeToString(h.Hash), "42:abcd", "42:" + strings.Repeat("zz", 32)} {
		if _, err := ParseAuditHead(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
