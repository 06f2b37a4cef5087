package payment

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/rivertype"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
)

// Parties proven by their wallets (ARCHITECTURE.md §9). A payment's seller address and buyer
// (refund) address are never taken on anyone's word, nor from whoever paid first: each comes with
// an EIP-712 signature by that address's own wallet over what it agrees to.
//
//   - The seller's payout wallet signs the Offer (offer reference, chain, token, amount, payout
//     address) before the payment exists; Create refuses a payment without it.
//   - The buyer's wallet signs the Checkout (payment id, deposit address, token, amount, seller)
//     once the payment and its deposit address exist, before paying; the address that signed IS
//     the refund address (ProveBuyer). It is fixed from then on: money from any other sender is
//     credited but never changes it.
//
// The signer recovers both signatures itself before it records the parties in the escrow
// (VerifyParties); the database keeps them together and fixed (migration 00015).

// The EIP-712 domain of the parties' messages: the platform, on the payment's chain. It names no
// verifying contract: nothing on chain checks these signatures, and a checkout signature cannot
// be replayed on another payment (it names the payment and its deposit address).
const (
	PartiesDomainName    = "Amn"
	PartiesDomainVersion = "1"
	PartiesDomainType    = "EIP712Domain(string name,string version,uint256 chainId)"
	OfferType            = "Offer(string offer,uint256 chainId,address token,uint256 amount,address payout)"
	CheckoutType         = "Checkout(bytes32 paymentId,address deposit,address token,uint256 amount,address seller)"
)

// ErrUnproven is matched (errors.Is) by every *PartyError.
var ErrUnproven = kind.New(kind.Refused, "party not proven by its wallet")

// ErrBuyerFixed: the payment's refund address was already fixed at checkout.
var ErrBuyerFixed = kind.New(kind.Conflict, "the payment's buyer is already proven")

// PartyError says which party of a payment is not proven by its wallet, and why.
type PartyError struct {
	Payment string
	Party   string         // "seller" or "buyer"
	Address common.Address // the address the payment names (zero when none)
	Reason  string
}

func (e *PartyError) Error() string {
	if e.Address == (common.Address{}) {
		return fmt.Sprintf("payment %s: no proven %s: %s", e.Payment, e.Party, e.Reason)
	}
	return fmt.Sprintf("payment %s: %s %s is not proven: %s", e.Payment, e.Party, e.Address.Hex(), e.Reason)
}

// Unwrap makes errors.Is(err, ErrUnproven) true.
func (e *PartyError) Unwrap() error { return ErrUnproven }

// Offer is what a seller's payout wallet signs: that this offer, on this chain, in this token and
// for this amount (due at the deposit address, base units), pays out to Payout.
type Offer struct {
	Ref     string
	ChainID uint64
	Token   common.Address
	Amount  *big.Int
	Payout  common.Address
}

// TypedData is the offer as eth_signTypedData_v4 takes it.
func (o Offer) TypedData() apitypes.TypedData {
	return partiesTypedData(o.ChainID, "Offer", []apitypes.Type{
		{Name: "offer", Type: "string"}, {Name: "chainId", Type: "uint256"}, {Name: "token", Type: "address"},
		{Name: "amount", Type: "uint256"}, {Name: "payout", Type: "address"},
	}, apitypes.TypedDataMessage{
		"offer": o.Ref, "chainId": new(big.Int).SetUint64(o.ChainID).String(), "token": o.Token.Hex(),
		"amount": decimal(o.Amount), "payout": o.Payout.Hex(),
	})
}

// Digest is what the seller signs.
func (o Offer) Digest() (common.Hash, error) { return digest(o.TypedData()) }

// Signer recovers who signed the offer (an EIP-712 signature, 65 bytes, v = 27/28 or 0/1).
func (o Offer) Signer(sig []byte) (common.Address, error) { return recoverSigner(o.TypedData(), sig) }

func (o Offer) String() string {
	return fmt.Sprintf("offer %q, chain %d, token %s, amount %s, payout %s", o.Ref, o.ChainID, o.Token.Hex(), decimal(o.Amount), o.Payout.Hex())
}

