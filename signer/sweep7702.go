package signer

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/holiman/uint256"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/intent"
)

// Batched sweeps with EIP-7702 (docs/signer.md, "Sweeps batched with EIP-7702"): each deposit
// key signs an authorization delegating its address to the chain's AmnSweeper, and the gas tank
// sends ONE set-code transaction (type 4) carrying those authorizations that calls
// AmnSweeper.sweepBatch, which has every deposit move the amount its payment was credited into
// AmnEscrow for the payment named. No top-up, no transaction per deposit, no native dust.
//
// Only this package signs: the deposit keys come from depositKey (which checks each derives its
// payment's deposit address) and the tank is the operator key.

// sweepBatchEntry is one deposit of a batched sweep: the payment's deposit key, and what its sweep
// names (the escrow token: address(0) for the native currency; the amount; the escrow reference;
// the parties).
type sweepBatchEntry struct {
	Key   *ecdsa.PrivateKey
	Token common.Address // as the payment names it (chain.NativeToken for the native currency)
	// Amount is what the books credited to the payment, never the deposit's balance on chain:
	// anyone can send a deposit dust just before the batch, and the escrow must record exactly
	// what the books say (docs/signer.md). The sweeper moves exactly this much.
	Amount *big.Int
	Ref    [32]byte // payment.EscrowRef(payment id)
	Buyer  common.Address
	Seller common.Address
}

// sweepBatch is a batched sweep ready to sign: the call and the authorizations it needs.
type sweepBatch struct {
	Sweeper common.Address
	Sweeps  []bindings.AmnSweeperSweep
	Auths   []types.SetCodeAuthorization // one per deposit not yet delegated to Sweeper
	Data    []byte                       // sweepBatch(Sweeps) calldata
}

// sweepAuthorization is the deposit key's EIP-7702 authorization delegating its address to
// sweeper on chainID, valid at the account nonce `nonce` only. Chain id 0 (valid on every chain)
// is never signed.
func sweepAuthorization(key *ecdsa.PrivateKey, chainID uint64, sweeper common.Address, nonce uint64) (types.SetCodeAuthorization, error) {
	if chainID == 0 {
		return types.SetCodeAuthorization{}, rejectf("an EIP-7702 authorization for chain id 0 would be valid on every chain: not signed")
	}
	if sweeper == (common.Address{}) {
		return types.SetCodeAuthorization{}, rejectf("no sweeper contract configured")
	}
	return types.SignSetCode(key, types.SetCodeAuthorization{ChainID: *uint256.NewInt(chainID), Address: sweeper, Nonce: nonce})
}

// buildSweepBatch reads each deposit's code and nonce (its latest mined state: a deposit with a
// transaction of the old path still pending would move its nonce and void the authorization, so
// the two paths must never run on one deposit at once) and signs, with each deposit's key, an
// authorization for those not yet delegated to sweeper. A deposit with any
// other code (a delegation elsewhere, a contract) is refused: it was not made by this signer.
func buildSweepBatch(ctx context.Context, client ethereum.ChainStateReader, chainID uint64, sweeper common.Address, entries []sweepBatchEntry) (*sweepBatch, error) {
	if len(entries) == 0 {
		return nil, rejectf("an empty sweep batch")
	}
	b := &sweepBatch{Sweeper: sweeper}
	want := types.AddressToDelegation(sweeper)
	seen := make(map[common.Address]bool, len(entries))
	for _, e := range entries {
		deposit := crypto.PubkeyToAddress(e.Key.PublicKey)
		if e.Amount == nil || e.Amount.Sign() <= 0 {
			return nil, rejectf("deposit %s: a sweep needs a positive amount", deposit.Hex())
		}
		if seen[deposit] {
			return nil, rejectf("deposit %s twice in one sweep batch", deposit.Hex())
		}
		seen[deposit] = true
		code, err := client.CodeAt(ctx, deposit, nil)
		if err != nil {
			return nil, fmt.Errorf("code of deposit %s: %w", deposit.Hex(), err)
		}
		switch {
		case len(code) == 0:
			nonce, err := client.NonceAt(ctx, deposit, nil)
			if err != nil {
				return nil, fmt.Errorf("nonce of deposit %s: %w", deposit.Hex(), err)
			}
			auth, err := sweepAuthorization(e.Key, chainID, sweeper, nonce)
			if err != nil {
				return nil, err
			}
			b.Auths = append(b.Auths, auth)
		case bytes.Equal(code, want):
			// Delegated by an earlier batch: no authorization needed (25,000 gas saved).
		default:
			return nil, rejectf("deposit %s has code %x, not this signer's delegation to %s", deposit.Hex(), code, sweeper.Hex())
		}
		b.Sweeps = append(b.Sweeps, bindings.AmnSweeperSweep{
			Deposit: deposit, Token: intent.EscrowToken(e.Token), Amount: e.Amount, Ref: e.Ref, Buyer: e.Buyer, Seller: e.Seller,
		})
	}
	abi, err := bindings.AmnSweeperMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	if b.Data, err = abi.Pack("sweepBatch", b.Sweeps); err != nil {
		return nil, rejectf("sweepBatch call: %v", err)
	}
	return b, nil
}

// sweepBatchGas is a gas limit for b: EIP-7702's 25,000 per authorization and the intrinsic
// 21,000 plus calldata, and sweepGasPerDeposit of execution per deposit (measured: about 65,000
// for an ERC-20 deposit, docs/signer.md).
func sweepBatchGas(b *sweepBatch) uint64 {
	g := uint64(21_000) + 25_000*uint64(len(b.Auths)) + sweepGasPerDeposit*uint64(len(b.Sweeps))
	for _, c := range b.Data {
		if c == 0 {
			g += 4
		} else {
			g += 16
		}
	}
	return g
}

// sweepGasPerDeposit is the execution gas a batch allows each deposit: the measured ~65,000
// (ERC-20, including its share of the batch loop) with room for a token's first funding in the
// escrow (its registry entry) and a native sweep.
const sweepGasPerDeposit = 130_000
