package signer

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// Policy is the signer's own limits, checked for releases and refunds (money leaving escrow).
// Sweeps move money into the platform's own escrow contract and are not limited.
type Policy struct {
	// Limits per chain and token; a release or refund on a chain and token without a limit is
	// rejected (deny by default).
	Limits map[LimitKey]Limit
	// FeeRecipients lists where a release may send the commission, per chain; empty means only
	// the payment's own fee address.
	FeeRecipients map[uint64][]common.Address
	// GasTopups allow standalone gas_topup intents per chain; a chain without an entry allows
	// none (deny by default).
	GasTopups map[uint64]GasTopupPolicy
}

// GasTopupPolicy is where the gas tank may send native currency by a gas_topup intent, and how
// much (wei) in one transaction and in a rolling 24 hours.
type GasTopupPolicy struct {
	Destinations []common.Address
	PerTx        *big.Int
	PerDay       *big.Int
}

// LimitKey names a chain and token.
type LimitKey struct {
	ChainID uint64
	Token   common.Address
}

// Limit is the most one transaction, and all transactions of a rolling 24 hours, may move.
type Limit struct {
	PerTx  *big.Int
	PerDay *big.Int
}

// Escrow statuses of AmnEscrow.escrows(id).status.
const (
	escrowNone   = 0
	escrowOpen   = 1
	escrowClosed = 2 // and above: released, refunded, reclaimed, settled
)

// verify re-checks everything about an intent, independently of whoever created it. A failed
// check is a *Rejection; any other error means the check could not be made (retry later). For a
// release or refund it returns the custodians' signatures it checked, in the contract's order.
func (s *Signer) verify(ctx context.Context, in *intent.Intent) (sigs [][]byte, _ error) {
	c := s.chains[in.ChainID]
	if c == nil {
		return nil, rejectf("chain %d is not configured in this signer", in.ChainID)
	}
	if in.Contract != c.Escrow {
		return nil, rejectf("intent names contract %s; the signer's escrow on chain %d is %s", in.Contract.Hex(), in.ChainID, c.Escrow.Hex())
	}
	if in.Kind == intent.GasTopup {
		return nil, s.verifyGasTopup(ctx, c, in)
	}
	if in.PaymentID.IsZero() {
		return nil, rejectf("a %s intent needs a payment", in.Kind)
	}
	p, err := s.payments.Get(ctx, in.PaymentID)
	if errors.Is(err, payment.ErrNotFound) {
		return nil, rejectf("payment %s does not exist", in.PaymentID)
	}
	if err != nil {
		return nil, err
	}
	if p.ChainID != in.ChainID || p.Token != in.Token {
		return nil, rejectf("intent is for token %s on chain %d; payment is %s on chain %d", in.Token.Hex(), in.ChainID, p.Token.Hex(), p.ChainID)
	}
	if p.Token == (common.Address{}) {
		return nil, rejectf("payment has no token (the chain's own currency is %s)", chain.NativeToken.Hex())
	}
	buyer := p.BuyerAddress
	es, err := bindings.NewAmnEscrow(c.Escrow, c.Client)
	if err != nil {
		return nil, err
	}
	opts := &bind.CallOpts{Context: ctx}
	rec, err := es.Escrows(opts, p.EscrowID())
	if err != nil {
		return nil, fmt.Errorf("reading escrow record: %w", err)
	}
	switch in.Kind {
	case intent.Sweep:
		return nil, s.verifySweep(ctx, c, in, p, buyer, rec.Status)
	case intent.Freeze:
		return nil, s.verifyFreeze(ctx, es, in, p, rec.Status, rec.Frozen)
	case intent.Unfreeze:
		return nil, s.verifyUnfreeze(ctx, c, es, p, rec.Status, rec.Frozen)
	case intent.Release, intent.Refund:
		return s.verifyPayout(ctx, c, in, p, rec)
	case intent.Settle:
		return s.verifySettle(ctx, c, in, p, rec)
	}
	return nil, rejectf("unknown intent kind %q", in.Kind)
}

// escrowRecord is AmnEscrow.escrows(id), as the binding returns it.
type escrowRecord = struct {
	Token    common.Address
	FundedAt uint64
	Status   uint8
	Frozen   bool
	Buyer    common.Address
	Seller   common.Address
	Amount   *big.Int
}