// CheckoutTerms is what a buyer's wallet signs at checkout: this payment (its escrow id), paid to
// this deposit address in this token and amount, for this seller. The signing address becomes the
// payment's refund address.
type CheckoutTerms struct {
	ChainID   uint64 // the domain's
	PaymentID [32]byte
	Deposit   common.Address
	Token     common.Address
	Amount    *big.Int
	Seller    common.Address
}

// TypedData is the checkout as eth_signTypedData_v4 takes it.
func (c CheckoutTerms) TypedData() apitypes.TypedData {
	return partiesTypedData(c.ChainID, "Checkout", []apitypes.Type{
		{Name: "paymentId", Type: "bytes32"}, {Name: "deposit", Type: "address"}, {Name: "token", Type: "address"},
		{Name: "amount", Type: "uint256"}, {Name: "seller", Type: "address"},
	}, apitypes.TypedDataMessage{
		"paymentId": common.Hash(c.PaymentID).Hex(), "deposit": c.Deposit.Hex(), "token": c.Token.Hex(),
		"amount": decimal(c.Amount), "seller": c.Seller.Hex(),
	})
}

// Digest is what the buyer signs.
func (c CheckoutTerms) Digest() (common.Hash, error) { return digest(c.TypedData()) }

// Signer recovers who signed the checkout.
func (c CheckoutTerms) Signer(sig []byte) (common.Address, error) {
	return recoverSigner(c.TypedData(), sig)
}

func (c CheckoutTerms) String() string {
	return fmt.Sprintf("payment %s, deposit %s, token %s, amount %s, seller %s", common.Hash(c.PaymentID).Hex(),
		c.Deposit.Hex(), c.Token.Hex(), decimal(c.Amount), c.Seller.Hex())
}

// Offer is the offer the payment's seller signed (the payment's own fields).
func (n NewPayment) Offer() Offer {
	return Offer{Ref: n.OfferRef, ChainID: n.ChainID, Token: n.Token, Amount: n.Amount, Payout: n.SellerAddress}
}

// Offer is the offer the payment's seller signed, as the payment records it.
func (p *Payment) Offer() Offer {
	return Offer{Ref: p.OfferRef, ChainID: p.ChainID, Token: p.Token, Amount: p.Amount, Payout: p.SellerAddress}
}

// CheckoutTerms is what the payment's buyer signs, as the payment records it.
func (p *Payment) CheckoutTerms() CheckoutTerms {
	return CheckoutTerms{ChainID: p.ChainID, PaymentID: EscrowRef(p.ID), Deposit: p.Deposit, Token: p.Token,
		Amount: p.Amount, Seller: p.SellerAddress}
}

// ProvenSeller recovers the seller from the payment's offer signature and checks it is the
// payment's seller address. Errors are *PartyError.
func (p *Payment) ProvenSeller() (common.Address, error) {
	bad := func(f string, a ...any) error {
		return &PartyError{Payment: p.ID.String(), Party: "seller", Address: p.SellerAddress, Reason: fmt.Sprintf(f, a...)}
	}
	if len(p.SellerSignature) == 0 {
		return common.Address{}, bad("the payment has no offer signature")
	}
	o := p.Offer()
	signer, err := o.Signer(p.SellerSignature)
	if err != nil {
		return common.Address{}, bad("offer signature: %v", err)
	}
	if signer != p.SellerAddress {
		return common.Address{}, bad("the offer signature over (%s) recovers %s", o, signer.Hex())
	}
	return signer, nil
}

// ProvenBuyer recovers the buyer from the payment's checkout signature and checks it is the
// payment's buyer (refund) address. A payment whose buyer has not signed yet has none. Errors are
// *PartyError.
func (p *Payment) ProvenBuyer() (common.Address, error) {
	bad := func(f string, a ...any) error {
		return &PartyError{Payment: p.ID.String(), Party: "buyer", Address: p.BuyerAddress, Reason: fmt.Sprintf(f, a...)}
	}
	if len(p.BuyerSignature) == 0 {
		if p.BuyerAddress == (common.Address{}) {
			return common.Address{}, bad("the buyer has not signed the checkout (the refund address is set by that signature)")
		}
		return common.Address{}, bad("the payment has no checkout signature")
	}
	c := p.CheckoutTerms()
	signer, err := c.Signer(p.BuyerSignature)
	if err != nil {
		return common.Address{}, bad("checkout signature: %v", err)
	}
	if signer != p.BuyerAddress {
		return common.Address{}, bad("the checkout signature over (%s) recovers %s", c, signer.Hex())
	}
	return signer, nil
}

