package payment_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"github.com/google/uuid"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// A third wallet: neither the seller nor the buyer.
var stranger = devnet.AnvilAccount(7)

func word(b []byte) []byte { return common.LeftPadBytes(b, 32) }

// eip712 is the digest of a message by hand, from the type strings, as EIP-712 defines it: an
// independent check of the typed data the wallets sign.
func eip712(chainID uint64, typeString string, members ...[]byte) common.Hash {
	sep := crypto.Keccak256(crypto.Keccak256([]byte(payment.PartiesDomainType)), crypto.Keccak256([]byte("Amn")),
		crypto.Keccak256([]byte("1")), math.U256Bytes(new(big.Int).SetUint64(chainID)))
	enc := crypto.Keccak256([]byte(typeString))
	for _, m := range members {
		enc = append(enc, m...)
	}
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, sep, crypto.Keccak256(enc))
}

func signWith(t *testing.T, d common.Hash, a devnet.Account) []byte {
	t.Helper()
	s, err := escrow.Sign(d, a.Key)
	if err != nil {
		t.Fatal(err)
	}
	return s.Signature
}

// A payment as the database holds it, with both parties' proofs (no database needed).
func provenPayment(t *testing.T) *payment.Payment {
	t.Helper()
	p := &payment.Payment{ID: ledger.NewID(), OfferRef: "offer-7", SellerAddress: paymenttest.Seller().Address, ChainID: 56,
		Token: usdt, Amount: big.NewInt(125_000_000), Deposit: common.HexToAddress("0x00000000000000000000000000000000000d0001"),
		BuyerAddress: paymenttest.Buyer().Address}
	od, err := p.Offer().Digest()
	if err != nil {
		t.Fatal(err)
	}
	cd, err := p.CheckoutTerms().Digest()
	if err != nil {
		t.Fatal(err)
	}
	p.SellerSignature, p.BuyerSignature = signWith(t, od, paymenttest.Seller()), signWith(t, cd, paymenttest.Buyer())
	return p
}

func TestPartiesTypedDataIsEIP712(t *testing.T) {
	p := provenPayment(t)
	o, c := p.Offer(), p.CheckoutTerms()
	want := eip712(56, payment.OfferType, crypto.Keccak256([]byte("offer-7")), math.U256Bytes(big.NewInt(56)), word(usdt.Bytes()),
		math.U256Bytes(big.NewInt(125_000_000)), word(paymenttest.Seller().Address.Bytes()))
	if got, err := o.Digest(); err != nil || got != want {
		t.Fatalf("offer digest %s (%v), by hand %s", got.Hex(), err, want.Hex())
	}
	id := payment.EscrowRef(p.ID)
	want = eip712(56, payment.CheckoutType, id[:], word(p.Deposit.Bytes()), word(usdt.Bytes()),
		math.U256Bytes(big.NewInt(125_000_000)), word(paymenttest.Seller().Address.Bytes()))
	if got, err := c.Digest(); err != nil || got != want {
		t.Fatalf("checkout digest %s (%v), by hand %s", got.Hex(), err, want.Hex())
	}
	// The JSON a wallet gets hashes, as a wallet parses it, to the same digest.
	for _, td := range []apitypes.TypedData{o.TypedData(), c.TypedData()} {
		raw, err := payment.SigningRequest(td)
		if err != nil {
			t.Fatal(err)
		}
		var parsed apitypes.TypedData
		if err := json.Unmarshal(raw, &parsed); err != nil {
			t.Fatalf("%s: %v\n%s", td.PrimaryType, err, raw)
		}
		h, _, err := apitypes.TypedDataAndHash(parsed)
		if err != nil {
			t.Fatal(err)
		}
		if d, _ := td.HashStruct(td.PrimaryType, td.Message); len(d) == 0 || !strings.Contains(string(raw), `"chainId":56`) {
			t.Fatalf("%s JSON: %s", td.PrimaryType, raw)
		}
		want, _, _ := apitypes.TypedDataAndHash(td)
		if !bytes.Equal(h, want) {
			t.Fatalf("%s: the JSON hashes to %x, the message to %x", td.PrimaryType, h, want)
		}
	}
}