// verifyPayout checks a release or refund: the payment's escrow and state, the approvals' lifetime,
// the books, the escrow on chain (open, holding what the payment received, frozen only for a
// resolution), the parties and amounts, the policy's limits, and the custodians' approvals, whose
// signatures it returns in the contract's order.
func (s *Signer) verifyPayout(ctx context.Context, c *Chain, in *intent.Intent, p *payment.Payment, rec escrowRecord) ([][]byte, error) {
	buyer := p.BuyerAddress
	if in.EscrowID != p.EscrowID() {
		return nil, rejectf("intent pays out escrow %s; the payment's escrow is %s", in.EscrowID.Hex(), p.EscrowID().Hex())
	}
	if p.State == payment.Disputed {
		return nil, rejectf("payment is disputed: no release or refund until the dispute is resolved")
	}
	if err := s.checkTTL(in); err != nil {
		return nil, err
	}
	want, submitted := payment.ReleasePending, payment.Releasing
	if in.Kind == intent.Refund {
		want, submitted = payment.RefundPending, payment.Refunding
	}
	// Once this signer has signed the payout, the worker moves the payment on (and the
	// ledger reserves the payout): a replacement still finds it so.
	inFlight := p.State == submitted && in.SignedAt != nil
	if p.State != want && !inFlight {
		return nil, rejectf("payment is %s; a %s needs %s", p.State, in.Kind, want)
	}
	if err := s.checkEscrowBooks(ctx, in, p, inFlight); err != nil {
		return nil, err
	}
	// The chain: the escrow is open and holds what the intent pays out.
	if rec.Status != escrowOpen {
		return nil, rejectf("escrow of payment %s is not open on chain (status %d)", p.ID, rec.Status)
	}
	if rec.Token != intent.EscrowToken(in.Token) || rec.Amount.Cmp(p.Received) != 0 {
		return nil, rejectf("escrow on chain holds %s of %s; the payment received %s of %s", rec.Amount, rec.Token.Hex(), p.Received, in.Token.Hex())
	}
	if rec.Frozen && !in.ResolvesDispute {
		return nil, rejectf("escrow is frozen on chain: only a dispute resolution can move it")
	}
	total := new(big.Int)
	if in.Kind == intent.Release {
		if in.Seller != p.SellerAddress || rec.Seller != p.SellerAddress {
			return nil, rejectf("release pays %s; the payment's seller is %s (escrow: %s)", in.Seller.Hex(), p.SellerAddress.Hex(), rec.Seller.Hex())
		}
		if in.SellerAmount == nil || in.FeeAmount == nil || in.SellerAmount.Cmp(p.SellerAmount()) != 0 || in.FeeAmount.Cmp(p.Commission) != 0 {
			return nil, rejectf("release pays %v + %v; the payment owes the seller %s and commission %s", in.SellerAmount, in.FeeAmount, p.SellerAmount(), p.Commission)
		}
		if !s.feeRecipientAllowed(in.ChainID, in.FeeRecipient, p.FeeAddress) {
			return nil, rejectf("fee recipient %s is not an allowed destination", in.FeeRecipient.Hex())
		}
		total.Add(in.SellerAmount, in.FeeAmount)
	} else {
		if in.Buyer == (common.Address{}) || in.Buyer != buyer || rec.Buyer != buyer {
			return nil, rejectf("refund pays %s; the payment's buyer is %s (escrow: %s)", in.Buyer.Hex(), buyer.Hex(), rec.Buyer.Hex())
		}
		if in.Amount == nil || in.Amount.Cmp(p.Received) != 0 {
			return nil, rejectf("refund pays %v; the payment received %s", in.Amount, p.Received)
		}
		total.Set(in.Amount)
	}
	if err := s.checkLimits(ctx, in, total); err != nil {
		return nil, err
	}
	return s.verifyApprovals(ctx, c, in)
}