// VerifyParties checks both parties: the seller's offer signature and the buyer's checkout
// signature each recover the address the payment names. Errors are *PartyError.
func (p *Payment) VerifyParties() error {
	if _, err := p.ProvenSeller(); err != nil {
		return err
	}
	_, err := p.ProvenBuyer()
	return err
}

// SweepWaits says why a payment due for sweeping is not swept on its parties' side: the escrow
// records only proven parties (nil when they are, or when no sweep is due).
func (p *Payment) SweepWaits() error {
	if SweepStatus(p.State) != "due" {
		return nil
	}
	return p.VerifyParties()
}

// SigningRequest is typed data as a wallet's eth_signTypedData_v4 takes it: types, primaryType,
// domain (name, version, chainId as a number) and message, fields as their declared types carry
// them in JSON (integers as decimal strings).
func SigningRequest(td apitypes.TypedData) (json.RawMessage, error) {
	chainID := (*big.Int)(td.Domain.ChainId)
	if chainID == nil || !chainID.IsUint64() {
		return nil, fmt.Errorf("payment: %s typed data has no chain id", td.PrimaryType)
	}
	return json.Marshal(struct {
		Types       apitypes.Types            `json:"types"`
		PrimaryType string                    `json:"primaryType"`
		Domain      map[string]any            `json:"domain"`
		Message     apitypes.TypedDataMessage `json:"message"`
	}{td.Types, td.PrimaryType, map[string]any{"name": td.Domain.Name, "version": td.Domain.Version, "chainId": chainID.Uint64()}, td.Message})
}

// evProveBuyer is the timeline's record of a checkout proof: not a transition (the state stays).
const evProveBuyer Event = "prove_buyer"

