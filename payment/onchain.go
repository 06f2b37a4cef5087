package payment

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/ledger"
)

// EscrowRef is the payment reference a deposit gives AmnEscrow's fund/fundNative when it is swept:
// the payment's 16-byte ledger id, left-padded with zeros.
func EscrowRef(id ledger.ID) common.Hash {
	var h common.Hash
	copy(h[16:], id[:])
	return h
}

// EscrowID is the id of a payment's escrow in AmnEscrow: the contract's escrowId(funder, ref) =
// keccak256(abi.encode(funder, ref)) with the deposit address as the funder (the signer sweeps
// from it) and EscrowRef(id). Only the deposit's key can open it, so a front-runner who copies the
// reference opens an escrow of their own. Release and Refund approvals name it (in their
// paymentId field), and the contract's events carry it.
func EscrowID(deposit common.Address, id ledger.ID) common.Hash {
	ref := EscrowRef(id)
	return crypto.Keccak256Hash(common.LeftPadBytes(deposit[:], 32), ref[:])
}

// EscrowID is the id of the payment's escrow in AmnEscrow.
func (p *Payment) EscrowID() common.Hash { return EscrowID(p.Deposit, p.ID) }

// EscrowPayments maps AmnEscrow escrow ids to the payments they belong to, for the contract's
// events. Ids of escrows that are not our payments' (anyone can fund the contract) are absent.
// Payments made before escrow ids were stored (migration 00012) have none in the table: their ids
// are computed here, from their deposit addresses.
func (s *Service) EscrowPayments(ctx context.Context, ids []common.Hash) (map[common.Hash]ledger.ID, error) {
	out := make(map[common.Hash]ledger.ID, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	hexes := make([]string, len(ids))
	for i, h := range ids {
		hexes[i] = hexHash(h)
	}
	rows, err := s.pool.Query(ctx, `SELECT escrow_id, id FROM payments WHERE escrow_id = ANY($1::text[])`, hexes)
	if err != nil {
		return nil, fmt.Errorf("payment: escrow ids: %w", err)
	}
	stored := func(escrowID string, _ ledger.ID) common.Hash { return common.HexToHash(escrowID) }
	if err := collectEscrowIDs(rows, out, stored); err != nil {
		return nil, fmt.Errorf("payment: escrow ids: %w", err)
	}
	if len(out) == len(ids) {
		return out, nil
	}
	// The partial index payments_without_escrow_id keeps this to the payments made before 00012.
	rows, err = s.pool.Query(ctx, `SELECT deposit_address, id FROM payments WHERE escrow_id IS NULL`)
	if err != nil {
		return nil, fmt.Errorf("payment: escrow ids of older payments: %w", err)
	}
	want := make(map[common.Hash]bool, len(ids))
	for _, h := range ids {
		want[h] = true
	}
	older := map[common.Hash]ledger.ID{}
	computed := func(deposit string, id ledger.ID) common.Hash { return EscrowID(common.HexToAddress(deposit), id) }
	if err := collectEscrowIDs(rows, older, computed); err != nil {
		return nil, fmt.Errorf("payment: escrow ids of older payments: %w", err)
	}
	for h, id := range older {
		if want[h] {
			out[h] = id
		}
	}
	return out, nil
}

// collectEscrowIDs reads (key, payment id) rows into out, by the escrow id escrowID makes of each.
func collectEscrowIDs(rows pgx.Rows, out map[common.Hash]ledger.ID, escrowID func(key string, id ledger.ID) common.Hash) error {
	defer rows.Close()
	for rows.Next() {
		var (
			key string
			id  ledger.ID
		)
		if err := rows.Scan(&key, &id); err != nil {
			return err
		}
		out[escrowID(key, id)] = id
	}
	return rows.Err()
}

func hexHash(h common.Hash) string { return h.Hex() }

// EscrowFunded is an AmnEscrow Funded event as the chain emitted it: what the indexer hands Swept.
type EscrowFunded struct {
	EscrowID common.Hash
	Ref      common.Hash    // the reference the funder gave
	Funder   common.Address // who called fund/fundNative
	// Token is in the payment's terms: chain.NativeToken for the chain's own currency (the
	// contract records address(0)).
	Token  common.Address
	Amount *big.Int // what arrived in the escrow
	Buyer  common.Address
	Seller common.Address
}

// matches says why f is not the sweep of p ("" when it is): its funder must be p's deposit
// address, its escrow the payment's, and its token, amount (everything the payment received),
// buyer and seller p's.
func (f EscrowFunded) matches(p *Payment) string {
	switch {
	case f.Funder != p.Deposit:
		return fmt.Sprintf("funded by %s, not by the payment's deposit %s", f.Funder.Hex(), p.Deposit.Hex())
	case f.EscrowID != p.EscrowID() || f.Ref != EscrowRef(p.ID):
		return fmt.Sprintf("escrow %s (reference %s) is not the payment's escrow %s", f.EscrowID.Hex(), f.Ref.Hex(), p.EscrowID().Hex())
	case f.Token != p.Token:
		return fmt.Sprintf("escrow holds token %s; the payment is in %s", f.Token.Hex(), p.Token.Hex())
	case f.Amount == nil || f.Amount.Cmp(p.Received) != 0:
		return fmt.Sprintf("escrow holds %v; the payment received %s", f.Amount, p.Received)
	case f.Buyer != p.BuyerAddress:
		return fmt.Sprintf("escrow names buyer %s; the payment's buyer is %s", f.Buyer.Hex(), p.BuyerAddress.Hex())
	case f.Seller != p.SellerAddress:
		return fmt.Sprintf("escrow names seller %s; the payment's seller is %s", f.Seller.Hex(), p.SellerAddress.Hex())
	}
	return ""
}
