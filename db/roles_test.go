package db_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

// TestGrantsAreWhatTheDatabaseGives: the migrations give each role exactly db.Grants, no more
// (a finding) and no less (a process that fails at its first write).
func TestGrantsAreWhatTheDatabaseGives(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	for _, role := range db.Roles {
		if err := db.VerifyGrants(ctx, pool, role); err != nil {
			t.Errorf("%v", err)
		}
	}
}

// TestVerifyGrantsNamesWhatIsBeyond: a privilege beyond the table (here a column of a payment's
// parties, and the whole of the signer's nonces) is named; a missing one too.
func TestVerifyGrantsNamesWhatIsBeyond(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	undo := func(q string) {
		t.Cleanup(func() {
			if _, err := pool.Exec(context.Background(), q); err != nil {
				t.Error(err)
			}
		})
	}
	for _, q := range []string{
		`GRANT UPDATE (buyer_address) ON payments TO amn_indexer`,
		`GRANT INSERT ON signer_nonces TO amn_indexer`,
		`REVOKE UPDATE (done_at) ON indexer_rescans FROM amn_indexer`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	undo(`REVOKE UPDATE (buyer_address) ON payments FROM amn_indexer`)
	undo(`REVOKE INSERT ON signer_nonces FROM amn_indexer`)
	undo(`GRANT UPDATE (done_at) ON indexer_rescans TO amn_indexer`)
	err := db.VerifyGrants(ctx, pool, db.RoleIndexer)
	var ge *db.GrantsError
	if !errors.As(err, &ge) {
		t.Fatalf("VerifyGrants = %v, want a *GrantsError", err)
	}
	want := []string{"INSERT on signer_nonces", "UPDATE (buyer_address) on payments"}
	if !slices.Equal(ge.Extra, want) || !slices.Equal(ge.Missing, []string{"UPDATE (done_at) on indexer_rescans"}) {
		t.Fatalf("extra %q, missing %q; want extra %q and missing UPDATE (done_at) on indexer_rescans", ge.Extra, ge.Missing, want)
	}
	if !strings.Contains(err.Error(), "role amn_indexer can do more than docs/security.md grants it: INSERT on signer_nonces") {
		t.Fatalf("message %q", err)
	}
}

// TestSecurityDocShowsTheGrants: docs/security.md's grants table is db.Grants, row for row.
func TestSecurityDocShowsTheGrants(t *testing.T) {
	f, err := os.Open("../docs/security.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cells := strings.Split(strings.Trim(strings.TrimSpace(sc.Text()), "|"), "|")
		if len(cells) != 3 || !strings.HasPrefix(strings.TrimSpace(cells[0]), "amn_") {
			continue
		}
		key := strings.TrimSpace(cells[0]) + " " + strings.Trim(strings.TrimSpace(cells[1]), "`")
		if _, dup := doc[key]; dup {
			t.Errorf("docs/security.md lists %s twice", key)
		}
		doc[key] = canonical(t, strings.TrimSpace(cells[2]))
	}
	var rows []string
	for _, g := range db.Grants {
		key := g.Role + " " + g.Object
		want := canonical(t, g.Privileges)
		rows = append(rows, fmt.Sprintf("| %s | `%s` | %s |", g.Role, g.Object, g.Privileges))
		got, ok := doc[key]
		switch {
		case !ok:
			t.Errorf("docs/security.md lacks %s: %s", key, want)
		case got != want:
			t.Errorf("docs/security.md: %s is %q, db.Grants says %q", key, got, want)
		}
		delete(doc, key)
	}
	for key, p := range doc {
		t.Errorf("docs/security.md grants %s %q, which db.Grants does not", key, p)
	}
	if t.Failed() {
		t.Logf("db.Grants as a table:\n%s", strings.Join(rows, "\n"))
	}
}

// canonical is a privileges string with privileges and columns in a fixed order.
func canonical(t *testing.T, s string) string {
	t.Helper()
	ps, err := db.ParsePrivileges(s)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		cols := slices.Clone(p.Columns)
		sort.Strings(cols)
		if len(cols) > 0 {
			out = append(out, p.Name+" ("+strings.Join(cols, ", ")+")")
		} else {
			out = append(out, p.Name)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func TestParsePrivileges(t *testing.T) {
	ps, err := db.ParsePrivileges("SELECT, INSERT (a, b),UPDATE ( c ), DELETE")
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, p := range ps {
		parts = append(parts, p.Name+fmt.Sprint(p.Columns))
	}
	got := strings.Join(parts, " ")
	if got != "SELECT[] INSERT[a b] UPDATE[c] DELETE[]" {
		t.Fatalf("parsed %s", got)
	}
	for _, bad := range []string{"SELECT, FLY", "UPDATE (a", "UPDATE ()", "UPDATE (a) DELETE"} {
		if _, err := db.ParsePrivileges(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// Fixture rows every denial is tried against, written by the owner.
const (
	fxAccount = "00000000-0000-4000-8000-0000000000a1"
	fxPayment = "00000000-0000-4000-8000-0000000000b1" // in escrow
	fxPending = "00000000-0000-4000-8000-0000000000c1" // a pending sweep intent
	fxDone    = "00000000-0000-4000-8000-0000000000c2" // a finished release intent
	fxAddr    = "0x1111111111111111111111111111111111111111"
	fxEvil    = "0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
	fxHash    = "0x2222222222222222222222222222222222222222222222222222222222222222"
)

func fixtures(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO ledger_accounts (id, ledger, code) VALUES ('` + fxAccount + `', 'bsc:USDT', 2) ON CONFLICT DO NOTHING`,
		`INSERT INTO payments (id, buyer_ref, offer_ref, seller_address, buyer_address, chain_id, ledger, token_address,
			token_decimals, amount, fee_address, deposit_index, deposit_address, request_id, salt, reference, state,
			expires_at, watch_until, deposit_account, received, seller_signature, buyer_signature)
			VALUES ('` + fxPayment + `', 'b', 'o', '` + fxAddr + `', '` + fxAddr + `', 56, 'bsc:USDT', '` + fxAddr + `', 6, 100,
			'` + fxAddr + `', 2000000000, '0x3333333333333333333333333333333333333333', 'r', 's', '\x0102030405060708', 'in_escrow',
			now() + interval '1 hour', now() + interval '2 hours', '` + fxAccount + `', 100, '\x` + sig65 + `', '\x` + sig65 + `') ON CONFLICT DO NOTHING`,
		`INSERT INTO signer_intents (id, kind, payment_id, chain_id, contract, token, buyer, seller, amount, state)
			VALUES ('` + fxPending + `', 'sweep', '` + fxPayment + `', 56, '` + fxAddr + `', '` + fxAddr + `', '` + fxAddr + `', '` + fxAddr + `', 100, 'pending')
			ON CONFLICT DO NOTHING`,
		`INSERT INTO signer_intents (id, kind, payment_id, chain_id, contract, token, seller, seller_amount, state)
			VALUES ('` + fxDone + `', 'release', '` + fxPayment + `', 56, '` + fxAddr + `', '` + fxAddr + `', '` + fxAddr + `', 100, 'done')
			ON CONFLICT DO NOTHING`,
		`INSERT INTO custodians (address) VALUES ('` + fxAddr + `') ON CONFLICT DO NOTHING`,
		`INSERT INTO signer_nonces (chain_id, sender, next_nonce) VALUES (56, '` + fxAddr + `', 7) ON CONFLICT DO NOTHING`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// Writes no role but the owner (and, for its own tables, the signer) may make: a payment's parties,
// deposit and chain; the signer's transactions, nonces and audit log; an intent's state past
// pending; deleting the books or the payments; creating objects; becoming another role.
var deniedToAll = []string{
	`UPDATE payments SET buyer_address = '` + fxEvil + `' WHERE id = '` + fxPayment + `'`,
	`UPDATE payments SET seller_address = '` + fxEvil + `' WHERE id = '` + fxPayment + `'`,
	`UPDATE payments SET deposit_index = 7 WHERE id = '` + fxPayment + `'`,
	`UPDATE payments SET deposit_address = '` + fxEvil + `' WHERE id = '` + fxPayment + `'`,
	`UPDATE payments SET chain_id = 1 WHERE id = '` + fxPayment + `'`,
	`UPDATE payments SET amount = 1, commission = 0 WHERE id = '` + fxPayment + `'`,
	`DELETE FROM payments WHERE id = '` + fxPayment + `'`,
	`TRUNCATE payments CASCADE`,
	`INSERT INTO signer_txs (intent_id, step, chain_id, sender, nonce, attempt, to_address, value, data, gas, tip_cap, fee_cap, hash, raw, state)
		VALUES ('` + fxPending + `', 'fund', 56, '` + fxAddr + `', 7, 1, '` + fxEvil + `', 0, '\xa9059cbb', 60000, 1, 1, '` + fxHash + `', '\x01', 'broadcast')`,
	`UPDATE signer_txs SET to_address = '` + fxEvil + `'`,
	`DELETE FROM signer_txs`,
	`INSERT INTO signer_nonces (chain_id, sender, next_nonce) VALUES (1, '` + fxEvil + `', 0)`,
	`UPDATE signer_nonces SET next_nonce = 0`,
	`DELETE FROM signer_nonces`,
	`INSERT INTO signer_audit (seq, prev_hash, hash, event, at) VALUES (999999, '\x` + strings.Repeat("00", 32) + `', '\x` + strings.Repeat("11", 32) + `', 'forged', now())`,
	`UPDATE signer_audit SET detail = 'rewritten'`,
	`DELETE FROM signer_audit`,
	`UPDATE signer_intents SET state = 'approved' WHERE id = '` + fxPending + `'`,
	`UPDATE signer_intents SET buyer = '` + fxEvil + `' WHERE id = '` + fxPending + `'`,
	`UPDATE signer_intents SET reason = 'x', signed_at = now()`,
	`DELETE FROM signer_intents WHERE id = '` + fxPending + `'`,
	`UPDATE ledger_transfers SET amount = 1`,
	`DELETE FROM ledger_transfers`,
	`DELETE FROM ledger_entries`,
	`UPDATE ledger_entries SET amount = 1`,
	`DELETE FROM ledger_accounts`,
	`UPDATE ledger_accounts SET code = 1, owner_ref = 'x'`,
	`DELETE FROM payment_timeline`,
	`UPDATE payment_timeline SET reason = 'x'`,
	`DELETE FROM custody_approvals`,
	`UPDATE river_migration SET version = 0`,
	`DELETE FROM goose_db_version`,
	`CREATE TABLE mine (x int)`,
	`SET ROLE amn_signer`,
	`SET ROLE postgres`,
	// A login that is a member of one role only gains nothing by leaving it.
	`RESET ROLE; UPDATE payments SET buyer_address = '` + fxEvil + `' WHERE id = '` + fxPayment + `'`,
}

// What each role's table denies beyond deniedToAll.
var deniedTo = map[string][]string{
	db.RoleAPI: {
		// The API asks; it never moves money state, amounts or the books.
		`UPDATE payments SET state = 'released' WHERE id = '` + fxPayment + `'`,
		`UPDATE payments SET state = 'releasing' WHERE id = '` + fxPayment + `'`,
		`UPDATE payments SET state = 'disputed', disputed_from = 'released' WHERE id = '` + fxPayment + `'`,
		`UPDATE payments SET received = 1000000000 WHERE id = '` + fxPayment + `'`,
		`UPDATE payments SET pending_amount = 1, paid_late = true`,
		`INSERT INTO payments (id, buyer_ref, offer_ref, seller_address, chain_id, ledger, token_address, token_decimals, amount,
			fee_address, deposit_index, deposit_address, request_id, salt, reference, expires_at, watch_until, deposit_account, state, received)
			VALUES (gen_random_uuid(), 'b', 'forged', '` + fxAddr + `', 56, 'bsc:USDT', '` + fxAddr + `', 6, 100, '` + fxAddr + `', 2000000001,
			'0x4444444444444444444444444444444444444444', 'r', 's', '\x0102030405060709', now(), now(), '` + fxAccount + `', 'in_escrow', 100)`,
		`INSERT INTO ledger_transfers (id, ledger, debit_account_id, credit_account_id, amount, code, pending, post_pending, void_pending, linked, created_at)
			VALUES (gen_random_uuid(), 'bsc:USDT', gen_random_uuid(), '` + fxAccount + `', 1, 10, false, false, false, false, now())`,
		`INSERT INTO ledger_entries (account_id, seq, transfer_id, field, amount, balance_before, balance_after)
			VALUES ('` + fxAccount + `', 99, gen_random_uuid(), 4, 1, 0, 1)`,
		`INSERT INTO ledger_pending (transfer_id, state) VALUES (gen_random_uuid(), 'open')`,
		`UPDATE ledger_accounts SET credits_posted = credits_posted + 1`,
		`UPDATE ledger_pending SET state = 'posted'`,
		`INSERT INTO ledger_accounts (id, ledger, code, credits_posted) VALUES (gen_random_uuid(), 'bsc:USDT', 2, 1000)`,
		// Intents only as pending or awaiting approvals, only what they ask for.
		`INSERT INTO signer_intents (id, kind, chain_id, contract, token, recipient, amount, state)
			VALUES (gen_random_uuid(), 'gas_topup', 56, '` + fxAddr + `', '` + fxAddr + `', '` + fxEvil + `', 1, 'approved')`,
		`INSERT INTO signer_intents (id, kind, chain_id, contract, token, recipient, amount, state)
			VALUES (gen_random_uuid(), 'gas_topup', 56, '` + fxAddr + `', '` + fxAddr + `', '` + fxEvil + `', 1, 'broadcast')`,
		`INSERT INTO signer_intents (id, kind, chain_id, contract, token, recipient, amount, state, signed_at)
			VALUES (gen_random_uuid(), 'gas_topup', 56, '` + fxAddr + `', '` + fxAddr + `', '` + fxEvil + `', 1, 'pending', now())`,
		`UPDATE signer_intents SET state = 'pending' WHERE id = '` + fxDone + `'`,
		`UPDATE signer_intents SET gas_booked_at = now()`,
		`UPDATE custody_approvals SET intent_id = '` + fxPending + `'`,
		`UPDATE custodians SET address = '` + fxEvil + `'`,
		`DELETE FROM custodians`,
		// Enrolment is amn_custody's: the API cannot enrol a custodian or mark one hardware-held.
		`UPDATE custodians SET hardware = true`,
		`INSERT INTO custodians (address, hardware) VALUES ('` + fxEvil + `', true)`,
		`INSERT INTO custody_challenges (challenge, custodian, chain_id, contract, expires_at)
			VALUES ('\x` + strings.Repeat("01", 32) + `', '` + fxEvil + `', 56, '` + fxAddr + `', now() + interval '1 hour')`,
		`UPDATE custody_challenges SET used_at = now()`,
		// Not the indexer's or the worker's tables.
		`INSERT INTO indexer_observations (chain_id, block_hash, tx_hash, log_index, block_number, kind, state)
			VALUES (56, '` + fxHash + `', '` + fxHash + `', 0, 1, 'transfer', 'credited')`,
		`UPDATE indexer_checkpoints SET processed = 0`,
		`INSERT INTO indexer_rescans (payment_id, chain_id) VALUES ('` + fxPayment + `', 56)`,
		`INSERT INTO deposit_exceptions (payment_id, chain_id, token_address, amount, tx_hash, log_index, reason)
			VALUES ('` + fxPayment + `', 56, '', 1, '` + fxHash + `', 0, 'x')`,
		`DELETE FROM river_job`,
		`UPDATE river_job SET state = 'completed'`,
		`DELETE FROM river_leader`,
		`SELECT nextval('deposit_exceptions_id_seq')`,
	},
	db.RoleCustody: {
		// Enrolment only: no approvals, payments, books or intents.
		`INSERT INTO custody_approvals (intent_id, signer, signature) VALUES ('` + fxPending + `', '` + fxEvil + `', '\x` + strings.Repeat("01", 65) + `')`,
		`UPDATE custodians SET address = '` + fxEvil + `'`,
		`DELETE FROM custodians`,
		`UPDATE custody_challenges SET custodian = '` + fxEvil + `'`, // it drops expired ones (00020), never rewrites one
		`SELECT count(*) FROM payments`,
		`SELECT count(*) FROM signer_intents`,
		`INSERT INTO signer_intents (id, kind, chain_id, contract, token, recipient, amount, state)
			VALUES (gen_random_uuid(), 'gas_topup', 56, '` + fxAddr + `', '` + fxAddr + `', '` + fxEvil + `', 1, 'pending')`,
		`INSERT INTO river_job (kind, args) VALUES ('payment_sweep', '{}')`,
	},
	db.RoleIndexer: {
		`INSERT INTO payments (id) VALUES (gen_random_uuid())`,
		`SELECT nextval('deposit_index_seq')`,
		`INSERT INTO ledger_accounts (id, ledger, code) VALUES (gen_random_uuid(), 'bsc:USDT', 2)`,
		`UPDATE ledger_accounts SET code = 2`,
		`INSERT INTO signer_intents (id, kind, chain_id, contract, token, recipient, amount, state)
			VALUES (gen_random_uuid(), 'gas_topup', 56, '` + fxAddr + `', '` + fxAddr + `', '` + fxEvil + `', 1, 'pending')`,
		`UPDATE signer_intents SET gas_booked_at = now()`,
		`SELECT count(*) FROM signer_txs`,
		`SELECT count(*) FROM signer_audit`,
		`INSERT INTO custody_approvals (intent_id, signer, signature) VALUES ('` + fxPending + `', '` + fxEvil + `', '\x` + strings.Repeat("01", 65) + `')`,
		`UPDATE custodians SET hardware = true`,
		`INSERT INTO custodians (address, hardware) VALUES ('` + fxEvil + `', true)`,
		`INSERT INTO custody_challenges (challenge, custodian, chain_id, contract, expires_at)
			VALUES ('\x` + strings.Repeat("01", 32) + `', '` + fxEvil + `', 56, '` + fxAddr + `', now() + interval '1 hour')`,
		`INSERT INTO webhook_deliveries (delivery_id, event) VALUES ('d', 'payment.confirmed')`,
		`INSERT INTO indexer_rescans (payment_id, chain_id) VALUES ('` + fxPayment + `', 56)`,
		`UPDATE indexer_checkpoints SET chain_id = 2`,
		`UPDATE indexer_observations SET amount = 1`,
		`DELETE FROM indexer_observations`,
		`DELETE FROM river_job`,
		`UPDATE river_job SET args = '{}'`,
	},
	db.RoleImport: {
		// The legacy import writes history and legacy rows: never a payment, an intent, the
		// signer's or custody's tables, nor the job queue; not even reading them.
		`SELECT count(*) FROM payments`,
		`UPDATE payments SET state = 'released', updated_at = now() WHERE id = '` + fxPayment + `'`,
		`UPDATE payments SET state = 'disputed', disputed_from = 'in_escrow' WHERE id = '` + fxPayment + `'`,
		`INSERT INTO payments (id) VALUES (gen_random_uuid())`,
		`SELECT nextval('deposit_index_seq')`,
		`INSERT INTO signer_intents (id, kind, chain_id, contract, token, recipient, amount, state)
			VALUES (gen_random_uuid(), 'gas_topup', 56, '` + fxAddr + `', '` + fxAddr + `', '` + fxEvil + `', 1, 'pending')`,
		`SELECT count(*) FROM signer_intents`,
		`SELECT count(*) FROM signer_txs`,
		`SELECT count(*) FROM signer_nonces`,
		`SELECT count(*) FROM signer_audit`,
		`SELECT count(*) FROM signer_leader`,
		`UPDATE signer_leader SET holder = 'import'`,
		`SELECT count(*) FROM custodians`,
		`UPDATE custodians SET hardware = true`,
		`INSERT INTO custodians (address, hardware) VALUES ('` + fxEvil + `', true)`,
		`INSERT INTO custody_approvals (intent_id, signer, signature) VALUES ('` + fxPending + `', '` + fxEvil + `', '\x` + strings.Repeat("01", 65) + `')`,
		`INSERT INTO custody_challenges (challenge, custodian, chain_id, contract, expires_at)
			VALUES ('\x` + strings.Repeat("01", 32) + `', '` + fxEvil + `', 56, '` + fxAddr + `', now() + interval '1 hour')`,
		`INSERT INTO river_job (kind, args) VALUES ('payment_sweep', '{}')`,
		`INSERT INTO indexer_observations (chain_id, block_hash, tx_hash, log_index, block_number, kind, state)
			VALUES (56, '` + fxHash + `', '` + fxHash + `', 0, 1, 'transfer', 'credited')`,
		// The books only through package ledger's posted transfers: no account opened with a
		// balance, no reservation made or resolved, no entry read back or rewritten.
		`INSERT INTO ledger_accounts (id, ledger, code, credits_posted) VALUES (gen_random_uuid(), 'points', 2, 1000)`,
		`INSERT INTO ledger_pending (transfer_id, state) VALUES (gen_random_uuid(), 'open')`,
		`UPDATE ledger_pending SET state = 'posted'`,
		`SELECT count(*) FROM ledger_entries`,
		// Legacy rows stay history: an old request never gets a payment of this backend, an
		// old offer never a payout address, an old case never another payment.
		`UPDATE market_requests SET payment_id = '` + fxPayment + `'`,
		`UPDATE market_offers SET payout_address = '` + fxEvil + `'`,
		`UPDATE market_templates SET active = true, payout_address = '` + fxEvil + `'`,
		`UPDATE dispute_cases SET payment_id = '` + fxPayment + `'`,
		`UPDATE payment_legacy SET id = gen_random_uuid()`,
		`UPDATE points_referrals SET status = 'rewarded'`,
		`INSERT INTO points_spends (id, user_id, key, amount, purpose) VALUES (gen_random_uuid(), gen_random_uuid(), 'k', 1, 'x')`,
		`UPDATE users SET email = email, bio = 'x'`,
		`DELETE FROM users`,
		`DELETE FROM import_mongo_ids`,
		`DELETE FROM payment_legacy`,
		`DELETE FROM dispute_entries`,
		// No DDL: the schema is the owner's.
		`ALTER TABLE payment_legacy ADD COLUMN x int`,
		`ALTER TABLE users DISABLE TRIGGER ALL`,
		`ALTER TABLE market_requests DROP CONSTRAINT market_requests_paid_has_payment`,
		`DROP TABLE import_mongo_ids`,
		`DROP TABLE payments CASCADE`,
		`TRUNCATE import_mongo_ids`,
		`TRUNCATE users CASCADE`,
		`CREATE TABLE payment_legacy_copy (LIKE payment_legacy)`,
		`CREATE FUNCTION evil() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
		`SET ROLE amn_worker`,
	},
	db.RoleWorker: {
		`UPDATE payments SET received = 1000000000 WHERE id = '` + fxPayment + `'`,
		`UPDATE payments SET disputed_from = 'in_escrow' WHERE id = '` + fxPayment + `'`,
		`UPDATE payments SET paid_late = true`,
		`INSERT INTO payments (id) VALUES (gen_random_uuid())`,
		`SELECT nextval('deposit_index_seq')`,
		`INSERT INTO signer_intents (id, kind, chain_id, contract, token, recipient, amount, state)
			VALUES (gen_random_uuid(), 'gas_topup', 56, '` + fxAddr + `', '` + fxAddr + `', '` + fxEvil + `', 1, 'approved')`,
		`INSERT INTO signer_intents (id, kind, chain_id, contract, token, amount, state, gas_booked_at)
			VALUES (gen_random_uuid(), 'sweep', 56, '` + fxAddr + `', '` + fxAddr + `', 1, 'pending', now())`,
		`UPDATE signer_intents SET state = 'done' WHERE id = '` + fxPending + `'`,
		`UPDATE signer_intents SET gas_used = 0, gas_cost = 0`,
		`INSERT INTO ledger_accounts (id, ledger, code, credits_posted) VALUES (gen_random_uuid(), 'bsc:USDT', 2, 1000)`,
		`INSERT INTO custody_approvals (intent_id, signer, signature) VALUES ('` + fxPending + `', '` + fxEvil + `', '\x` + strings.Repeat("01", 65) + `')`,
		`UPDATE custodians SET hardware = true`,
		`SELECT count(*) FROM custody_challenges`,
		`SELECT count(*) FROM signer_audit`,
		`INSERT INTO webhook_deliveries (delivery_id, event) VALUES ('d', 'payment.confirmed')`,
		`INSERT INTO deposit_exceptions (payment_id, chain_id, token_address, amount, tx_hash, log_index, reason)
			VALUES ('` + fxPayment + `', 56, '', 1, '` + fxHash + `', 0, 'x')`,
		`INSERT INTO indexer_observations (chain_id, block_hash, tx_hash, log_index, block_number, kind, state)
			VALUES (56, '` + fxHash + `', '` + fxHash + `', 0, 1, 'transfer', 'credited')`,
		`UPDATE indexer_checkpoints SET processed = 0`,
		`UPDATE indexer_rescans SET done_at = now()`,
	},
}

// What each role's table allows and the role's process does, tried in a transaction that is
// rolled back (the processes' own tests, and TestRolesRunTheMoneyPath, do them for real).
var allowedTo = map[string][]string{
	db.RoleAPI: {
		`UPDATE payments SET state = 'release_pending', updated_at = now() WHERE id = '` + fxPayment + `'`,
		`UPDATE payments SET state = 'disputed', disputed_from = 'in_escrow', updated_at = now() WHERE id = '` + fxPayment + `'`,
		`INSERT INTO signer_intents (id, kind, chain_id, contract, token, recipient, amount, state, requested_by)
			VALUES (gen_random_uuid(), 'gas_topup', 56, '` + fxAddr + `', '` + fxAddr + `', '` + fxEvil + `', 1, 'pending', 'test')`,
		`INSERT INTO custody_approvals (intent_id, signer, signature) VALUES ('` + fxPending + `', '` + fxEvil + `', '\x` + strings.Repeat("01", 65) + `')`,
		`SELECT nextval('deposit_index_seq')`,
		`SELECT count(*) FROM signer_txs`,
		`SELECT count(*) FROM signer_audit`,
	},
	db.RoleCustody: {
		`UPDATE custodians SET hardware = true, label = 'vault', updated_at = now() WHERE address = '` + fxAddr + `'`,
		`INSERT INTO custodians (address, hardware) VALUES ('` + fxEvil + `', true)`,
		`INSERT INTO custody_challenges (challenge, custodian, chain_id, contract, expires_at)
			VALUES ('\x` + strings.Repeat("01", 32) + `', '` + fxEvil + `', 56, '` + fxAddr + `', now() + interval '1 hour')`,
	},
	db.RoleIndexer: {
		`UPDATE payments SET state = 'released', received = 100, updated_at = now() WHERE id = '` + fxPayment + `'`,
		// The escrow's final Frozen event.
		`UPDATE payments SET state = 'disputed', disputed_from = 'in_escrow', updated_at = now() WHERE id = '` + fxPayment + `'`,
		`INSERT INTO deposit_exceptions (payment_id, chain_id, token_address, amount, tx_hash, log_index, reason)
			VALUES ('` + fxPayment + `', 56, '', 1, '` + fxHash + `', 0, 'x')`,
		// An exception whose block a reorg removed (00029).
		`DELETE FROM deposit_exceptions WHERE chain_id = 56 AND tx_hash = '` + fxHash + `' AND resolved_at IS NULL`,
	},
	db.RoleImport: {
		`INSERT INTO payment_legacy (id, amount, token_symbol, chain_key, old_status, state, created_at, updated_at)
			VALUES (gen_random_uuid(), 5000000, 'USDT', 'bsc', 'paid', 'held', now(), now())`,
		`UPDATE payment_legacy SET state = 'released', amount = 1, updated_at = now()`,
		`INSERT INTO import_mongo_ids (collection, old_id, new_id, digest, imported_at)
			VALUES ('payments', '65e1f0000000000000000001', gen_random_uuid(), '\x` + strings.Repeat("00", 32) + `', now())`,
		`DELETE FROM import_mongo_checkpoints WHERE scope = 'full'`,
		`UPDATE market_requests SET status = 'completed', accepted_offer = NULL WHERE legacy`,
	},
	db.RoleWorker: {
		`UPDATE payments SET state = 'releasing', updated_at = now() WHERE id = '` + fxPayment + `'`,
		`UPDATE signer_intents SET gas_booked_at = now() WHERE id = '` + fxDone + `'`,
		`INSERT INTO indexer_rescans (payment_id, chain_id) VALUES ('` + fxPayment + `', 56)`,
		`DELETE FROM river_job WHERE false`,
	},
}

// TestEachRoleIsRefusedWhatItsTableDenies is acceptance 2 of issue 13: with each role's own login
// (a member of that role only), every write its table in docs/security.md denies is refused by
// PostgreSQL with insufficient_privilege (42501), and what its process needs is allowed.
func TestEachRoleIsRefusedWhatItsTableDenies(t *testing.T) {
	ctx := context.Background()
	fixtures(t, dbtest.Pool(t))
	for _, role := range []string{db.RoleAPI, db.RoleIndexer, db.RoleWorker, db.RoleCustody, db.RoleImport} {
		t.Run(role, func(t *testing.T) {
			pool := dbtest.PoolAs(t, role)
			var who string
			if err := pool.QueryRow(ctx, `SELECT current_user`).Scan(&who); err != nil || who != role {
				t.Fatalf("current_user = %q, %v", who, err)
			}
			for _, q := range append(slices.Clone(deniedToAll), deniedTo[role]...) {
				err := inRolledBackTx(ctx, pool, q)
				var pe *pgconn.PgError
				// amn_api may set a payment's buyer once, with the checkout signature (ProveBuyer):
				// changing it afterwards is refused by the parties trigger of migration 00015.
				byTrigger := role == db.RoleAPI && strings.Contains(q, "buyer_address") && errors.As(err, &pe) && pe.Code == "23514"
				if !byTrigger && (!errors.As(err, &pe) || pe.Code != "42501") {
					t.Errorf("%s: %v; want insufficient_privilege (42501)", oneLine(q), err)
				}
			}
			for _, q := range allowedTo[role] {
				if err := inRolledBackTx(ctx, pool, q); err != nil {
					t.Errorf("%s: %v; want allowed", oneLine(q), err)
				}
			}
		})
	}
}

// inRolledBackTx runs q on a connection of its own in a transaction it rolls back, so that an
// allowed statement changes nothing and a RESET ROLE does not outlive it.
func inRolledBackTx(ctx context.Context, pool *pgxpool.Pool, q string) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	defer func() {
		// A statement that left the role (RESET ROLE) must not leave the connection so.
		if _, err := conn.Exec(ctx, "ROLLBACK"); err != nil {
			conn.Conn().Close(ctx) //nolint:errcheck // the pool replaces it
		}
		var who string
		if err := conn.QueryRow(ctx, `SELECT current_user`).Scan(&who); err != nil || !strings.HasPrefix(who, "amn_") || strings.HasPrefix(who, "amn_test_login") {
			conn.Conn().Close(ctx) //nolint:errcheck // the pool replaces it
		}
	}()
	if _, err := conn.Exec(ctx, "BEGIN"); err != nil {
		return err
	}
	_, err = conn.Exec(ctx, q)
	return err
}

func oneLine(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 110 {
		q = q[:110] + "…"
	}
	return q
}

// The owner is not bound by the policies: it may forge (acceptance 1 of issue 13 shows that the
// signer refuses what it forges). Here only that the fixtures' forged states are possible for it.
func TestOwnerIsNotBoundByTheRolePolicies(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	fixtures(t, pool)
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO signer_intents (id, kind, chain_id, contract, token, recipient, amount, state)
			VALUES (gen_random_uuid(), 'gas_topup', 56, $1, $1, $2, 1, 'approved')`, fxAddr, fxEvil); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE payments SET state = 'released' WHERE id = $1`, fxPayment); err != nil {
			return err
		}
		return errors.New("rollback")
	})
	if err == nil || err.Error() != "rollback" {
		t.Fatalf("the owner's forgery: %v", err)
	}
}

// TestEveryWriteTheTableDeniesIsRefused tries, with each role's own login, every write on every
// table, column and sequence of the schema: each one db.Grants (docs/security.md) does not give
// the role is refused with insufficient_privilege, and each one it gives is allowed. The
// statements touch no row (WHERE false), so only the privileges decide; what rows a granted write
// may produce (intent states, the API's transitions) is TestEachRoleIsRefusedWhatItsTableDenies's.
func TestEveryWriteTheTableDeniesIsRefused(t *testing.T) {
	ctx := context.Background()
	owner := dbtest.Pool(t)
	rows, err := owner.Query(ctx, `SELECT c.relname, c.relkind::text, coalesce(array_agg(a.attname::text ORDER BY a.attnum)
			FILTER (WHERE a.attnum > 0 AND NOT a.attisdropped), '{}')
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_attribute a ON a.attrelid = c.oid
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'S') GROUP BY 1, 2 ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	type object struct {
		name, kind string
		columns    []string
	}
	objects, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (object, error) {
		var o object
		return o, r.Scan(&o.name, &o.kind, &o.columns)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range db.Roles {
		t.Run(role, func(t *testing.T) {
			granted := map[string]bool{} // "object priv column" ("" for the whole object)
			for _, g := range db.Grants {
				if g.Role != role {
					continue
				}
				ps, err := db.ParsePrivileges(g.Privileges)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range ps {
					granted[g.Object+" "+p.Name+" "] = len(p.Columns) == 0
					for _, c := range p.Columns {
						granted[g.Object+" "+p.Name+" "+c] = true
					}
				}
			}
			may := func(object, priv, column string) bool {
				return granted[object+" "+priv+" "] || (column != "" && granted[object+" "+priv+" "+column])
			}
			conn, err := dbtest.PoolAs(t, role).Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Release()
			if _, err := conn.Exec(ctx, "BEGIN"); err != nil {
				t.Fatal(err)
			}
			defer conn.Exec(ctx, "ROLLBACK") //nolint:errcheck // nothing to keep
			tried := 0
			try := func(q string, allowed bool) {
				tried++
				if _, err := conn.Exec(ctx, "SAVEPOINT s"); err != nil {
					t.Fatal(err)
				}
				_, err := conn.Exec(ctx, q)
				if _, rerr := conn.Exec(ctx, "ROLLBACK TO SAVEPOINT s"); rerr != nil {
					t.Fatal(rerr)
				}
				var pe *pgconn.PgError
				switch {
				case allowed && err != nil:
					t.Errorf("%s: %v; its grants allow it", q, err)
				case !allowed && (!errors.As(err, &pe) || pe.Code != "42501"):
					t.Errorf("%s: %v; want insufficient_privilege (42501)", q, err)
				}
			}
			for _, o := range objects {
				ident := pgx.Identifier{o.name}.Sanitize()
				if o.kind == "S" {
					try(fmt.Sprintf("SELECT nextval('%s')", o.name), may(o.name, "USAGE", "") || may(o.name, "UPDATE", ""))
					try(fmt.Sprintf("SELECT setval('%s', 1)", o.name), may(o.name, "UPDATE", ""))
					continue
				}
				// PostgreSQL lets count(*) through with SELECT on any one column (amn_worker's on
				// users): each column is tried on its own below.
				someColumn := false
				for _, c := range o.columns {
					someColumn = someColumn || granted[o.name+" SELECT "+c]
				}
				try("SELECT count(*) FROM "+ident, may(o.name, "SELECT", "") || someColumn)
				try("DELETE FROM "+ident+" WHERE false", may(o.name, "DELETE", ""))
				try("TRUNCATE "+ident+" CASCADE", may(o.name, "TRUNCATE", ""))
				for _, c := range o.columns {
					col := pgx.Identifier{c}.Sanitize()
					try(fmt.Sprintf("SELECT %s FROM %s WHERE false", col, ident), may(o.name, "SELECT", c))
					try(fmt.Sprintf("UPDATE %s SET %s = DEFAULT WHERE false", ident, col), may(o.name, "UPDATE", c))
					try(fmt.Sprintf("INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT NULL WHERE false", ident, col), may(o.name, "INSERT", c))
				}
			}
			t.Logf("%s: %d statements", role, tried)
		})
	}
}

// sig65 stands for a wallet signature in rows written as the owner (the parties trigger of
// migration 00015 needs one; nothing here verifies it).
var sig65 = strings.Repeat("ab", 65)

// TestCheckRoleNamesTheRoleItWorksAs: a pool that does not work as the role (here the owner's)
// fails the check naming the role it works as; the role's own pool passes.
func TestCheckRoleNamesTheRoleItWorksAs(t *testing.T) {
	ctx := context.Background()
	owner := dbtest.Pool(t)
	var me string
	if err := owner.QueryRow(ctx, `SELECT current_user::text`).Scan(&me); err != nil {
		t.Fatal(err)
	}
	err := db.CheckRole(ctx, owner, db.RoleAPI)
	if !errors.Is(err, db.ErrRole) || !strings.Contains(err.Error(), "amn_api: the connections work as "+me) {
		t.Fatalf("CheckRole(owner's pool, amn_api) = %v", err)
	}
	for _, role := range db.Roles {
		if err := db.RoleReadiness(dbtest.PoolAs(t, role), role)(ctx); err != nil {
			t.Errorf("%s: %v", role, err)
		}
	}
}

// TestLoginBeyondNamesWhatTheLoginCanDo: a login that is a member of its role only can do
// nothing beyond it; the owner's login (the tests' superuser) and a login that is also a member
// of another role are named, since a RESET ROLE or SET ROLE regains what they can.
func TestLoginBeyondNamesWhatTheLoginCanDo(t *testing.T) {
	ctx := context.Background()
	if got, err := db.LoginBeyond(ctx, dbtest.PoolAs(t, db.RoleAPI), db.RoleAPI); err != nil || len(got) != 0 {
		t.Fatalf("a member-only login: %q, %v; want nothing beyond its role", got, err)
	}
	owner := dbtest.Pool(t)
	got, err := db.LoginBeyond(ctx, owner, db.RoleAPI)
	if err != nil || len(got) == 0 {
		t.Fatalf("the owner's login: %q, %v; want what it can do named", got, err)
	}
	// A login of amn_api that is also made a member of amn_worker.
	login := dbtest.Login(t, dbtest.URL(t), db.RoleAPI)
	u, err := pgx.ParseConfig(login)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Exec(ctx, "GRANT amn_worker TO "+pgx.Identifier{u.User}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	pool, err := db.OpenAs(ctx, login, db.RoleAPI)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	got, err = db.LoginBeyond(ctx, pool, db.RoleAPI)
	if err != nil || !slices.Equal(got, []string{"login " + u.User + " is a member of role amn_worker"}) {
		t.Fatalf("a login in two roles: %q, %v", got, err)
	}
}
