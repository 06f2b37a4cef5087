package signer

import (
	"bytes"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/common/expfmt"

	"github.com/amanat/amn/intent"
)

// After a sweep and a release, no secret (mnemonic words, a deposit or operator private key) is
// in the database, the metrics or the signer's log; and a policy limit per day holds.
func TestNoSecretsAnywhereAndDailyLimit(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	var logs bytes.Buffer
	w := newWorld(t, func(c *Config) {
		c.Log = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	// A day's limit of 12 tokens: a release of 9 passes, a second of 9 does not.
	w.cfg.Policy.Limits[LimitKey{w.f.ChainID, w.f.Addresses.USDT}] = Limit{PerTx: big.NewInt(10_000_000), PerDay: big.NewInt(12_000_000)}
	w.restart()
	p1, _ := w.inEscrow(9_000_000)
	p2, _ := w.inEscrow(9_000_000)
	opts := intent.RequestOptions{Contract: w.f.Addresses.Escrow}
	in1, _, err := w.intents.RequestRelease(w.ctx, p1.ID, opts)
	if err != nil {
		t.Fatal(err)
	}
	w.approve(in1, w.f.Custodians[0], w.f.Custodians[1])
	w.until(in1.ID, intent.Done)
	in2, _, err := w.intents.RequestRelease(w.ctx, p2.ID, opts)
	if err != nil {
		t.Fatal(err)
	}
	w.approve(in2, w.f.Custodians[0], w.f.Custodians[1])
	got := w.untilFinal(in2.ID)
	if got.State != intent.Rejected || !strings.Contains(got.Reason, "daily limit") {
		t.Fatalf("second release: %s %q", got.State, got.Reason)
	}

	var secrets []string
	secrets = append(secrets, strings.Fields(depositMnemonic)[0]+" "+strings.Fields(depositMnemonic)[1])
	secrets = append(secrets, fmt.Sprintf("%x", crypto.FromECDSA(w.keys.Operator)))
	for _, p := range []uint32{p1.DepositIndex, p2.DepositIndex} {
		k, err := w.keys.Ring.PrivateKey(p)
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, fmt.Sprintf("%x", crypto.FromECDSA(k)))
	}
	var dump strings.Builder
	for _, table := range []string{"signer_intents", "signer_txs", "signer_nonces", "signer_audit", "custody_approvals"} {
		rows, err := w.admin.Query(w.ctx, `SELECT t::text FROM `+table+` t`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			dump.WriteString(s + "\n")
		}
		rows.Close()
	}
	mfs, err := w.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var metrics bytes.Buffer
	for _, mf := range mfs {
		if _, err := expfmt.MetricFamilyToText(&metrics, mf); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(metrics.String(), "amn_signer_intents_total") || !strings.Contains(logs.String(), "intent done") {
		t.Fatalf("nothing to scan: metrics %d bytes, logs %d bytes", metrics.Len(), logs.Len())
	}
	for _, s := range secrets {
		for where, text := range map[string]string{"database": dump.String(), "metrics": metrics.String(), "log": logs.String()} {
			if strings.Contains(strings.ToLower(text), s) {
				t.Fatalf("a secret is in the %s", where)
			}
		}
	}
}
