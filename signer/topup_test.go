package signer

import (
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/intent"
)

// A gas_topup intent: the gas tank sends native currency to a destination the policy lists,
// within its limits, through the nonce manager, at finality, with an audit trail; the worker
// books it. Everything else is rejected with its reason and sends nothing.
func TestGasTopup(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	allowed := common.HexToAddress("0x00000000000000000000000000000000000a110e")
	stranger := common.HexToAddress("0x000000000000000000000000000000000000bad0")
	perTx, perDay := big.NewInt(1e17), big.NewInt(15e16)
	w := newWorld(t, func(c *Config) {
		c.Policy.GasTopups = map[uint64]GasTopupPolicy{c.Chains[0].ID: {Destinations: []common.Address{allowed}, PerTx: perTx, PerDay: perDay}}
	})
	op := w.keys.OperatorAddress()
	ask := func(to common.Address, wei *big.Int) *intent.Intent {
		t.Helper()
		in, _, err := w.intents.RequestGasTopup(w.ctx, intent.GasTopupRequest{ChainID: w.f.ChainID, Contract: w.f.Addresses.Escrow,
			Recipient: to, Amount: wei, Actor: "admin:test"})
		if err != nil {
			t.Fatal(err)
		}
		return in
	}

	nonce, tankBefore := w.nonce(op), w.native(op)
	in := ask(allowed, perTx)
	// Asking again while it is open: the same intent; another amount is refused.
	if again := ask(allowed, perTx); again.ID != in.ID {
		t.Fatalf("a second request made intent %s beside %s", again.ID, in.ID)
	}
	if _, _, err := w.intents.RequestGasTopup(w.ctx, intent.GasTopupRequest{ChainID: w.f.ChainID, Contract: w.f.Addresses.Escrow,
		Recipient: allowed, Amount: big.NewInt(1)}); !errors.Is(err, intent.ErrNotAllowed) {
		t.Fatalf("another amount while one is open: %v", err)
	}
	done := w.until(in.ID, intent.Done)
	if got := w.native(allowed); got.Cmp(perTx) != 0 {
		t.Fatalf("destination holds %s wei, want %s", got, perTx)
	}
	if got := w.nonce(op); got != nonce+1 {
		t.Fatalf("the tank made %d transactions for one top-up", got-nonce)
	}
	txs, err := w.intents.Txs(w.ctx, in.ID)
	if err != nil || len(txs) != 1 || txs[0].Step != StepGasTopup || txs[0].State != "confirmed" || txs[0].Nonce != nonce {
		t.Fatalf("transactions %+v %v", txs, err)
	}
	if ev := w.auditEvents(in.ID); !slices.Equal(ev, []string{AuditAccepted, AuditSigned, AuditBroadcast, AuditConfirmed, AuditConfirmed, AuditDone}) {
		t.Fatalf("audit: %v", ev)
	}
	// Booked by the follow pass: the destination's gas account holds the top-up, the tank's
	// account was debited what the tank spent.
	if got := w.posted(chart.GasHeld(nativeLedger, allowed)); got.Cmp(perTx) != 0 {
		t.Fatalf("destination's gas account %s", got)
	}
	spent := new(big.Int).Sub(tankBefore, w.native(op))
	if got := new(big.Int).Neg(w.posted(chart.GasTank(nativeLedger, op))); got.Cmp(spent) != 0 {
		t.Fatalf("tank account debited %s, the tank spent %s", got, spent)
	}
	t.Logf("gas top-up: %d gas, %s wei", done.GasUsed, done.GasCost)

	// Rejections: nothing signed, nothing sent.
	nonce = w.nonce(op)
	rejected := func(in *intent.Intent, want string) {
		t.Helper()
		got := w.until(in.ID, intent.Rejected)
		if !strings.Contains(got.Reason, want) {
			t.Fatalf("rejected for %q, want %q", got.Reason, want)
		}
		if txs, _ := w.intents.Txs(w.ctx, in.ID); len(txs) != 0 {
			t.Fatalf("a rejected top-up has transactions: %+v", txs)
		}
	}
	rejected(ask(stranger, big.NewInt(1e15)), "not an allowed gas top-up destination")
	rejected(ask(allowed, new(big.Int).Add(perTx, big.NewInt(1))), "per-transaction limit")
	rejected(ask(allowed, big.NewInt(6e16)), "daily limit") // 0.1 sent today + 0.06 > 0.15
	// A gas_topup of a token, written directly as a compromised API could (the store never makes
	// one): only the chain's own currency. One naming a payment the schema refuses outright.
	id := uuid.New()
	if _, err := w.admin.Exec(w.ctx, `INSERT INTO signer_intents (id, kind, chain_id, contract, token, recipient, amount, state)
		VALUES ($1, 'gas_topup', $2, $3, $4, $5, 1000, 'pending')`, id, w.f.ChainID, hexAddr(w.f.Addresses.Escrow),
		hexAddr(w.f.Addresses.USDT), hexAddr(allowed)); err != nil {
		t.Fatal(err)
	}
	tokenTopup, err := w.intents.Get(w.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	rejected(tokenTopup, "chain's own currency")
	p := w.paid(1_000_000)
	if _, err := w.admin.Exec(w.ctx, `INSERT INTO signer_intents (id, kind, payment_id, chain_id, contract, token, recipient, amount, state)
		VALUES ($1, 'gas_topup', $2, $3, $4, $5, $6, 1000, 'pending')`, uuid.New(), p.ID, w.f.ChainID, hexAddr(w.f.Addresses.Escrow),
		hexAddr(chain.NativeToken), hexAddr(stranger)); err == nil || !strings.Contains(err.Error(), "signer_intents_gas_topup") {
		t.Fatalf("a gas_topup naming a payment was stored: %v", err)
	}
	// Deny by default: a policy without gas_topups for the chain allows none.
	w.cfg.Policy.GasTopups = nil
	w.restart()
	rejected(ask(allowed, big.NewInt(1e15)), "deny by default")
	if got := w.nonce(op); got != nonce {
		t.Fatalf("the tank sent %d transactions for rejected top-ups", got-nonce)
	}
	if got := w.native(allowed); got.Cmp(perTx) != 0 {
		t.Fatalf("destination holds %s wei after the rejections", got)
	}
}
