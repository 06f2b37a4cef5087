package dispute_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/amanat/amn/dispute"
)

// exported is a case with a few entries, exported as its bundle's bytes.
func exported(t *testing.T, w *world) []byte {
	t.Helper()
	ctx := context.Background()
	d := w.deal(t, false)
	c := w.open(t, d)
	if _, err := w.d.AddEvidence(ctx, d.seller, c.ID, dispute.EvidenceInput{Statement: "Shipped on time <with> \"proof\" & a receipt."}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.d.Assign(ctx, w.admin(t), c.ID, [16]byte{}); err != nil {
		t.Fatal(err)
	}
	b, err := w.d.Export(ctx, d.buyer, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// resolvedExport is the compact bundle of a case resolved by an agreed release.
func resolvedExport(t *testing.T, w *world) []byte {
	t.Helper()
	ctx := context.Background()
	d := w.deal(t, false)
	c := w.open(t, d)
	p, err := w.d.Propose(ctx, d.buyer, c.ID, dispute.Resolution{Outcome: dispute.OutcomeRelease})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.d.Accept(ctx, d.seller, c.ID, p.Proposal.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.d.Resolve(ctx, w.admin(t), c.ID, dispute.Resolution{Outcome: dispute.OutcomeRelease}); err != nil {
		t.Fatal(err)
	}
	b, err := w.d.Export(ctx, d.buyer, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// tamper decodes a bundle into generic JSON, lets f change it, and encodes it again.
func tamper(t *testing.T, data []byte, f func(b map[string]any)) []byte {
	t.Helper()
	var b map[string]any
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatal(err)
	}
	f(b)
	out, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func entry(b map[string]any, i int) map[string]any { return b["entries"].([]any)[i].(map[string]any) }

// TestTamperedBundleNamesTheEntry is acceptance 5: an exported bundle verifies with the server's
// key (and fails with another); a changed entry is named by its number; a dropped or reordered one
// breaks the chain there; a changed summary fails the signature.
func TestTamperedBundleNamesTheEntry(t *testing.T) {
	w := newWorld(t, nil)
	data := exported(t, w)
	pub := w.key.Public().(ed25519.PublicKey)
	v, err := dispute.VerifyBundle(data, pub)
	if err != nil || !v.KeyGiven || v.Case.Entries != 3 {
		t.Fatalf("a fresh bundle: %+v %v", v, err)
	}
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	if _, err := dispute.VerifyBundle(data, other); !errors.Is(err, dispute.ErrBundleKey) {
		t.Fatalf("another key: %v", err)
	}
	for name, c := range map[string]struct {
		f    func(b map[string]any)
		seq  int
		text string
	}{
		"statement changed": {func(b map[string]any) {
			body := entry(b, 1)["body"].(map[string]any)
			body["statement"] = "Never shipped."
		}, 2, "its hash does not match its content"},
		"first entry's reason changed": {func(b map[string]any) {
			entry(b, 0)["body"].(map[string]any)["reason"] = "other"
		}, 1, "hash does not match"},
		"actor changed": {func(b map[string]any) { entry(b, 2)["actor"] = "buyer" }, 3, "hash does not match"},
		"entry dropped": {func(b map[string]any) {
			es := b["entries"].([]any)
			b["entries"] = append(es[:1:1], es[2:]...)
		}, 3, "is number 2"},
		"rehashed but unlinked": {func(b map[string]any) { entry(b, 1)["prev"] = strings.Repeat("0", 64) }, 2, "does not link"},
	} {
		_, err := dispute.VerifyBundle(tamper(t, data, c.f), pub)
		var ce *dispute.ChainError
		if !errors.As(err, &ce) || ce.Seq != c.seq || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: %v, want entry %d: %s", name, err, c.seq, c.text)
		}
	}
	// The timeline's end: a dropped last entry, a well-formed entry appended (hashed and linked),
	// or either with the summary's head and count changed to match, fail the signature.
	var b dispute.Bundle
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatal(err)
	}
	last := b.Entries[len(b.Entries)-1]
	extra := dispute.Entry{Seq: last.Seq + 1, Kind: dispute.EvWithdraw, Actor: dispute.ActorBuyer, Status: dispute.Withdrawn,
		Body: json.RawMessage(`{}`), At: last.At, Prev: last.Hash}
	var err2 error
	if extra.Hash, err2 = dispute.EntryHash(b.Case.ID, extra); err2 != nil {
		t.Fatal(err2)
	}
	for name, es := range map[string][]dispute.Entry{"last entry dropped": b.Entries[:len(b.Entries)-1],
		"entry appended": append(slices.Clone(b.Entries), extra)} {
		for _, resummed := range []bool{false, true} {
			f := b
			f.Entries = es
			if resummed {
				f.Case.Entries, f.Case.Head = len(es), es[len(es)-1].Hash
			}
			forged, err := json.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := dispute.VerifyBundle(forged, pub); !errors.Is(err, dispute.ErrBundleSignature) {
				t.Errorf("%s (summary changed to match: %v): %v", name, resummed, err)
			}
		}
	}
	if _, err := dispute.VerifyBundle(tamper(t, data, func(b map[string]any) { b["case"].(map[string]any)["amount"] = "1" }), pub); !errors.Is(err, dispute.ErrBundleSignature) {
		t.Errorf("summary changed: %v", err)
	}
	if _, err := dispute.VerifyBundle(tamper(t, data, func(b map[string]any) { b["format"] = "x" }), pub); !errors.Is(err, dispute.ErrBundleFormat) {
		t.Errorf("format changed: %v", err)
	}
	// The reviewer's bundles: what a reader sees ("refund", or a field a viewer shows) is not what
	// was signed, yet Go's decoder alone (last duplicate wins, keys matched whatever their case,
	// unknown keys skipped) verified them.
	resolved := resolvedExport(t, w)
	if _, err := dispute.VerifyBundle(resolved, pub); err != nil {
		t.Fatalf("the resolved case's bundle: %v", err)
	}
	signedAs := `"resolution":"release"`
	if !strings.Contains(string(resolved), signedAs) {
		t.Fatalf("no %s in %s", signedAs, resolved)
	}
	for name, forged := range map[string]string{
		"duplicate key":      `"resolution":"refund",` + signedAs,
		"key in other case":  `"Resolution":"refund",` + signedAs,
		"wrong case only":    `"Resolution":"release"`,
		"unknown key":        `"resolutionShown":"refund",` + signedAs,
		"duplicate in entry": ``,
	} {
		data := strings.Replace(string(resolved), signedAs, forged, 1)
		if forged == "" { // an entry's kind given twice
			data = strings.Replace(string(resolved), `"kind":"opened"`, `"kind":"withdrawn","kind":"opened"`, 1)
		}
		if data == string(resolved) {
			t.Fatalf("%s: nothing forged", name)
		}
		if _, err := dispute.VerifyBundle([]byte(data), pub); !errors.Is(err, dispute.ErrBundleFormat) {
			t.Errorf("%s: %v, want a refused format", name, err)
		}
	}
	for name, trailing := range map[string]string{"a second value": ` {}`, "garbage": ` x`} {
		if _, err := dispute.VerifyBundle(append(slices.Clone(resolved), trailing...), pub); !errors.Is(err, dispute.ErrBundleFormat) {
			t.Errorf("%s after the bundle: %v", name, err)
		}
	}
	if _, err := dispute.VerifyBundle([]byte("{"), nil); !errors.Is(err, dispute.ErrBundleFormat) {
		t.Errorf("not JSON: %v", err)
	}
}

// FuzzVerifyBundle: any bytes are verified or refused, never a panic.
func FuzzVerifyBundle(f *testing.F) {
	f.Add([]byte(`{"format":"amn-dispute-bundle/1","entries":[{"seq":1,"body":{}}]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if v, err := dispute.VerifyBundle(data, nil); err == nil && v == nil {
			t.Fatal("nil result without an error")
		}
	})
}