// The proofs as the signer checks them: each forgery names the party and why.
func TestVerifyPartiesRefusesForgeries(t *testing.T) {
	if err := provenPayment(t).VerifyParties(); err != nil {
		t.Fatalf("proven payment: %v", err)
	}
	other := provenPayment(t) // another payment, same parties
	for _, tc := range []struct {
		name, party, why string
		forge            func(p *payment.Payment)
	}{
		{"seller rewritten", "seller", "recovers", func(p *payment.Payment) { p.SellerAddress = stranger.Address }},
		{"buyer rewritten", "buyer", "recovers " + paymenttest.Buyer().Address.Hex(), func(p *payment.Payment) { p.BuyerAddress = stranger.Address }},
		{"offer signed by another wallet", "seller", "recovers " + stranger.Address.Hex(), func(p *payment.Payment) {
			d, _ := p.Offer().Digest()
			p.SellerSignature = signWith(t, d, stranger)
		}},
		{"amount changed", "seller", "amount 125000001", func(p *payment.Payment) { p.Amount = big.NewInt(125_000_001) }},
		{"offer changed", "seller", `offer "offer-8"`, func(p *payment.Payment) { p.OfferRef = "offer-8" }},
		{"chain changed", "seller", "chain 137", func(p *payment.Payment) { p.ChainID = 137 }},
		{"deposit changed", "buyer", "deposit 0x", func(p *payment.Payment) { p.Deposit = stranger.Address }},
		{"another payment's checkout signature", "buyer", "recovers", func(p *payment.Payment) { p.BuyerSignature = other.BuyerSignature }},
		{"no checkout signature", "buyer", "no checkout signature", func(p *payment.Payment) { p.BuyerSignature = nil }},
		{"buyer never signed", "buyer", "has not signed the checkout", func(p *payment.Payment) { p.BuyerSignature, p.BuyerAddress = nil, common.Address{} }},
		{"no offer signature", "seller", "no offer signature", func(p *payment.Payment) { p.SellerSignature = nil }},
		{"eth_sign form", "seller", "eth_signTypedData_v4", func(p *payment.Payment) { p.SellerSignature[64] += 4 }},
		{"malleable s", "seller", "upper half", func(p *payment.Payment) {
			// (r, n − s, v ^ 1) recovers the same key: the high-s twin is refused, as the contract does.
			s := new(big.Int).Sub(crypto.S256().Params().N, new(big.Int).SetBytes(p.SellerSignature[32:64]))
			copy(p.SellerSignature[32:64], common.LeftPadBytes(s.Bytes(), 32))
			p.SellerSignature[64] = 27 + 28 - p.SellerSignature[64]
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := provenPayment(t)
			tc.forge(p)
			err := p.VerifyParties()
			var pe *payment.PartyError
			if !errors.As(err, &pe) || !errors.Is(err, payment.ErrUnproven) || pe.Party != tc.party || !strings.Contains(err.Error(), tc.why) {
				t.Fatalf("got %v; want the %s unproven (%q)", err, tc.party, tc.why)
			}
		})
	}
	// Wallets that report v as 0/1 sign the same.
	p := provenPayment(t)
	p.BuyerSignature[64] -= 27
	if err := p.VerifyParties(); err != nil {
		t.Fatalf("v = 0/1: %v", err)
	}
	if _, err := payment.ParseSignature(" 0x" + common.Bytes2Hex(p.SellerSignature) + "\n"); err != nil {
		t.Fatalf("hex signature with 0x and a newline: %v", err)
	}
	if _, err := payment.ParseSignature("0x1234"); err == nil {
		t.Fatal("a 2-byte signature parsed")
	}
}

