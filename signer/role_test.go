package signer_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/signer"
)

// The signer's database role can read what it needs and move intents, and nothing else.
func TestSignerRoleCannotWritePaymentsOrLedger(t *testing.T) {
	ctx := context.Background()
	admin := dbtest.Pool(t)
	// One intent to update (written as the privileged side would).
	var intentID = "8a4c1d1e-0000-4000-8000-000000000001"
	if _, err := admin.Exec(ctx, `INSERT INTO signer_intents (id, kind, chain_id, contract, token, amount, state, recipient)
		VALUES ($1, 'gas_topup', 56, '0x1111111111111111111111111111111111111111', '0x0000000000000000000000000000000000000000', 1, 'pending',
		'0x3333333333333333333333333333333333333333')`, intentID); err != nil {
		t.Fatal(err)
	}
	pool, err := signer.OpenDB(ctx, dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var role string
	if err := pool.QueryRow(ctx, `SELECT current_user`).Scan(&role); err != nil || role != signer.Role {
		t.Fatalf("current_user = %q, %v; want %s", role, err, signer.Role)
	}

	// Writes to the signer's tables name the leader epoch (migration 00013): the statements below
	// take one, as a signer taking the lead does, and run in a transaction that names it.
	fenced := func(q string) string {
		return `BEGIN; SELECT set_config('amn.signer_epoch', (SELECT epoch::text FROM signer_leader), true); ` + q + `; COMMIT`
	}
	allowed := []string{
		`UPDATE signer_leader SET epoch = epoch + 1, holder = 'role test', taken_at = now()`,
		`SELECT count(*) FROM payments`,
		`SELECT count(*) FROM payment_timeline`,
		`SELECT count(*) FROM ledger_accounts`,
		`SELECT count(*) FROM ledger_transfers`,
		`SELECT count(*) FROM custody_approvals`,
		`SELECT count(*) FROM custodians`,
		fenced(`UPDATE signer_intents SET state = 'rejected', reason = 'test', updated_at = now() WHERE id = '` + intentID + `'`),
		fenced(`INSERT INTO signer_nonces (chain_id, sender, next_nonce) VALUES (56, '0x2222222222222222222222222222222222222222', 0)`),
		fenced(`UPDATE signer_nonces SET next_nonce = 1`),
		// rolled back: other tests verify the whole audit chain
		`BEGIN; INSERT INTO signer_audit (seq, prev_hash, hash, event, at) VALUES (1000000, '\x` + zeros + `', '\x` + ones + `', 'test', now()); ROLLBACK`,
	}
	for _, q := range allowed {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Errorf("%s: %v (want allowed)", q, err)
		}
	}
	denied := []string{
		`UPDATE payments SET state = 'released'`,
		`INSERT INTO payment_timeline (payment_id, seq, to_state, event, actor) VALUES (gen_random_uuid(), 1, 'released', 'x', 'x')`,
		`DELETE FROM payments`,
		`UPDATE ledger_accounts SET credits_posted = credits_posted + 1`,
		// the worker marks an intent's gas booked, not the signer
		`UPDATE signer_intents SET gas_booked_at = now() WHERE id = '` + intentID + `'`,
		`INSERT INTO ledger_transfers (id) VALUES (gen_random_uuid())`,
		`DELETE FROM ledger_entries`,
		`INSERT INTO signer_intents (id, kind, chain_id, contract, token, state) VALUES (gen_random_uuid(), 'sweep', 1, '0x1111111111111111111111111111111111111111', '0x1111111111111111111111111111111111111111', 'pending')`,
		`UPDATE signer_intents SET seller = '0x3333333333333333333333333333333333333333'`,
		`UPDATE signer_intents SET amount = 2`,
		`INSERT INTO custody_approvals (intent_id, signer, signature) VALUES ('` + intentID + `', '0x2222222222222222222222222222222222222222', '\x00')`,
		`UPDATE custodians SET hardware = true`,
		`UPDATE signer_audit SET event = 'forged'`,
		`DELETE FROM signer_audit`,
		`UPDATE signer_leader SET id = false`,
		`DELETE FROM signer_leader`,
		`SELECT count(*) FROM river_job`,
		`SELECT count(*) FROM webhook_deliveries`,
	}
	for _, q := range denied {
		_, err := pool.Exec(ctx, q)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" { // insufficient_privilege
			t.Errorf("%s: %v (want permission denied)", q, err)
		}
	}
}

// In production the signer logs in as a user that is only a member of amn_signer: then not even
// RESET ROLE gives it more.
func TestSignerLoginMemberCannotEscape(t *testing.T) {
	ctx := context.Background()
	admin := dbtest.Pool(t)
	login := "amn_signer_login_" + strings.ReplaceAll(dbtest.Name(t), "-", "_")
	if len(login) > 60 {
		login = login[:60]
	}
	ident := pgx.Identifier{login}.Sanitize()
	if _, err := admin.Exec(ctx, "CREATE ROLE "+ident+" LOGIN IN ROLE "+signer.Role); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec(context.Background(), "DROP ROLE IF EXISTS "+ident) })
	u, err := url.Parse(dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(login)
	pool, err := signer.OpenDB(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, `SELECT count(*) FROM payments`); err != nil {
		t.Fatalf("reading payments: %v", err)
	}
	_, err = pool.Exec(ctx, `RESET ROLE; UPDATE payments SET state = 'released'`)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		t.Fatalf("RESET ROLE then UPDATE payments: %v, want permission denied", err)
	}
}

var (
	zeros = "0000000000000000000000000000000000000000000000000000000000000000"
	ones  = "1111111111111111111111111111111111111111111111111111111111111111"
)