// ProveBuyer fixes the payment's refund address: buyer, the wallet that signed its checkout terms
// (sig, 65 bytes, over CheckoutTerms). A signature that does not recover buyer (over other terms,
// another payment's, or by another wallet) is ErrInvalid. It is done once; the same wallet's
// signature again is a no-op, another wallet's is ErrBuyerFixed. A payment already paid and
// waiting for its buyer's proof to be swept gets its sweep job (again) now.
func (s *Service) ProveBuyer(ctx context.Context, id ledger.ID, buyer common.Address, sig []byte) (*Payment, error) {
	sig, err := typedDataSignature(sig)
	if err != nil {
		return nil, fmt.Errorf("payment %s: %w: buyer signature: %v", id, ErrInvalid, err)
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		p, err := scanPayment(tx.QueryRow(ctx, `SELECT `+paymentColumns+` FROM payments WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		c := p.CheckoutTerms()
		signer, err := c.Signer(sig)
		if err != nil {
			return fmt.Errorf("%w: buyer signature: %v", ErrInvalid, err)
		}
		if signer != buyer || buyer == (common.Address{}) {
			return fmt.Errorf("%w: the buyer signature over (%s) recovers %s, not the buyer %s", ErrInvalid, c, signer.Hex(), buyer.Hex())
		}
		if p.BuyerAddress != (common.Address{}) {
			if p.BuyerAddress == buyer && len(p.BuyerSignature) > 0 {
				return nil
			}
			return fmt.Errorf("%w: the refund address %s was fixed at checkout; %s cannot replace it", ErrBuyerFixed, p.BuyerAddress.Hex(), buyer.Hex())
		}
		if _, err := tx.Exec(ctx, `UPDATE payments SET buyer_address = $2, buyer_signature = $3, updated_at = $4 WHERE id = $1`,
			id, hexAddr(buyer), sig, s.now()); err != nil {
			return err
		}
		if err := appendTimeline(ctx, tx, id, p.State, p.State, evProveBuyer, "api",
			"refund address "+buyer.Hex()+" proven by the buyer's checkout signature"); err != nil {
			return err
		}
		if p.State == Funded || p.State == Overpaid || p.State == Late {
			return s.wakeSweep(ctx, tx, id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("payment %s: prove buyer: %w", id, err)
	}
	return s.Get(ctx, id)
}

// wakeSweep enqueues the payment's sweep job, or makes its waiting one (snoozed until the buyer's
// proof) run now.
func (s *Service) wakeSweep(ctx context.Context, tx pgx.Tx, id ledger.ID) error {
	res, err := s.jobs.InsertTx(ctx, tx, SweepArgs{PaymentID: id.String()}, nil)
	if err != nil {
		return fmt.Errorf("enqueueing the sweep: %w", err)
	}
	if res.UniqueSkippedAsDuplicate && res.Job.State == rivertype.JobStateScheduled {
		if _, err := s.jobs.JobRetryTx(ctx, tx, res.Job.ID); err != nil {
			return fmt.Errorf("waking the sweep job %d: %w", res.Job.ID, err)
		}
	}
	return nil
}

// ParseSignature reads a 65-byte EIP-712 signature written as hex (0x optional, surrounding space
// ignored), as wallets return it from eth_signTypedData_v4.
func ParseSignature(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X") {
		s = s[2:]
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("signature is not hex: %v", err)
	}
	return typedDataSignature(b)
}

// typedDataSignature checks a signature's form and returns it with v = 27/28: 65 bytes r ‖ s ‖ v,
// v = 27/28 or 0/1 (some wallets report the recovery id bare). The eth_sign form (v = 31/32) the
// escrow contract also takes is refused: a wallet signs these messages as typed data, where it
// shows each field.
func typedDataSignature(sig []byte) ([]byte, error) {
	if len(sig) != escrow.SignatureLength {
		return nil, fmt.Errorf("%d bytes, want %d (r ‖ s ‖ v)", len(sig), escrow.SignatureLength)
	}
	out := bytes.Clone(sig)
	switch out[64] {
	case 0, 1:
		out[64] += 27
	case 27, 28:
	default:
		return nil, fmt.Errorf("v = %d, want 27 or 28 (an eth_signTypedData_v4 signature)", out[64])
	}
	return out, nil
}

// recoverSigner recovers who signed td's digest with sig.
func recoverSigner(td apitypes.TypedData, sig []byte) (common.Address, error) {
	sig, err := typedDataSignature(sig)
	if err != nil {
		return common.Address{}, err
	}
	d, err := digest(td)
	if err != nil {
		return common.Address{}, err
	}
	return escrow.Verify(d, sig)
}

func digest(td apitypes.TypedData) (common.Hash, error) {
	h, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		return common.Hash{}, fmt.Errorf("%s: %w", td.PrimaryType, err)
	}
	return common.BytesToHash(h), nil
}

func partiesTypedData(chainID uint64, primary string, fields []apitypes.Type, msg apitypes.TypedDataMessage) apitypes.TypedData {
	id := math.HexOrDecimal256(*new(big.Int).SetUint64(chainID))
	return apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {{Name: "name", Type: "string"}, {Name: "version", Type: "string"}, {Name: "chainId", Type: "uint256"}},
			primary:        fields,
		},
		PrimaryType: primary,
		Domain:      apitypes.TypedDataDomain{Name: PartiesDomainName, Version: PartiesDomainVersion, ChainId: &id},
		Message:     msg,
	}
}

// decimal is an amount as typed data carries it; a missing amount is "" (which no uint256 is, so
// its digest fails rather than signing zero).
func decimal(v *big.Int) string {
	if v == nil {
		return ""
	}
	return v.String()
}

// WakeSweep asks the worker to sweep the payment's deposit now: it enqueues the payment's sweep
// job (or wakes its waiting one), which records the sweep intent as the worker's role. The API,
// which may not move a payment to sweeping, asks for sweeps this way.
func (s *Service) WakeSweep(ctx context.Context, id ledger.ID) error {
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error { return s.wakeSweep(ctx, tx, id) })
}