func unsigned(offer string) payment.NewPayment {
	return payment.NewPayment{BuyerRef: "b", OfferRef: offer, SellerAddress: seller, ChainID: 56, ChainKey: "bsc",
		Token: usdt, TokenSymbol: "USDT", Decimals: 18, Amount: amount(5), FeeAddress: feeAddr, RequestID: "r", Salt: "s", TTL: time.Hour}
}

// Create takes a seller address only with the seller's signature of the offer.
func TestCreateNeedsTheSellersOfferSignature(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	offer := "offer-" + uuid.NewString()
	n := unsigned(offer)
	od, _ := n.Offer().Digest()
	for _, tc := range []struct {
		name, why string
		sig       []byte
		change    func(*payment.NewPayment)
	}{
		{"none", "offer signature is required", nil, nil},
		{"another wallet's", "recovers " + stranger.Address.Hex(), signWith(t, od, stranger), nil},
		{"the seller's, for another amount", "not the seller address", signWith(t, od, paymenttest.Seller()), func(n *payment.NewPayment) { n.Amount = amount(6) }},
		{"the seller's, for another payout", "not the seller address", signWith(t, od, paymenttest.Seller()), func(n *payment.NewPayment) { n.SellerAddress = stranger.Address }},
		{"short", "64 bytes", make([]byte, 64), nil},
	} {
		n := unsigned(offer)
		n.SellerSignature = tc.sig
		if tc.change != nil {
			tc.change(&n)
		}
		if _, err := s.Create(ctx, n); !errors.Is(err, payment.ErrInvalid) || !strings.Contains(err.Error(), tc.why) {
			t.Errorf("%s signature: %v; want invalid (%q)", tc.name, err, tc.why)
		}
	}
	p, err := s.Create(ctx, paymenttest.Offer(n, paymenttest.Seller()))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p.ProvenSeller(); err != nil || got != seller || len(p.SellerSignature) != 65 {
		t.Fatalf("created payment's seller: %s, %v", got.Hex(), err)
	}
	if _, err := p.ProvenBuyer(); !errors.Is(err, payment.ErrUnproven) {
		t.Fatalf("a new payment has a proven buyer: %v", err)
	}
}

