package main

import (
	"context"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"github.com/google/uuid"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

var bscUSDT = common.HexToAddress("0x55d398326f99059fF775485246999027B3197955")

// signatureFile writes a wallet's signature as a wallet hands it out: 0x and 130 hex digits.
func signatureFile(t testing.TB, d common.Hash, who devnet.Account) string {
	t.Helper()
	a, err := escrow.Sign(d, who.Key)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "signature")
	if err := os.WriteFile(f, []byte("0x"+common.Bytes2Hex(a.Signature)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// offerSignatureFile is the devnet seller's signature of an offer, in a file for --seller-signature.
func offerSignatureFile(t testing.TB, offer string, chainID uint64, token common.Address, amount string) string {
	t.Helper()
	v, ok := new(big.Int).SetString(amount, 10)
	if !ok {
		t.Fatalf("amount %q", amount)
	}
	d, err := payment.Offer{Ref: offer, ChainID: chainID, Token: token, Amount: v, Payout: paymenttest.Seller().Address}.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return signatureFile(t, d, paymenttest.Seller())
}

// The parties on the command line: the offer to sign, a refused and an accepted seller signature,
// the checkout to sign, the buyer's proof, and why a paid payment is not swept until then.
func TestPaymentsCreateAndCheckoutProveTheParties(t *testing.T) {
	// A database of its own: the paid payment it leaves would be due for sweeping in the package's.
	url := dbtest.Empty(t)
	env := []string{"AMN_DATABASE_URL=" + url}
	if code, _, errs := run(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	offer := "offer-" + uuid.NewString()
	seller := paymenttest.Seller().Address.Hex()
	create := []string{"payments", "create", "--xpub", anvilXpub, "--buyer", "b-" + offer, "--offer", offer, "--seller", seller,
		"--chain", "bsc", "--token", bscUSDT.Hex(), "--decimals", "6", "--amount", "125", "--request-id", "r-" + offer, "--salt", "5a17"}

	// What the seller signs, as a wallet takes it.
	code, out, errs := run(t, env, append(create, "--typed-data")...)
	var td apitypes.TypedData
	if code != 0 || json.Unmarshal([]byte(out), &td) != nil || td.PrimaryType != "Offer" {
		t.Fatalf("create --typed-data: exit %d\n%s%s", code, out, errs)
	}
	want, _ := payment.Offer{Ref: offer, ChainID: 56, Token: bscUSDT, Amount: big.NewInt(125_000_000), Payout: paymenttest.Seller().Address}.Digest()
	if h, _, err := apitypes.TypedDataAndHash(td); err != nil || common.BytesToHash(h) != want {
		t.Fatalf("the printed offer hashes to %x (%v), want %s", h, err, want.Hex())
	}

	if code, _, errs = run(t, env, create...); code != 2 || !strings.Contains(errs, "--seller-signature FILE is required") {
		t.Fatalf("create without the seller's signature: exit %d %q", code, errs)
	}
	forged := signatureFile(t, want, paymenttest.Buyer())
	if code, _, errs = run(t, env, append(create, "--seller-signature", forged)...); code != 2 || !strings.Contains(errs, "not the seller address") {
		t.Fatalf("create with another wallet's signature: exit %d %q", code, errs)
	}
	code, out, errs = run(t, env, append(create, "--seller-signature", signatureFile(t, want, paymenttest.Seller()))...)
	if code != 0 || !strings.Contains(out, "created payment") || !strings.Contains(out, `"primaryType": "Checkout"`) ||
		!strings.Contains(out, "amn payments checkout") {
		t.Fatalf("create: exit %d\n%s%s", code, out, errs)
	}
	id, err := ledger.ParseID(strings.Fields(strings.TrimPrefix(out, "created payment "))[0][:36])
	if err != nil {
		t.Fatal(err)
	}

	// Paid (the indexer's part, in process), not swept: show says why and what the buyer signs.
	ctx := context.Background()
	pool, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	svc := payment.New(pool, nil)
	o := payment.Observation{ChainID: 56, BlockHash: common.BytesToHash(id[:]), BlockNumber: 1, TxHash: common.BytesToHash(id[:]),
		Token: bscUSDT, Amount: big.NewInt(125_000_000), From: common.HexToAddress("0x00000000000000000000000000000000000000b1")}
	if _, err := svc.Detect(ctx, id, o); err != nil {
		t.Fatal(err)
	}
	p, err := svc.Confirm(ctx, id, o.TransferID())
	if err != nil || p.State != payment.Funded {
		t.Fatalf("confirm: %v", err)
	}
	code, out, errs = run(t, env, "payments", "show", id.String())
	for _, s := range []string{"seller    " + seller + "  proven by the offer signature", "buyer     NOT PROVEN",
		"sweep     waits: funded, but not swept", "has not signed the checkout", `"primaryType": "Checkout"`} {
		if code != 0 || !strings.Contains(out, s) {
			t.Fatalf("show of a paid payment without a proven buyer lacks %q: exit %d\n%s%s", s, code, out, errs)
		}
	}
	checkout, err := p.CheckoutTerms().Digest()
	if err != nil {
		t.Fatal(err)
	}
	buyer := paymenttest.Buyer()
	code, out, _ = run(t, env, "payments", "checkout", id.String(), "--typed-data")
	var ctd apitypes.TypedData
	if err := json.Unmarshal([]byte(out), &ctd); code != 0 || err != nil {
		t.Fatalf("checkout --typed-data: exit %d %v\n%s", code, err, out)
	}
	if h, _, err := apitypes.TypedDataAndHash(ctd); err != nil || common.BytesToHash(h) != checkout {
		t.Fatalf("the printed checkout hashes to %x (%v), want %s", h, err, checkout.Hex())
	}
	if code, _, errs = run(t, env, "payments", "checkout", id.String(), "--buyer", buyer.Address.Hex(),
		"--buyer-signature", signatureFile(t, checkout, devnet.AnvilAccount(7))); code != 2 || !strings.Contains(errs, "recovers") {
		t.Fatalf("checkout signed by another wallet: exit %d %q", code, errs)
	}
	code, out, errs = run(t, env, "payments", "checkout", id.String(), "--buyer", buyer.Address.Hex(),
		"--buyer-signature", signatureFile(t, checkout, buyer))
	if code != 0 || !strings.Contains(out, "refund address "+buyer.Address.Hex()) {
		t.Fatalf("checkout: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = run(t, env, "payments", "show", id.String())
	if code != 0 || !strings.Contains(out, "buyer     "+buyer.Address.Hex()+"  proven by the checkout signature") ||
		strings.Contains(out, "sweep     waits") || !strings.Contains(out, "prove_buyer") {
		t.Fatalf("show after the checkout: exit %d\n%s", code, out)
	}
	stranger := devnet.AnvilAccount(7)
	if code, _, errs = run(t, env, "payments", "checkout", id.String(), "--buyer", stranger.Address.Hex(),
		"--buyer-signature", signatureFile(t, checkout, stranger)); code != 2 || !strings.Contains(errs, "fixed at checkout") {
		t.Fatalf("a second buyer: exit %d %q", code, errs)
	}
}
