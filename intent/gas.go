package intent

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/ledger"
)

// Gas in the books. The signer's transactions are paid in the chain's own currency: the gas tank
// (the operator key) pays for its own transactions and sends native currency to deposit
// addresses, which pay for their approve and fund with it; what a deposit does not burn stays
// there (dust). The signer cannot write the ledger, so the worker books all of it in the chain's
// native-currency ledger (chain.Chain.NativeLedger, "bsc:BNB") once an intent is finished, from
// the receipts the signer recorded in signer_txs:
//
//	gas tank        → network fees   gas of each transaction the tank sent (top-ups, releases, refunds)
//	gas tank        → address's gas  each top-up's value
//	address's gas   → network fees   gas of each transaction a deposit sent (approve, fund)
//	outside         → address's gas  gas a deposit paid beyond what the books gave it (money the
//	                                 books never held, e.g. a wrong-token deposit): rare
//	gas tank        → network fees   a member's share of a sweep batch's gas (BatchGasShare): the
//	                                 batch's gas is booked once in all, no deposit gas, no top-up
//
// so that a deposit's gas account holds exactly the dust left on chain, and the tank's account has
// been debited exactly what the tank spent. Transfer ids are derived from the intent and the
// transaction hash: booking an intent twice writes nothing.

// WithNativeLedgers returns a store that books gas in the ledger f names for a chain id (the
// chain registry's NativeLedger). Without it the built-in mainnets' names are used.
func (s *Store) WithNativeLedgers(f func(chainID uint64) (string, bool)) *Store {
	c := *s
	c.nativeLedger = f
	return &c
}

func (s *Store) ledgerForGas(chainID uint64) (string, error) {
	if s.nativeLedger != nil {
		if name, ok := s.nativeLedger(chainID); ok {
			return name, nil
		}
	} else if c, err := chain.Lookup(strconv.FormatUint(chainID, 10)); err == nil {
		return c.NativeLedger(), nil
	}
	return "", fmt.Errorf("no native-currency ledger known for chain %d (chain config)", chainID)
}

// MinedTx is one mined transaction attempt of an intent, as gas booking needs it.
type MinedTx struct {
	Step   string
	Sender common.Address
	To     common.Address
	Value  *big.Int
	Hash   common.Hash
	OK     bool     // succeeded (a reverted one burnt its gas and moved no value)
	Cost   *big.Int // gas used × effective gas price
}

// BookGas books the gas of every finished (done or rejected) intent not booked yet, at most
// limit of them (0: 200), and returns how many it booked. Safe to run concurrently and again.
func (s *Store) BookGas(ctx context.Context, limit int) (int, error) {
	if s.signerTxs == nil {
		return 0, ErrNoSignerTxs
	}
	if limit <= 0 {
		limit = 200
	}
	rows, err := s.pool.Query(ctx, `SELECT id, payment_id FROM signer_intents WHERE gas_booked_at IS NULL AND state IN ('done', 'rejected')
		ORDER BY updated_at LIMIT $1`, limit)
	if err != nil {
		return 0, err
	}
	todo, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (unbooked, error) {
		var u unbooked
		err := r.Scan(&u.id, &u.pid)
		return u, err
	})
	if err != nil {
		return 0, err
	}
	deposits, err := s.depositsOf(ctx, todo)
	if err != nil {
		return 0, err
	}
	n := 0
	var first error
	for _, u := range todo {
		booked, err := s.bookGas(ctx, u.id, deposits)
		if err != nil {
			// One intent that cannot be booked (a chain without a native ledger) does not hold
			// back the others.
			if first == nil {
				first = fmt.Errorf("intent %s: booking gas: %w", u.id, err)
			}
			continue
		}
		if booked {
			n++
		}
	}
	return n, first
}

// unbooked is a finished intent whose gas is not booked yet, and its payment (none for a gas
// top-up).
type unbooked struct {
	id  uuid.UUID
	pid *ledger.ID
}

// depositsOf reads the deposit addresses of the intents' payments through package payment, in one
// query. A payment's deposit never changes: it is read before each intent's transaction.
func (s *Store) depositsOf(ctx context.Context, todo []unbooked) (map[ledger.ID]common.Address, error) {
	var pids []ledger.ID
	for _, u := range todo {
		if u.pid != nil {
			pids = append(pids, *u.pid)
		}
	}
	out := make(map[ledger.ID]common.Address, len(pids))
	if len(pids) == 0 {
		return out, nil
	}
	ps, err := s.payments.GetMany(ctx, pids)
	if err != nil {
		return nil, err
	}
	for id, p := range ps {
		out[id] = p.Deposit
	}
	return out, nil
}