// verifySettle checks a settle, a dispute's split: the payment's escrow and state (settle_pending,
// or settling once this signer signed), the approvals' lifetime, the parties (the buyer's proven
// refund wallet and the seller's signed payout address, on the intent, the payment and the escrow
// record alike), the parts (exactly the payment's decided split by the commission rule, adding up
// to what the escrow holds on chain), the books, the fee recipient, the policy's limits and the
// custodians' approvals, whose signatures it returns in the contract's order.
func (s *Signer) verifySettle(ctx context.Context, c *Chain, in *intent.Intent, p *payment.Payment, rec escrowRecord) ([][]byte, error) {
	if in.EscrowID != p.EscrowID() {
		return nil, rejectf("intent settles escrow %s; the payment's escrow is %s", in.EscrowID.Hex(), p.EscrowID().Hex())
	}
	if err := s.checkTTL(in); err != nil {
		return nil, err
	}
	inFlight := p.State == payment.Settling && in.SignedAt != nil
	if p.State != payment.SettlePending && !inFlight {
		return nil, rejectf("payment is %s; a settle needs %s", p.State, payment.SettlePending)
	}
	if !in.ResolvesDispute {
		return nil, rejectf("a settle is a dispute's resolution: its approval must say so (resolvesDispute)")
	}
	if err := verifyParties(in, p); err != nil {
		return nil, err
	}
	if rec.Buyer != in.Buyer || rec.Seller != in.Seller {
		return nil, rejectf("settle pays buyer %s and seller %s; the escrow records buyer %s and seller %s", in.Buyer.Hex(), in.Seller.Hex(), rec.Buyer.Hex(), rec.Seller.Hex())
	}
	split, err := p.Split()
	if err != nil {
		return nil, rejectf("%v", err)
	}
	if in.BuyerAmount == nil || in.SellerAmount == nil || in.FeeAmount == nil || in.BuyerAmount.Cmp(split.Buyer) != 0 ||
		in.SellerAmount.Cmp(split.Seller) != 0 || in.FeeAmount.Cmp(split.Fee) != 0 {
		return nil, rejectf("settle pays %v + %v + %v; the payment's split is %s to the buyer, %s to the seller, %s fee",
			in.BuyerAmount, in.SellerAmount, in.FeeAmount, split.Buyer, split.Seller, split.Fee)
	}
	if err := s.checkEscrowBooks(ctx, in, p, inFlight); err != nil {
		return nil, err
	}
	total := new(big.Int).Add(in.BuyerAmount, in.SellerAmount)
	total.Add(total, in.FeeAmount)
	if rec.Status != escrowOpen {
		return nil, rejectf("escrow of payment %s is not open on chain (status %d)", p.ID, rec.Status)
	}
	if rec.Token != intent.EscrowToken(in.Token) || rec.Amount.Cmp(p.Received) != 0 || total.Cmp(rec.Amount) != 0 {
		return nil, rejectf("escrow on chain holds %s of %s; the payment received %s of %s and the settle pays %s",
			rec.Amount, rec.Token.Hex(), p.Received, in.Token.Hex(), total)
	}
	if !s.feeRecipientAllowed(in.ChainID, in.FeeRecipient, p.FeeAddress) {
		return nil, rejectf("fee recipient %s is not an allowed destination", in.FeeRecipient.Hex())
	}
	if err := s.checkLimits(ctx, in, total); err != nil {
		return nil, err
	}
	return s.verifyApprovals(ctx, c, in)
}

// staleSettle says why a settle intent still awaiting approvals is stale, or "": its payment left
// settle_pending other than by starting this settle (disputed again, resolved anew, paid out on
// chain), or its parts are no longer the payment's split. Such an intent is rejected at once, so
// that no custodian approves an old decision and the new split's intent can be recorded.
func (s *Signer) staleSettle(ctx context.Context, in *intent.Intent) (string, error) {
	p, err := s.payments.Get(ctx, in.PaymentID)
	if errors.Is(err, payment.ErrNotFound) {
		return fmt.Sprintf("payment %s does not exist", in.PaymentID), nil
	} else if err != nil {
		return "", err
	}
	if p.State != payment.SettlePending {
		return fmt.Sprintf("payment is %s; a settle needs %s (the split is no longer waiting for this intent)", p.State, payment.SettlePending), nil
	}
	split, err := p.Split()
	if err != nil {
		return err.Error(), nil
	}
	if in.BuyerAmount == nil || in.SellerAmount == nil || in.FeeAmount == nil || in.BuyerAmount.Cmp(split.Buyer) != 0 ||
		in.SellerAmount.Cmp(split.Seller) != 0 || in.FeeAmount.Cmp(split.Fee) != 0 {
		return fmt.Sprintf("settle pays %v + %v + %v; the payment's split is now %s to the buyer, %s to the seller, %s fee",
			in.BuyerAmount, in.SellerAmount, in.FeeAmount, split.Buyer, split.Seller, split.Fee), nil
	}
	return "", nil
}

