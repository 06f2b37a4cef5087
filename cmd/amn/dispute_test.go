package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/dispute"
)

// signedBundle is a three-entry case's bundle, signed with key, as the API exports it.
func signedBundle(t *testing.T, key ed25519.PrivateKey) *dispute.Bundle {
	t.Helper()
	id := uuid.New()
	at := time.Now().UTC().Truncate(time.Microsecond)
	var entries []dispute.Entry
	prev := dispute.ZeroHash
	for i, e := range []struct {
		kind  dispute.Event
		actor dispute.Actor
		body  string
	}{
		{dispute.EvOpen, dispute.ActorBuyer, `{"reason":"not_received","statement":"Nothing arrived."}`},
		{dispute.EvEvidence, dispute.ActorSeller, `{"statement":"Shipped on the 3rd.","size":18}`},
		{dispute.EvAssign, dispute.ActorAdmin, `{"admin":"` + uuid.NewString() + `"}`},
	} {
		en := dispute.Entry{Seq: i + 1, Kind: e.kind, Actor: e.actor, ActorID: uuid.NewString(), Status: dispute.Open,
			Body: json.RawMessage(e.body), At: at.Add(time.Duration(i) * time.Second), Prev: prev}
		var err error
		if en.Hash, err = dispute.EntryHash(id, en); err != nil {
			t.Fatal(err)
		}
		prev = en.Hash
		entries = append(entries, en)
	}
	b, err := dispute.SignBundle(key, dispute.BundleCase{ID: id, Request: uuid.New(), Payment: uuid.New(), Buyer: uuid.New(), Seller: uuid.New(),
		Opener: dispute.ActorBuyer, Reason: dispute.ReasonNotReceived, Status: dispute.Open, Amount: "1000000", Decimals: 6,
		Ledger: "bsc:USDT", OpenedAt: at}, entries, at.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestDisputeVerify is acceptance 5 at the command: `amn dispute verify` passes an intact bundle
// (with the platform's key given or not), and on a tampered one exits 1 naming the first bad
// entry; another key's bundle and a changed summary fail the signature.
func TestDisputeVerify(t *testing.T) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub := base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey))
	dir := t.TempDir()
	b := signedBundle(t, key)
	good := filepath.Join(dir, "good.json")
	writeJSON(t, good, b)
	keyFile := filepath.Join(dir, "key.txt")
	if err := os.WriteFile(keyFile, []byte(pub+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{good, "--public-key", pub}, {good, "--public-key", keyFile}} {
		code, out, errOut := run(t, nil, append([]string{"dispute", "verify"}, args...)...)
		if code != 0 || !strings.Contains(out, "bundle verified: case "+b.Case.ID.String()) || !strings.Contains(out, "3 entries") ||
			strings.Contains(out, "note:") {
			t.Fatalf("verify %v: %d %q %q", args, code, out, errOut)
		}
	}
	// Without the platform's key nothing is verified: the bundle's own key proves nothing (a forger
	// signs with their own), so it is a usage error, exit 2.
	_, forger, _ := ed25519.GenerateKey(rand.Reader)
	forged := filepath.Join(dir, "forged.json")
	writeJSON(t, forged, signedBundle(t, forger))
	for _, f := range []string{good, forged} {
		code, out, errOut := run(t, nil, "dispute", "verify", f)
		if code != 2 || strings.Contains(out, "verified") || !strings.Contains(errOut, "--public-key is required") {
			t.Fatalf("verify %s without a key: %d %q %q", f, code, out, errOut)
		}
	}

	tampered := *b
	tampered.Entries = append([]dispute.Entry(nil), b.Entries...)
	tampered.Entries[1].Body = json.RawMessage(`{"statement":"Never shipped.","size":14}`)
	bad := filepath.Join(dir, "tampered.json")
	writeJSON(t, bad, &tampered)
	code, _, errOut := run(t, nil, "dispute", "verify", bad, "--public-key", pub)
	if code != 1 || !strings.Contains(errOut, "entry 2 (evidence): its hash does not match its content") {
		t.Fatalf("tampered: %d %q", code, errOut)
	}

	_, other, _ := ed25519.GenerateKey(rand.Reader)
	foreign := filepath.Join(dir, "foreign.json")
	writeJSON(t, foreign, signedBundle(t, other))
	if code, _, errOut := run(t, nil, "dispute", "verify", foreign, "--public-key", pub); code != 1 || !strings.Contains(errOut, "another key") {
		t.Fatalf("another key's bundle: %d %q", code, errOut)
	}
	summary := *b
	summary.Case.Amount = "1"
	changed := filepath.Join(dir, "summary.json")
	writeJSON(t, changed, &summary)
	if code, _, errOut := run(t, nil, "dispute", "verify", changed, "--public-key", pub); code != 1 || !strings.Contains(errOut, "signature does not hold") {
		t.Fatalf("changed summary: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, nil, "dispute", "verify", good, "--public-key", "not-a-key"); code != 2 || !strings.Contains(errOut, "--public-key") {
		t.Fatalf("a bad key: %d %q", code, errOut)
	}
}
