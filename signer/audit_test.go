package signer

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

// Acceptance 6: the audit chain verifies, and a tampered row is named.
func TestAuditChainDetectsTampering(t *testing.T) {
	ctx := context.Background()
	admin := dbtest.Pool(t)
	restricted, err := OpenDB(ctx, dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer restricted.Close()
	for i := range 5 {
		if err := db.InTx(ctx, restricted, func(tx pgx.Tx) error {
			return appendAudit(ctx, tx, AuditAccepted, nil, strings.Repeat("x", i))
		}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := VerifyAudit(ctx, admin)
	if err != nil || n < 5 {
		t.Fatalf("verify: %d rows, %v", n, err)
	}
	var seq int64
	if err := admin.QueryRow(ctx, `SELECT max(seq) - 2 FROM signer_audit`).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	// The signer's own role cannot rewrite history …
	if _, err := restricted.Exec(ctx, `UPDATE signer_audit SET detail = 'forged' WHERE seq = $1`, seq); err == nil {
		t.Fatal("amn_signer could update the audit log")
	}
	// … but someone with more rights can; verify names the row.
	tx, err := admin.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, `UPDATE signer_audit SET detail = 'forged' WHERE seq = $1`, seq); err != nil {
		t.Fatal(err)
	}
	_, err = VerifyAudit(ctx, tx)
	var broken *AuditBrokenError
	if !errors.As(err, &broken) || broken.Seq != seq || !strings.Contains(broken.Reason, "altered") {
		t.Fatalf("verify after tampering with %d: %v", seq, err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	// Deleting a row in the middle breaks the link of the next one.
	tx, err = admin.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, `DELETE FROM signer_audit WHERE seq = $1`, seq); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyAudit(ctx, tx); !errors.As(err, &broken) || broken.Seq != seq+1 {
		t.Fatalf("verify after deleting %d: %v", seq, err)
	}
}