// checkEscrowBooks: the ledger has the payment's sweep into escrow, for what it received, and no
// payout out of it — but the reservation of this very payout once it is in flight.
func (s *Signer) checkEscrowBooks(ctx context.Context, in *intent.Intent, p *payment.Payment, inFlight bool) error {
	sweep, err := s.books.LookupTransfer(ctx, ledger.DeriveID("payment/sweep\x00"+p.ID.String()))
	if errors.Is(err, ledger.ErrTransferNotFound) {
		return rejectf("the ledger has no sweep of payment %s into escrow", p.ID)
	} else if err != nil {
		return err
	}
	if sweep.Amount.Cmp(p.Received) != 0 {
		return rejectf("the ledger swept %s into escrow, the payment received %s", sweep.Amount, p.Received)
	}
	// A payout the chain made is final. A payout that failed (reverted, rejected) was voided and
	// the payment's payout attempt moved on: only the current attempt's reservations count.
	for _, k := range []string{"payment/released", "payment/refunded", "payment/reclaimed", "payment/settled-buyer", "payment/settled-seller"} {
		if _, err := s.books.LookupTransfer(ctx, ledger.DeriveID(k+"\x00"+p.ID.String())); err == nil {
			return rejectf("the ledger already records that this payment was %s", strings.TrimPrefix(k, "payment/"))
		} else if !errors.Is(err, ledger.ErrTransferNotFound) {
			return err
		}
	}
	release, refund := p.PayoutReservations()
	own, ownAmount := release, p.SellerAmount()
	switch in.Kind {
	case intent.Refund:
		own, ownAmount = refund, p.Received
	case intent.Settle:
		own, ownAmount = p.SettleReservation(), in.BuyerAmount
	}
	for kind, id := range map[string]ledger.ID{"release": release, "refund": refund, "settle": p.SettleReservation()} {
		t, err := s.books.LookupTransfer(ctx, id)
		if errors.Is(err, ledger.ErrTransferNotFound) {
			continue
		} else if err != nil {
			return err
		}
		if inFlight && id == own && t.Flags&ledger.Pending != 0 && t.State == ledger.StateOpen && ownAmount != nil && t.Amount.Cmp(ownAmount) == 0 {
			continue // the reservation of this payout
		}
		return rejectf("the ledger already records a %s of this payment", kind)
	}
	return nil
}

// clockSkew is how far the deadline may exceed the maximum, for clocks of the requester and the
// database that differ a little.
const clockSkew = 5 * time.Minute

