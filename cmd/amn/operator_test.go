package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/payment/paymenttest"
)

const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

func TestPaymentsCreateListShowAndLedgerCheck(t *testing.T) {
	env := []string{"AMN_DATABASE_URL=" + dbtest.URL(t)}
	create := []string{"payments", "create", "--json", "--xpub", anvilXpub, "--buyer", "cli-buyer", "--offer", "cli-offer",
		"--seller", paymenttest.Seller().Address.Hex(), "--seller-signature", offerSignatureFile(t, "cli-offer", 56, bscUSDT, "12500000000000000000"),
		"--chain", "bsc",
		"--token", "0x55d398326f99059fF775485246999027B3197955", "--decimals", "18", "--amount", "12.5",
		"--request-id", "01847474747474", "--salt", "8d03ea7"}
	code, out, errs := run(t, env, create...)
	if code != 0 {
		t.Fatalf("create: exit %d: %s", code, errs)
	}
	var p struct {
		ID      string `json:"ID"`
		Amount  json.Number
		Deposit string
		State   string
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("create --json: %v\n%s", err, out)
	}
	if p.Amount.String() != "12500000000000000000" || p.State != "awaiting_payment" || p.Deposit == "" {
		t.Fatalf("created %+v", p)
	}

	// The same buyer, offer and chain again is refused as bad input.
	code, _, errs = run(t, env, create...)
	if code != 2 || !strings.Contains(errs, "already exists") {
		t.Fatalf("duplicate create: exit %d: %q", code, errs)
	}
	// Too many decimals for the token is refused, not rounded.
	bad := append(append([]string{}, create[:len(create)-4]...), "--amount", "0.0000000000000000001", "--offer", "o2")
	if code, _, errs = run(t, env, bad...); code != 2 || !strings.Contains(errs, "more than 18 decimals") {
		t.Fatalf("over-precise amount: exit %d: %q", code, errs)
	}

	code, out, _ = run(t, env, "payments", "list", "--json", "--chain-id", "56")
	if code != 0 || !strings.Contains(out, p.ID) || !strings.Contains(out, `"sweep": "not_due"`) {
		t.Fatalf("list: exit %d:\n%s", code, out)
	}
	code, out, _ = run(t, env, "payments", "show", p.ID)
	if code != 0 || !strings.Contains(out, "create") || !strings.Contains(out, "12.5") || !strings.Contains(out, "awaiting_payment") {
		t.Fatalf("show: exit %d:\n%s", code, out)
	}
	if code, _, errs = run(t, env, "payments", "show", "not-an-id"); code != 2 {
		t.Fatalf("show with a bad id: exit %d %q", code, errs)
	}

	code, out, _ = run(t, env, "ledger", "check")
	if code != 0 || !strings.Contains(out, "passed") {
		t.Fatalf("ledger check on a healthy database: exit %d %s", code, out)
	}
}

// TestLedgerCheckNamesACorruptedRow changes a balance behind the ledger's back: the check exits
// non-zero and names the account.
func TestLedgerCheckNamesACorruptedRow(t *testing.T) {
	url := dbtest.Empty(t)
	env := []string{"AMN_DATABASE_URL=" + url}
	if code, _, errs := run(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	if code, _, errs := run(t, env, "payments", "create", "--xpub", anvilXpub, "--buyer", "b", "--offer", "o",
		"--seller", paymenttest.Seller().Address.Hex(), "--seller-signature", offerSignatureFile(t, "o", 56, bscUSDT, "1000000000000000000"),
		"--token", "0x55d398326f99059fF775485246999027B3197955",
		"--amount", "1", "--request-id", "r", "--salt", "s"); code != 0 {
		t.Fatalf("create: %s", errs)
	}
	if code, _, _ := run(t, env, "ledger", "check"); code != 0 {
		t.Fatal("check fails before the corruption")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var id string
	if err := conn.QueryRow(ctx, `UPDATE ledger_accounts SET credits_posted = 5
		WHERE id = (SELECT id FROM ledger_accounts WHERE code = 2 LIMIT 1) RETURNING id::text`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, env, "ledger", "check")
	if code != 1 || !strings.Contains(errs, "ledger check failed: ledger_accounts") || !strings.Contains(errs, id) {
		t.Fatalf("check after corrupting account %s: exit %d %q", id, code, errs)
	}
}
