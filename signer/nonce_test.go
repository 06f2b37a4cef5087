package signer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/signer"
)

// The schema refuses a second payload at a nonce: attempts may differ in fees only.
func TestNonceNeverCarriesAnotherPayload(t *testing.T) {
	ctx := context.Background()
	admin := dbtest.Pool(t)
	const intentID = "8a4c1d1e-0000-4000-8000-0000000000a1"
	if _, err := admin.Exec(ctx, `INSERT INTO signer_intents (id, kind, chain_id, contract, token, amount, state, recipient)
		VALUES ($1, 'gas_topup', 77, '0x1111111111111111111111111111111111111111', '0x0000000000000000000000000000000000000000', 1, 'signing',
		'0x3333333333333333333333333333333333333333')`, intentID); err != nil {
		t.Fatal(err)
	}
	pool, err := signer.OpenDB(ctx, dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	// As a leading signer writes: under a leader epoch (migration 00013).
	if _, err := pool.Exec(ctx, `UPDATE signer_leader SET epoch = epoch + 1, holder = 'nonce test'`); err != nil {
		t.Fatal(err)
	}
	insert := func(attempt int, data string, fee int) error {
		return fencedExec(ctx, pool, `INSERT INTO signer_txs (intent_id, step, chain_id, sender, nonce, attempt, to_address, value, data, gas,
			tip_cap, fee_cap, hash, raw, state) VALUES ($1, 'gas_topup', 77, '0x2222222222222222222222222222222222222222', 5, $2,
			'0x3333333333333333333333333333333333333333', 0, $3, 21000, 1, $4, $5, '\x00', 'signed')`,
			intentID, attempt, []byte(data), fee, fmt.Sprintf("0x%064x", attempt))
	}
	if err := insert(1, "pay", 10); err != nil {
		t.Fatal(err)
	}
	if err := insert(2, "pay", 12); err != nil { // a replacement: same payload, higher fees
		t.Fatalf("replacement refused: %v", err)
	}
	if err := insert(3, "steal", 14); err == nil || !strings.Contains(err.Error(), "another payload") {
		t.Fatalf("another payload at the same nonce: %v", err)
	}
	if err := insert(2, "pay", 13); err == nil {
		t.Fatal("a second attempt 2 was accepted")
	}
}

// fencedExec runs one statement in a transaction that names the current leader epoch, as the
// signer's writes do.
func fencedExec(ctx context.Context, pool *pgxpool.Pool, sql string, args ...any) error {
	return db.InTx(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('amn.signer_epoch', (SELECT epoch::text FROM signer_leader), true)`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, sql, args...)
		return err
	})
}