// bookGas books one intent's gas and marks it booked, in one transaction; deposits holds the
// deposit address of its payment, if it has one.
func (s *Store) bookGas(ctx context.Context, id uuid.UUID, deposits map[ledger.ID]common.Address) (bool, error) {
	booked := false
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		booked = false
		var (
			chainID uint64
			pid     *ledger.ID
		)
		// Lock the intent: a concurrent pass waits here and then finds it booked.
		err := tx.QueryRow(ctx, `SELECT chain_id, payment_id FROM signer_intents
			WHERE id = $1 AND gas_booked_at IS NULL AND state IN ('done', 'rejected') FOR UPDATE`, id).Scan(&chainID, &pid)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		txs, err := s.signerTxs.Mined(ctx, tx, id)
		if err != nil {
			return err
		}
		// A sweep batch's gas is booked once, split over its members: each member books its share
		// (BatchGasShare) under its own transfer id when it is finished.
		batch, err := s.signerTxs.Batch(ctx, tx, id)
		if err != nil {
			return err
		}
		if batch != nil && batch.Pending {
			return nil // not booked yet: a later pass books its share once the batch is mined
		}
		if batch != nil {
			txs = append(txs, MinedTx{Step: BatchStep, Sender: batch.Sender, Hash: batch.Hash, OK: batch.OK, Value: new(big.Int),
				Cost: BatchGasShare(batch.Cost, batch.Members, batch.Carrier, id)})
		}
		if len(txs) > 0 {
			name, err := s.ledgerForGas(chainID)
			if err != nil {
				return err
			}
			var dep common.Address
			ref := ""
			if pid != nil {
				dep, ref = deposits[*pid], pid.String()
			}
			books := ledger.New(s.pool).WithTx(tx)
			plan := planGas(name, id, dep, txs)
			if _, err := books.CreateAccounts(ctx, plan.accounts...); err != nil {
				return err
			}
			// Gas a deposit burnt beyond this intent's top-ups came from what its account already
			// held (an earlier top-up), else from outside the books.
			for _, h := range plan.held {
				acct, err := books.Account(ctx, chart.GasHeld(name, h.addr))
				if err != nil {
					return err
				}
				have := new(big.Int).Add(acct.Balance().Available, h.in)
				if short := new(big.Int).Sub(h.burnt, have); short.Sign() > 0 {
					plan.transfers = append([]ledger.Transfer{{ID: ledger.DeriveID("gas\x00" + id.String() + "\x00outside\x00" + hexAddr(h.addr)),
						DebitAccountID: chart.GasOutside(name), CreditAccountID: chart.GasHeld(name, h.addr), Amount: short,
						Code: chart.CodeGasOutside}}, plan.transfers...)
				}
			}
			for i := range plan.transfers {
				plan.transfers[i].PaymentRef = ref
			}
			// Top-ups first, so that a deposit's gas account holds what its transactions burn.
			if _, err := books.Transfer(ctx, plan.transfers...); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE signer_intents SET gas_booked_at = now() WHERE id = $1`, id); err != nil {
			return err
		}
		booked = true
		return nil
	})
	return booked, err
}

// heldUse is what one address's gas account receives and burns in an intent.
type heldUse struct {
	addr      common.Address
	in, burnt *big.Int
}

type gasPlan struct {
	accounts  []ledger.Account
	transfers []ledger.Transfer // top-ups, then gas burnt
	held      []heldUse         // addresses that burnt gas from their gas account
}

// planGas turns an intent's mined transactions into accounts and transfers. Transactions sent by
// deposit (the intent's payment's deposit address) burn its gas account; any other sender is a gas
// tank. A top-up is a successful gas_topup step: its value goes to the destination's gas account.
func planGas(name string, intentID uuid.UUID, deposit common.Address, txs []MinedTx) gasPlan {
	var p gasPlan
	seen := map[ledger.ID]bool{}
	open := func(a ledger.Account) {
		if !seen[a.ID] {
			seen[a.ID] = true
			a.Ledger = name
			p.accounts = append(p.accounts, a)
		}
	}
	fees := chart.NetworkFees(name)
	open(ledger.Account{ID: fees, Code: ledger.CodeNetworkFees, Owner: "network", Flags: ledger.DebitsMustNotExceedCredits})
	open(ledger.Account{ID: chart.GasOutside(name), Code: ledger.CodeWorld, Owner: "gas"})
	held := map[common.Address]*heldUse{}
	use := func(a common.Address) *heldUse {
		if held[a] == nil {
			held[a] = &heldUse{addr: a, in: new(big.Int), burnt: new(big.Int)}
			open(ledger.Account{ID: chart.GasHeld(name, a), Code: ledger.CodeGasHeld, Owner: hexAddr(a),
				Flags: ledger.DebitsMustNotExceedCredits})
		}
		return held[a]
	}
	tid := func(what string, h common.Hash) ledger.ID {
		return ledger.DeriveID("gas\x00" + intentID.String() + "\x00" + what + "\x00" + strings.ToLower(h.Hex()))
	}
	var topups, burnt []ledger.Transfer
	for _, t := range txs {
		from := chart.GasTank(name, t.Sender)
		if t.Sender == deposit && deposit != (common.Address{}) {
			u := use(t.Sender)
			u.burnt.Add(u.burnt, t.Cost)
			from = chart.GasHeld(name, t.Sender)
		} else {
			open(ledger.Account{ID: from, Code: ledger.CodeGas, Owner: hexAddr(t.Sender)})
		}
		if t.OK && t.Step == string(GasTopup) && t.Value != nil && t.Value.Sign() > 0 {
			u := use(t.To)
			u.in.Add(u.in, t.Value)
			topups = append(topups, ledger.Transfer{ID: tid("topup", t.Hash), DebitAccountID: from,
				CreditAccountID: chart.GasHeld(name, t.To), Amount: new(big.Int).Set(t.Value), Code: chart.CodeGasTopup,
				ObservationRef: strings.ToLower(t.Hash.Hex())})
		}
		if t.Cost.Sign() > 0 {
			burnt = append(burnt, ledger.Transfer{ID: tid("gas", t.Hash), DebitAccountID: from, CreditAccountID: fees,
				Amount: new(big.Int).Set(t.Cost), Code: chart.CodeGasBurnt, ObservationRef: strings.ToLower(t.Hash.Hex())})
		}
	}
	p.transfers = append(topups, burnt...)
	for _, t := range txs {
		if u := held[t.Sender]; u != nil && u.burnt.Sign() > 0 && !containsHeld(p.held, u.addr) {
			p.held = append(p.held, *u)
		}
	}
	return p
}

func containsHeld(hs []heldUse, a common.Address) bool {
	for _, h := range hs {
		if h.addr == a {
			return true
		}
	}
	return false
}

// BatchStep is the step of a sweep batch's transaction (signer.StepSweepBatch).
const BatchStep = "sweep_batch"

// MinedBatch is the mined transaction of the sweep batch an intent was a member of (EIP-7702:
// the gas tank's one transaction for many sweeps), as gas booking needs it.
type MinedBatch struct {
	Sender  common.Address // the gas tank
	Hash    common.Hash
	OK      bool     // succeeded (a reverted batch burnt its gas and swept nothing)
	Cost    *big.Int // the whole batch's: gas used × effective gas price
	Carrier uuid.UUID
	Members []uuid.UUID // the carrier too
	// Pending: the intent is a member of a batch whose transaction is not mined yet (a member
	// rejected while its batch was out). Nothing else is set; its share is booked once the batch
	// is mined, so that the members' shares always add up to the batch's cost.
	Pending bool
}

// BatchGasShare is member's share of a batch's total (its gas, or its cost in wei), the one rule
// the signer's per-intent totals and the books follow: each of the n members gets total / n, and
// the carrier (the member the batch's transaction rows are stored under) also the remainder.
// The shares add up to total exactly. A member not in members gets nothing.
func BatchGasShare(total *big.Int, members []uuid.UUID, carrier, member uuid.UUID) *big.Int {
	n := int64(len(members))
	if n == 0 || !slices.Contains(members, member) {
		return new(big.Int)
	}
	share, rem := new(big.Int).QuoRem(total, big.NewInt(n), new(big.Int))
	if member == carrier {
		share.Add(share, rem)
	}
	return share
}