// checkTTL refuses approvals that would stay valid longer than the signer allows: an approval of
// an intent that is later rejected (a dispute, a limit) stays usable on chain until its deadline.
func (s *Signer) checkTTL(in *intent.Intent) error {
	from := time.Now()
	if in.CreatedAt.Before(from) {
		from = in.CreatedAt
	}
	limit := from.Add(s.cfg.MaxApprovalTTL + clockSkew)
	if time.Unix(in.Deadline, 0).After(limit) {
		return rejectf("approvals would stay valid until %s, more than %s after the intent was made (%s)",
			time.Unix(in.Deadline, 0).UTC().Format(time.RFC3339), s.cfg.MaxApprovalTTL, in.CreatedAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// verifyFreeze checks a freeze: the payment is disputed, this signer's operator is the escrow's
// arbiter, and the escrow is open and not frozen yet. A freeze asked while the sweep's fund
// transaction may still land waits for it.
func (s *Signer) verifyFreeze(ctx context.Context, es *bindings.AmnEscrow, in *intent.Intent, p *payment.Payment, status uint8, frozen bool) error {
	if p.State != payment.Disputed {
		return rejectf("payment is %s; a freeze needs a disputed payment", p.State)
	}
	arbiter, err := es.Arbiter(&bind.CallOpts{Context: ctx})
	if err != nil {
		return fmt.Errorf("reading the arbiter: %w", err)
	}
	if op := s.cfg.Keys.OperatorAddress(); arbiter != op {
		return rejectf("the escrow's arbiter is %s, not this signer's operator %s: it cannot freeze", arbiter.Hex(), op.Hex())
	}
	switch {
	case status == escrowNone:
		sweeping, err := intent.SweepInFlight(ctx, s.cfg.Pool, p.ID)
		if err != nil {
			return err
		}
		if sweeping {
			return errWaiting
		}
		return rejectf("escrow of payment %s does not exist on chain: nothing to freeze", p.ID)
	case status != escrowOpen:
		return rejectf("escrow of payment %s is closed on chain (status %d): nothing to freeze", p.ID, status)
	case frozen:
		return rejectf("escrow of payment %s is already frozen", p.ID)
	}
	return nil
}

// verifyUnfreeze checks an unfreeze (a dispute resumed): the payment is no longer disputed and
// holds its money in escrow, this signer's operator is the arbiter, the escrow is open and frozen
// by a freeze transaction of this signer, and every custodian approval given before that freeze
// has expired. The last rule keeps a forged "resumed" payment row harmless: custodians never sign
// approvals valid longer than intent.MaxTTL (package custody), so once the freeze is that old no
// approval from before the dispute can be used, and only approvals given since can pay out.
func (s *Signer) verifyUnfreeze(ctx context.Context, c *Chain, es *bindings.AmnEscrow, p *payment.Payment, status uint8, frozen bool) error {
	if !slices.Contains([]payment.State{payment.InEscrow, payment.ReleasePending, payment.RefundPending}, p.State) {
		return rejectf("payment is %s; an unfreeze needs its money in escrow and no dispute", p.State)
	}
	arbiter, err := es.Arbiter(&bind.CallOpts{Context: ctx})
	if err != nil {
		return fmt.Errorf("reading the arbiter: %w", err)
	}
	if op := s.cfg.Keys.OperatorAddress(); arbiter != op {
		return rejectf("the escrow's arbiter is %s, not this signer's operator %s: it cannot unfreeze", arbiter.Hex(), op.Hex())
	}
	if status != escrowOpen {
		return rejectf("escrow of payment %s is not open on chain (status %d): nothing to unfreeze", p.ID, status)
	}
	if !frozen {
		return rejectf("escrow of payment %s is not frozen: nothing to unfreeze", p.ID)
	}
	frozenAt, err := s.frozenAt(ctx, c, es, p)
	if err != nil {
		return err
	}
	// The contract checks approval deadlines against the block time: so does this.
	head, err := c.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return fmt.Errorf("reading the chain's head: %w", err)
	}
	if now := time.Unix(int64(head.Time), 0); now.Before(frozenAt.Add(s.unfreezeAfter)) {
		return errWaiting
	}
	return nil
}

// frozenAt is when this signer's latest freeze of p's escrow was mined, read from the chain: the
// transaction hash comes from signer_txs (which only the signer writes), and its receipt must
// hold the Frozen event of this very escrow. While a freeze of the payment is still on its way (an
// open freeze intent, or a freeze transaction not final yet) it returns errWaiting: a newer
// freeze must not be measured by an older one's time.
func (s *Signer) frozenAt(ctx context.Context, c *Chain, es *bindings.AmnEscrow, p *payment.Payment) (time.Time, error) {
	hashes, err := s.freezeTxs(ctx, p.ID)
	if err != nil {
		return time.Time{}, err
	}
	for _, h := range hashes {
		rc, err := c.Client.TransactionReceipt(ctx, common.HexToHash(h))
		if err != nil {
			return time.Time{}, fmt.Errorf("reading the freeze transaction %s: %w", h, err)
		}
		for _, l := range rc.Logs {
			ev, err := es.ParseFrozen(*l)
			if err != nil || l.Address != c.Escrow || ev.EscrowId != p.EscrowID() {
				continue
			}
			hd, err := c.Client.HeaderByHash(ctx, rc.BlockHash)
			if err != nil {
				return time.Time{}, fmt.Errorf("reading the freeze's block: %w", err)
			}
			return time.Unix(int64(hd.Time), 0), nil
		}
	}
	return time.Time{}, rejectf("escrow of payment %s was not frozen by a transaction of this signer: lift the freeze by hand", p.ID)
}

// freezeTxsSQL selects the freeze-step transactions of intents $1, newest first.
const freezeTxsSQL = `SELECT state, hash FROM signer_txs WHERE intent_id = ANY($1) AND step = 'freeze' ORDER BY id DESC`

// freezeTxs returns the hashes of this signer's confirmed freeze transactions of the payment,
// newest first: its own record (signer_txs) of the payment's freeze intents, which package intent
// lists. While a freeze is on its way (an open freeze intent, or a freeze transaction signed, sent
// or mined but not final yet) it returns errWaiting.
func (s *Signer) freezeTxs(ctx context.Context, paymentID ledger.ID) ([]string, error) {
	freezes, err := intent.OfPayment(ctx, s.cfg.Pool, paymentID, intent.Freeze)
	if err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, 0, len(freezes))
	for _, in := range freezes {
		if in.State.Open() {
			return nil, errWaiting
		}
		ids = append(ids, in.ID)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.cfg.Pool.Query(ctx, freezeTxsSQL, ids)
	if err != nil {
		return nil, err
	}
	type freezeTx struct{ state, hash string }
	txs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (freezeTx, error) {
		var t freezeTx
		err := r.Scan(&t.state, &t.hash)
		return t, err
	})
	if err != nil {
		return nil, err
	}
	var hashes []string
	for _, t := range txs {
		switch t.state {
		case "signed", "broadcast", "mined":
			return nil, errWaiting
		case "confirmed":
			hashes = append(hashes, t.hash)
		}
	}
	return hashes, nil
}

func (s *Signer) verifySweep(ctx context.Context, c *Chain, in *intent.Intent, p *payment.Payment, buyer common.Address, status uint8) error {
	if p.State != payment.Sweeping {
		return rejectf("payment is %s; a sweep needs sweeping", p.State)
	}
	if err := verifyParties(in, p); err != nil {
		return err
	}
	if buyer == (common.Address{}) {
		return rejectf("payment has no buyer address to record in the escrow")
	}
	if in.Amount == nil || in.Amount.Cmp(p.Received) != 0 || in.Seller != p.SellerAddress || in.Buyer != buyer {
		return rejectf("sweep of %v for seller %s, buyer %s; the payment received %s for seller %s, buyer %s",
			in.Amount, in.Seller.Hex(), in.Buyer.Hex(), p.Received, p.SellerAddress.Hex(), buyer.Hex())
	}
	if p.Received.Sign() <= 0 {
		return rejectf("payment received nothing")
	}
	acct, err := s.books.Account(ctx, p.DepositAcct)
	if err != nil {
		return err
	}
	bal := acct.Balance()
	if bal.Posted.Cmp(p.Received) != 0 || bal.Pending.Sign() != 0 {
		return rejectf("the ledger's deposit account holds %s posted and %s pending; the payment received %s", bal.Posted, bal.Pending, p.Received)
	}
	if status != escrowNone {
		return rejectf("escrow of payment %s already exists on chain (status %d)", p.ID, status)
	}
	var onChain *big.Int
	if in.Token == chain.NativeToken {
		if onChain, err = c.Client.BalanceAt(ctx, p.Deposit, nil); err != nil {
			return fmt.Errorf("reading deposit balance: %w", err)
		}
	} else {
		tok, err := bindings.NewERC20(in.Token, c.Client)
		if err != nil {
			return err
		}
		if onChain, err = tok.BalanceOf(&bind.CallOpts{Context: ctx}, p.Deposit); err != nil {
			return fmt.Errorf("reading deposit balance: %w", err)
		}
	}
	if onChain.Cmp(p.Received) < 0 {
		return rejectf("deposit %s holds %s on chain, less than the %s received", p.Deposit.Hex(), onChain, p.Received)
	}
	_, err = s.depositKey(p)
	return err
}

// verifyGasTopup checks a standalone top-up: native currency, to a destination the policy lists,
// within its per-transaction and 24-hour limits, and the tank holds it.
func (s *Signer) verifyGasTopup(ctx context.Context, c *Chain, in *intent.Intent) error {
	tank := s.cfg.Keys.OperatorAddress()
	switch {
	case !in.PaymentID.IsZero():
		return rejectf("a gas_topup intent names no payment")
	case in.Token != chain.NativeToken:
		return rejectf("a gas top-up sends the chain's own currency (token %s), not token %s", chain.NativeToken.Hex(), in.Token.Hex())
	case in.Recipient == (common.Address{}):
		return rejectf("a gas top-up needs a recipient")
	case in.Recipient == tank:
		return rejectf("the gas tank %s does not top itself up", tank.Hex())
	case in.Amount == nil || in.Amount.Sign() <= 0:
		return rejectf("a gas top-up needs a positive amount")
	}
	pol, ok := s.cfg.Policy.GasTopups[in.ChainID]
	if !ok {
		return rejectf("policy: no gas top-ups are allowed on chain %d (deny by default)", in.ChainID)
	}
	if !slices.Contains(pol.Destinations, in.Recipient) {
		return rejectf("policy: %s is not an allowed gas top-up destination on chain %d", in.Recipient.Hex(), in.ChainID)
	}
	if in.Amount.Cmp(pol.PerTx) > 0 {
		return rejectf("policy: %s wei exceeds the gas top-up per-transaction limit %s on chain %d", in.Amount, pol.PerTx, in.ChainID)
	}
	// Signed in the last 24 hours, or verified and about to be signed.
	sent, err := intent.GasToppedUp(ctx, s.cfg.Pool, in.ChainID, in.ID)
	if err != nil {
		return err
	}
	if total := new(big.Int).Add(sent, in.Amount); total.Cmp(pol.PerDay) > 0 {
		return rejectf("policy: %s wei on top of %s in the last 24 hours exceeds the gas top-up daily limit %s on chain %d",
			in.Amount, sent, pol.PerDay, in.ChainID)
	}
	bal, err := c.Client.BalanceAt(ctx, tank, nil)
	if err != nil {
		return err
	}
	if bal.Cmp(in.Amount) <= 0 {
		return rejectf("the gas tank %s holds %s wei, not more than the %s asked", tank.Hex(), bal, in.Amount)
	}
	return nil
}

func (s *Signer) feeRecipientAllowed(chainID uint64, r, paymentFee common.Address) bool {
	allowed := s.cfg.Policy.FeeRecipients[chainID]
	if len(allowed) == 0 {
		return r == paymentFee && r != (common.Address{})
	}
	for _, a := range allowed {
		if a == r {
			return true
		}
	}
	return false
}

// checkLimits applies the per-transaction and rolling 24-hour limits of the chain and token.
func (s *Signer) checkLimits(ctx context.Context, in *intent.Intent, amount *big.Int) error {
	lim, ok := s.cfg.Policy.Limits[LimitKey{in.ChainID, in.Token}]
	if !ok {
		return rejectf("no policy limit is configured for token %s on chain %d (deny by default)", in.Token.Hex(), in.ChainID)
	}
	if lim.PerTx != nil && amount.Cmp(lim.PerTx) > 0 {
		return rejectf("policy: %s exceeds the per-transaction limit %s for token %s on chain %d", amount, lim.PerTx, in.Token.Hex(), in.ChainID)
	}
	if lim.PerDay != nil {
		spent, err := intent.PaidOut(ctx, s.cfg.Pool, in.ChainID, in.Token, in.ID)
		if err != nil {
			return err
		}
		if new(big.Int).Add(spent, amount).Cmp(lim.PerDay) > 0 {
			return rejectf("policy: %s on top of %s in the last 24 hours exceeds the daily limit %s for token %s on chain %d",
				amount, spent, lim.PerDay, in.Token.Hex(), in.ChainID)
		}
	}
	return nil
}

// threshold reads the contract's current threshold, once per chain and tick. It only decides
// when an intent is worth verifying; verifyApprovals reads it again for the check itself.
func (s *Signer) threshold(ctx context.Context, c *Chain) (int, error) {
	if t, ok := s.thresholds[c.ID]; ok {
		return t, nil
	}
	t, err := s.readThreshold(ctx, c)
	if err == nil && s.thresholds != nil {
		s.thresholds[c.ID] = t
	}
	return t, err
}

func (s *Signer) readThreshold(ctx context.Context, c *Chain) (int, error) {
	es, err := bindings.NewAmnEscrow(c.Escrow, c.Client)
	if err != nil {
		return 0, err
	}
	t, err := es.Threshold(&bind.CallOpts{Context: ctx})
	if err != nil {
		return 0, fmt.Errorf("reading threshold: %w", err)
	}
	return int(t.Int64()), nil
}

// verifyApprovals checks the custodians' signatures against the contract's current custodian set
// and threshold, over exactly the intent's fields, unexpired and never used for another intent.
func (s *Signer) verifyApprovals(ctx context.Context, c *Chain, in *intent.Intent) ([][]byte, error) {
	head, err := c.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	// A margin, so that the transaction still lands before the deadline.
	if in.Deadline <= int64(head.Time)+60 {
		return nil, rejectf("approvals expired: deadline %s is not after the chain's time %s plus a minute",
			time.Unix(in.Deadline, 0).UTC().Format(time.RFC3339), time.Unix(int64(head.Time), 0).UTC().Format(time.RFC3339))
	}
	quorum, approvals, err := s.quorum(ctx, c, in)
	if err != nil {
		return nil, err
	}
	// Not used before: a signature that already served another intent does not count again.
	sigs := make([][]byte, len(approvals))
	for i, a := range approvals {
		sigs[i] = a.Signature
	}
	other, used, err := intent.ApprovalUsed(ctx, s.cfg.Pool, sigs, in.ID)
	if err != nil {
		return nil, err
	}
	if used {
		return nil, rejectf("an approval was already used for intent %s", other)
	}
	return quorum, nil
}

// quorum is the signatures argument of the intent's release or refund: the intent's approvals
// that recover, over its own EIP-712 digest, to custodians in the contract's current set (only
// hardware-enrolled ones when that is required), as many as the contract's threshold. It also
// returns every approval stored for the intent.
func (s *Signer) quorum(ctx context.Context, c *Chain, in *intent.Intent) ([][]byte, []escrow.Approval, error) {
	es, err := bindings.NewAmnEscrow(c.Escrow, c.Client)
	if err != nil {
		return nil, nil, err
	}
	opts := &bind.CallOpts{Context: ctx}
	custodians, err := es.Custodians(opts)
	if err != nil {
		return nil, nil, fmt.Errorf("reading custodians: %w", err)
	}
	th, err := es.Threshold(opts)
	if err != nil {
		return nil, nil, fmt.Errorf("reading threshold: %w", err)
	}
	if s.cfg.RequireHardware {
		held, err := s.cfg.Enrolment.HardwareHeld(ctx)
		if err != nil {
			return nil, nil, err
		}
		hw := map[common.Address]bool{}
		for _, a := range held {
			hw[a] = true
		}
		var kept []common.Address
		for _, a := range custodians {
			if hw[a] {
				kept = append(kept, a)
			}
		}
		if len(kept) < int(th.Int64()) {
			return nil, nil, rejectf("hardware required: only %d of the %d custodians are enrolled as hardware-held, %d approvals are needed", len(kept), len(custodians), th.Int64())
		}
		custodians = kept
	}
	approvals, err := intent.Approvals(ctx, s.cfg.Pool, in.ID)
	if err != nil {
		return nil, nil, err
	}
	digest, err := in.Digest()
	if err != nil {
		return nil, nil, rejectf("intent fields do not make an EIP-712 message: %v", err)
	}
	quorum, err := escrow.Quorum(digest, approvals, custodians, int(th.Int64()))
	if err != nil {
		var q *escrow.QuorumError
		if errors.As(err, &q) {
			msg := q.Error()
			if s.cfg.RequireHardware {
				msg += " (only hardware-enrolled custodians count)"
			}
			return nil, nil, rejectf("%s", strings.TrimPrefix(msg, "escrow: "))
		}
		return nil, nil, rejectf("approvals: %v", err)
	}
	return quorum, approvals, nil
}
