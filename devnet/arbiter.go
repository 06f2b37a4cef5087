package devnet

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"

	"github.com/amanat/amn/escrow"
)

// SetArbiter makes a the escrow's arbiter, as production does it: the fixture's custodians approve
// setArbiter (EIP-712, a threshold of them) and the deployer submits it. The signer's operator key
// is the arbiter on a devnet that runs the signer (it freezes the escrows of disputed payments);
// f.Arbiter is a afterwards.
func (f *Fixture) SetArbiter(ctx context.Context, a Account) error {
	call := &bind.CallOpts{Context: ctx}
	nonce, err := f.Escrow.ConfigNonce(call)
	if err != nil {
		return fmt.Errorf("devnet: reading configNonce: %w", err)
	}
	head, err := f.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return err
	}
	deadline := new(big.Int).SetUint64(head.Time + 3600)
	digest, err := escrow.Domain{ChainID: f.ChainID, Contract: f.Addresses.Escrow}.Digest(
		escrow.SetArbiter{Arbiter: a.Address, Nonce: nonce, Deadline: deadline})
	if err != nil {
		return err
	}
	var sigs [][]byte
	for _, c := range f.Custodians[:f.Threshold] { // ascending, as the contract requires
		ap, err := escrow.Sign(digest, c.Key)
		if err != nil {
			return err
		}
		sigs = append(sigs, ap.Signature)
	}
	if _, err := f.Wait(ctx)(f.Escrow.SetArbiter(f.Opts(ctx, f.Deployer), a.Address, nonce, deadline, sigs)); err != nil {
		return fmt.Errorf("devnet: setArbiter(%s): %w", a.Address.Hex(), err)
	}
	f.Arbiter = a
	return nil
}
