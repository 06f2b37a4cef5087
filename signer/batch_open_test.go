package signer

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/db/dbtest"
)

// A deposit named by a batch that is not final yet and that an open member still drives waits
// out of the next batch (review of 2026-12-06: a sweep asked again for a member rejected while its
// batch was out went into a second batch, paying for an entry the first one makes fail). A batch
// no open member drives does not hold its deposits (nobody would ever make it final), nor does a
// final one.
func TestDepositsInOpenBatches(t *testing.T) {
	ctx := context.Background()
	pool, _ := dbtest.Isolated(t)
	const chainID = 97
	tank := common.HexToAddress("0x00000000000000000000000000000000000007a7")
	sweeper := common.HexToAddress("0x0000000000000000000000000000000000005eef")
	deposit := common.HexToAddress("0x000000000000000000000000000000000000d001")
	other := common.HexToAddress("0x000000000000000000000000000000000000d002")
	swABI, err := bindings.AmnSweeperMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	data, err := swABI.Pack("sweepBatch", []bindings.AmnSweeperSweep{
		{Deposit: deposit, Token: common.HexToAddress("0x55d3"), Amount: big.NewInt(5), Ref: [32]byte{1}, Buyer: common.HexToAddress("0xb1"), Seller: common.HexToAddress("0x5e")},
	})
	if err != nil {
		t.Fatal(err)
	}
	member := uuid.New()
	if _, err := pool.Exec(ctx, `INSERT INTO signer_intents (id, kind, chain_id, contract, token, amount, state, recipient)
		VALUES ($1, 'gas_topup', $2, $3, '0x0000000000000000000000000000000000000000', 1, 'broadcast', $3)`, member, chainID, hexAddr(sweeper)); err != nil {
		t.Fatal(err)
	}
	attempt := func(n int, state string) {
		t.Helper()
		hash := crypto.Keccak256Hash([]byte{byte(n)}, member[:])
		if _, err := pool.Exec(ctx, `INSERT INTO signer_txs (intent_id, step, chain_id, sender, nonce, attempt, to_address, value, data,
			gas, tip_cap, fee_cap, hash, raw, state) VALUES ($1, 'sweep_batch', $2, $3, 4, $4, $5, 0, $6, 500000, 1, 10, $7, '\x04', $8)`,
			member, chainID, hexAddr(tank), n, hexAddr(sweeper), data, hash.Hex(), state); err != nil {
			t.Fatal(err)
		}
	}
	attempt(1, "broadcast")
	if _, err := pool.Exec(ctx, `INSERT INTO signer_batch_members (chain_id, sender, nonce, intent_id) VALUES ($1, $2, 4, $3)`,
		chainID, hexAddr(tank), member); err != nil {
		t.Fatal(err)
	}
	s := &Signer{cfg: Config{Pool: pool}}
	c := &Chain{ID: chainID}
	check := func(open map[uuid.UUID]bool, want bool) {
		t.Helper()
		s.tickOpen = open
		got, err := s.depositsInOpenBatches(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if got[deposit] != want || got[other] {
			t.Fatalf("open members %v: deposits held %v; want the batch's deposit held = %v", open, got, want)
		}
	}
	check(map[uuid.UUID]bool{member: true}, true)
	check(map[uuid.UUID]bool{uuid.New(): true}, false) // its members all closed: driven by nobody
	attempt(2, "confirmed")                            // final: its deposits are free again
	check(map[uuid.UUID]bool{member: true}, false)
}