// Finding 4: money from any sender is credited but never sets the refund address; the buyer's
// checkout signature sets it once, and nothing changes it afterwards (the database refuses too).
func TestRefundAddressIsTheProvenBuyerOnly(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	buyer, frontRunner := paymenttest.Buyer(), common.HexToAddress("0x00000000000000000000000000000000000000b1")
	p := create(t, s)
	o := obs(1, nextObs.Add(1))
	o.From = frontRunner
	if p, _ = s.Detect(ctx, p.ID, o); p.BuyerAddress != (common.Address{}) {
		t.Fatalf("the first payer became the refund address: %s", p.BuyerAddress.Hex())
	}

	// Signatures that do not recover the buyer over this payment's checkout are refused.
	other := create(t, s)
	for name, sig := range map[string][]byte{
		"another payment's checkout": paymenttest.CheckoutSignature(t, other, buyer),
		"another wallet's":           paymenttest.CheckoutSignature(t, p, stranger),
	} {
		if _, err := s.ProveBuyer(ctx, p.ID, buyer.Address, sig); !errors.Is(err, payment.ErrInvalid) || !strings.Contains(err.Error(), "recovers") {
			t.Errorf("%s signature: %v", name, err)
		}
	}
	p = paymenttest.ProveBuyer(t, s, p, buyer)
	if p.BuyerAddress != buyer.Address || p.State != payment.Detected {
		t.Fatalf("after the checkout: buyer %s, state %s", p.BuyerAddress.Hex(), p.State)
	}
	tl, err := s.Timeline(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := tl[len(tl)-1]; last.Event != "prove_buyer" || last.From != payment.Detected || last.To != payment.Detected ||
		!strings.Contains(last.Reason, buyer.Address.Hex()) {
		t.Fatalf("timeline's last row %+v", last)
	}
	// Again with the same wallet: nothing changes. Another wallet's proof: refused.
	if again := paymenttest.ProveBuyer(t, s, p, buyer); again.BuyerAddress != buyer.Address {
		t.Fatalf("proving twice: %s", again.BuyerAddress.Hex())
	}
	if _, err := s.ProveBuyer(ctx, p.ID, stranger.Address, paymenttest.CheckoutSignature(t, p, stranger)); !errors.Is(err, payment.ErrBuyerFixed) {
		t.Fatalf("a second buyer: %v", err)
	}
	o = obs(1_000_000, nextObs.Add(1))
	o.From = frontRunner
	if p, _ = s.Detect(ctx, p.ID, o); p.BuyerAddress != buyer.Address {
		t.Fatalf("a later payer replaced the refund address: %s", p.BuyerAddress.Hex())
	}

	// The database keeps the parties fixed whoever writes (short of disabling its trigger): a
	// check_violation (23514).
	for name, q := range map[string]string{
		"buyer changed":               `UPDATE payments SET buyer_address = '0x00000000000000000000000000000000000000b1' WHERE id = $1`,
		"buyer and signature changed": `UPDATE payments SET buyer_address = '0x00000000000000000000000000000000000000b1', buyer_signature = seller_signature WHERE id = $1`,
		"buyer removed":               `UPDATE payments SET buyer_address = NULL, buyer_signature = NULL WHERE id = $1`,
		"seller changed":              `UPDATE payments SET seller_address = '0x00000000000000000000000000000000000000b1' WHERE id = $1`,
		"offer signature changed":     `UPDATE payments SET seller_signature = buyer_signature WHERE id = $1`,
	} {
		if _, err := poolFor.Exec(ctx, q, p.ID); err == nil || !strings.Contains(err.Error(), "23514") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := poolFor.Exec(ctx, `UPDATE payments SET buyer_address = '0x00000000000000000000000000000000000000b1' WHERE id = $1`, other.ID); err == nil {
		t.Error("a buyer address without the buyer's signature was stored")
	}
}

// A paid payment waits for its buyer's proof; the proof wakes its waiting sweep job.
func TestProvingTheBuyerWakesTheSweep(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	p := create(t, s)
	o := obs(1_000_000, nextObs.Add(1))
	if _, err := s.Detect(ctx, p.ID, o); err != nil {
		t.Fatal(err)
	}
	p, err := s.Confirm(ctx, p.ID, o.TransferID())
	if err != nil || p.State != payment.Funded {
		t.Fatalf("confirm: %v %v", p, err)
	}
	if err := p.SweepWaits(); !errors.Is(err, payment.ErrUnproven) || !strings.Contains(err.Error(), "has not signed the checkout") {
		t.Fatalf("a funded payment without a proven buyer: sweep waits for %v", err)
	}
	// The worker found no proven buyer and snoozed the job.
	args := `{"payment_id": "` + p.ID.String() + `"}`
	if tag, err := poolFor.Exec(ctx, `UPDATE river_job SET state = 'scheduled', scheduled_at = now() + interval '10 minutes'
		WHERE kind = 'payment_sweep' AND args @> $1::jsonb`, args); err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("the sweep job: %v (%d)", err, tag.RowsAffected())
	}
	p = paymenttest.ProveBuyer(t, s, p, paymenttest.Buyer())
	if err := p.SweepWaits(); err != nil {
		t.Fatalf("proven: sweep still waits for %v", err)
	}
	var state string
	var due bool
	if err := poolFor.QueryRow(ctx, `SELECT state, scheduled_at <= now() FROM river_job WHERE kind = 'payment_sweep' AND args @> $1::jsonb`,
		args).Scan(&state, &due); err != nil || state != "available" || !due {
		t.Fatalf("the sweep job after the proof: %s due=%v (%v)", state, due, err)
	}
}
