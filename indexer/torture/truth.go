package torture

import (
	"context"
	"fmt"
	"math/big"
	"sort"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// The statements the torture test runs on other packages' tables. Only resetting the indexer's
// rows of the chains it is about to start new (as the indexer's own tests do) writes; the others
// read what the comparison needs.
const (
	sqlResetObservations = `DELETE FROM indexer_observations WHERE chain_id = ANY($1)`
	sqlResetBlocks       = `DELETE FROM indexer_blocks WHERE chain_id = ANY($1)`
	sqlResetCheckpoints  = `DELETE FROM indexer_checkpoints WHERE chain_id = ANY($1)`
	sqlResetRescans      = `DELETE FROM indexer_rescans WHERE chain_id = ANY($1)`
	sqlOpenObservations  = `SELECT count(*) FROM indexer_observations WHERE chain_id = $1 AND state IN ('pending', 'quarantined')`
	sqlObservations      = `SELECT chain_id, block_hash, tx_hash, log_index, block_number, kind, coalesce(payment_id::text, ''), state::text,
		amount::text, note FROM indexer_observations WHERE chain_id = ANY($1) AND state <> 'orphaned'`
	// The exceptions: as the indexer's observations say (not orphaned), and as kept for an
	// operator (deposit_exceptions, by the round's payments).
	sqlExceptionObservations = `SELECT chain_id, tx_hash, log_index, coalesce(payment_id::text, ''), amount::text
		FROM indexer_observations WHERE chain_id = ANY($1) AND state = 'exception'`
	sqlExceptions = `SELECT chain_id, tx_hash, log_index, payment_id::text, amount::text FROM deposit_exceptions
		WHERE payment_id = ANY($1::uuid[])`
	// A payment's open pending transfers, and whether the indexer has an observation row for each.
	sqlOpenTransfers = `SELECT t.id::text, t.amount::text, coalesce(t.observation_ref, ''),
		coalesce((SELECT o.state::text FROM indexer_observations o WHERE o.transfer_id = t.id LIMIT 1), 'no observation row')
		FROM ledger_transfers t JOIN ledger_pending s ON s.transfer_id = t.id WHERE t.payment_ref = $1 AND s.state = 'open' ORDER BY t.id`
)

func resetChains(ctx context.Context, pool *pgxpool.Pool, ids []uint64) error {
	for _, q := range []string{sqlResetObservations, sqlResetBlocks, sqlResetCheckpoints, sqlResetRescans} {
		if _, err := pool.Exec(ctx, q, ids); err != nil {
			return fmt.Errorf("torture: resetting the indexer's rows: %w", err)
		}
	}
	return nil
}

func openObservations(ctx context.Context, pool *pgxpool.Pool, id uint64) (int, error) {
	var n int
	err := pool.QueryRow(ctx, sqlOpenObservations, id).Scan(&n)
	return n, err
}

// The events the ground truth decodes, by their signatures (not the indexer's tables).
var (
	transferTopic = crypto.Keccak256Hash([]byte("Transfer(address,address,uint256)"))
	proxyTopic    = crypto.Keccak256Hash([]byte("TransferWithReferenceAndFee(address,address,uint256,bytes,uint256,address)"))
	// EthereumFeeProxy's event: the native currency it forwarded (to and amount in the data).
	nativeProxyTopic = crypto.Keccak256Hash([]byte("TransferWithReferenceAndFee(address,uint256,bytes,uint256,address)"))
)

// rawLog is eth_getLogs' answer, decoded here.
type rawLog struct {
	Address     common.Address `json:"address"`
	Topics      []common.Hash  `json:"topics"`
	Data        hexutil.Bytes  `json:"data"`
	BlockNumber hexutil.Uint64 `json:"blockNumber"`
	BlockHash   common.Hash    `json:"blockHash"`
	TxHash      common.Hash    `json:"transactionHash"`
	LogIndex    hexutil.Uint64 `json:"logIndex"`
	Removed     bool           `json:"removed"`
}

// deposit is money that arrived at an address on the final chain: one token Transfer log.
type deposit struct {
	chain  uint64
	token  common.Address
	to     common.Address
	amount *big.Int
	tx     common.Hash
	block  uint64
	proxy  bool // the transaction also carries a fee-proxy payment
}

// truth reads the final chain's token transfers (and fee-proxy events, to tell the shapes apart)
// with one plain eth_getLogs from block 0 to the head, checks each log's block is the canonical
// one, and decodes them. Native currency: the native proxy's events (it forwards the value in an
// internal call), and every successful transaction with value sent straight to one of deposits.
func (c *chainRun) truth(ctx context.Context, deposits map[common.Address]bool) ([]deposit, error) {
	h, err := c.f.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	var logs []rawLog
	if err := c.f.RPC.CallContext(ctx, &logs, "eth_getLogs", map[string]any{
		"fromBlock": "0x0", "toBlock": hexutil.EncodeUint64(h.Number.Uint64()),
		"address": []common.Address{c.f.Addresses.USDT, c.f.Addresses.TUSD, c.f.Addresses.ERC20FeeProxy, c.f.Addresses.EthereumFeeProxy},
		"topics":  [][]common.Hash{{transferTopic, proxyTopic, nativeProxyTopic}},
	}); err != nil {
		return nil, fmt.Errorf("ground truth logs: %w", err)
	}
	canonical := map[uint64]common.Hash{}
	proxied := map[common.Hash]bool{}
	var out []deposit
	for _, l := range logs {
		n := uint64(l.BlockNumber)
		if _, ok := canonical[n]; !ok {
			b, err := c.f.Client.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
			if err != nil {
				return nil, err
			}
			canonical[n] = b.Hash()
		}
		if l.Removed || canonical[n] != l.BlockHash {
			c.r.differ("chain %d: the node's own logs disagree with its chain: log %s/%d in block %d %s, canonical %s",
				c.id, l.TxHash.Hex(), l.LogIndex, n, l.BlockHash.Hex(), canonical[n].Hex())
			continue
		}
		switch {
		case len(l.Topics) == 3 && l.Topics[0] == transferTopic && len(l.Data) == 32 && l.Address != c.f.Addresses.ERC20FeeProxy:
			out = append(out, deposit{chain: c.id, token: l.Address, to: common.BytesToAddress(l.Topics[2][12:]),
				amount: new(big.Int).SetBytes(l.Data), tx: l.TxHash, block: n})
		case len(l.Topics) >= 1 && l.Topics[0] == proxyTopic && l.Address == c.f.Addresses.ERC20FeeProxy:
			proxied[l.TxHash] = true
		case len(l.Topics) == 2 && l.Topics[0] == nativeProxyTopic && l.Address == c.f.Addresses.EthereumFeeProxy && len(l.Data) == 4*32:
			proxied[l.TxHash] = true
			out = append(out, deposit{chain: c.id, token: chain.NativeToken, to: common.BytesToAddress(l.Data[12:32]),
				amount: new(big.Int).SetBytes(l.Data[32:64]), tx: l.TxHash, block: n})
		}
	}
	for n := uint64(0); n <= h.Number.Uint64(); n++ {
		b, err := c.f.Client.BlockByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			return nil, fmt.Errorf("ground truth block %d: %w", n, err)
		}
		for _, tx := range b.Transactions() {
			if tx.To() == nil || tx.Value().Sign() == 0 || !deposits[*tx.To()] {
				continue
			}
			rc, err := c.f.Client.TransactionReceipt(ctx, tx.Hash())
			if err != nil {
				return nil, fmt.Errorf("ground truth receipt %s: %w", tx.Hash().Hex(), err)
			}
			if rc.Status != types.ReceiptStatusSuccessful || rc.BlockHash != b.Hash() {
				continue
			}
			out = append(out, deposit{chain: c.id, token: chain.NativeToken, to: *tx.To(), amount: new(big.Int).Set(tx.Value()), tx: tx.Hash(), block: n})
		}
	}
	for i := range out {
		out[i].proxy = proxied[out[i].tx]
	}
	return out, nil
}

// obsKey groups what arrived (and what the indexer recorded) by chain, payment and transaction:
// a fee-proxy payment is one observation keyed by the proxy's event and one Transfer to the
// deposit in the ground truth; both name the transaction.
type obsKey struct {
	chain   uint64
	payment string
	tx      common.Hash
}

// compare checks the books against the ground truth of every chain:
//   - every transfer of a payment's token on the payment's chain to its deposit address is
//     credited (or, only when the payment was already paid in full, recorded as an exception),
//     with the transfer's amount, once;
//   - every other transfer to a deposit address (another token, another chain) is an exception,
//     never a credit;
//   - nothing else is credited or recorded, nothing is pending or quarantined, no chain halted;
//   - each payment's received amount is the sum of its credits, nothing is pending, its state is
//     where its received amount puts it (awaiting payment, underpaid, funded, overpaid), and its
//     deposit account in the ledger holds exactly the credits, posted, with nothing pending;
//   - deposit_exceptions holds exactly the exceptions the observations show: none of a block a
//     reorg removed;
//   - the ledger's own check passes.
func (r *round) compare(ctx context.Context, chains []*chainRun) error {
	exp, err := r.expected(ctx, chains)
	if err != nil {
		return err
	}
	got, byTx, err := r.recorded(ctx, exp.chains)
	if err != nil {
		return err
	}
	for k := range exp.unwatched {
		if byTx[k] {
			r.differ("chain %d tx %s: money to an address that is no deposit was recorded", k.chain, k.tx.Hex())
		}
	}
	credited, lateExceptions := r.matchDeposits(exp, got)
	if err := r.checkPayments(ctx, credited, lateExceptions); err != nil {
		return err
	}
	if err := r.checkExceptions(ctx, exp.chains); err != nil {
		return err
	}
	if v, err := ledger.Check(ctx, r.cfg.DB); err != nil {
		return err
	} else if v != nil {
		r.differ("ledger check: %v", v)
	}
	return nil
}

// expectation is what the final chains say the books must hold: per (chain, payment, tx), the
// amount moved to the payment's deposit address and how it must be booked.
type expectation struct {
	amount    map[obsKey]*big.Int
	credit    map[obsKey]bool // a credit expected (else an exception)
	proxied   map[obsKey]bool
	native    map[obsKey]bool
	unwatched map[obsKey]bool // transfers to addresses that are no deposit: must not be recorded
	chains    []uint64
}

// expected reads the truth from the final chains.
func (r *round) expected(ctx context.Context, chains []*chainRun) (expectation, error) {
	byDeposit := map[common.Address]*made{}
	isDeposit := map[common.Address]bool{}
	for _, m := range r.payments {
		byDeposit[m.p.Deposit] = m
		isDeposit[m.p.Deposit] = true
	}
	e := expectation{amount: map[obsKey]*big.Int{}, credit: map[obsKey]bool{}, proxied: map[obsKey]bool{},
		native: map[obsKey]bool{}, unwatched: map[obsKey]bool{}}
	for _, c := range chains {
		e.chains = append(e.chains, c.id)
		ds, err := c.truth(ctx, isDeposit)
		if err != nil {
			return e, err
		}
		for _, d := range ds {
			m := byDeposit[d.to]
			if m == nil {
				if d.to != c.f.FeeRecipient.Address && !isPayer(c, d.to) {
					e.unwatched[obsKey{d.chain, "", d.tx}] = true
				}
				continue
			}
			k := obsKey{d.chain, m.p.ID.String(), d.tx}
			if e.amount[k] == nil {
				e.amount[k] = new(big.Int)
			}
			e.amount[k].Add(e.amount[k], d.amount)
			e.credit[k] = d.chain == m.p.ChainID && d.token == m.p.Token
			e.proxied[k] = d.proxy
			e.native[k] = d.token == chain.NativeToken
		}
	}
	return e, nil
}

// recorded reads what the indexer recorded on the chains: amounts by state per (chain, payment,
// tx), and which transactions it recorded at all. An observation neither credited nor an
// exception at the end is a difference.
func (r *round) recorded(ctx context.Context, chains []uint64) (map[obsKey]map[string]*big.Int, map[obsKey]bool, error) {
	rows, err := r.cfg.DB.Query(ctx, sqlObservations, chains)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	got := map[obsKey]map[string]*big.Int{}
	byTx := map[obsKey]bool{}
	for rows.Next() {
		var chainID, logIndex, block uint64
		var blockHash, txHash, kind, pid, state, amount, note string
		if err := rows.Scan(&chainID, &blockHash, &txHash, &logIndex, &block, &kind, &pid, &state, &amount, &note); err != nil {
			return nil, nil, err
		}
		k := obsKey{chainID, pid, common.HexToHash(txHash)}
		byTx[obsKey{chainID, "", k.tx}] = true
		if got[k] == nil {
			got[k] = map[string]*big.Int{}
		}
		a, _ := new(big.Int).SetString(amount, 10)
		if got[k][state] == nil {
			got[k][state] = new(big.Int)
		}
		got[k][state].Add(got[k][state], a)
		if state != "credited" && state != "exception" {
			r.differ("chain %d payment %s tx %s: observation %s (%s, block %d %s) is %s at the end: %s", chainID, pid, txHash, kind, amount, block, blockHash, state, note)
		}
	}
	return got, byTx, rows.Err()
}

// matchDeposits holds each expected deposit against what was recorded (got loses what it
// matches; what is left was recorded without a transfer on the final chain). It returns the
// amount credited per payment and the count of its deposits booked as exceptions though a
// credit was expected (allowed only for a payment paid in full: checkPayments).
func (r *round) matchDeposits(e expectation, got map[obsKey]map[string]*big.Int) (map[string]*big.Int, map[string]int) {
	credited := map[string]*big.Int{}
	lateExceptions := map[string]int{}
	keys := make([]obsKey, 0, len(e.amount))
	for k := range e.amount {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
	for _, k := range keys {
		want := e.amount[k]
		g := got[k]
		delete(got, k)
		c, x := g["credited"], g["exception"]
		switch {
		case e.credit[k] && c != nil && c.Cmp(want) == 0 && x == nil:
			if credited[k.payment] == nil {
				credited[k.payment] = new(big.Int)
			}
			credited[k.payment].Add(credited[k.payment], c)
			r.rep.Credited++
			if e.proxied[k] {
				r.rep.CreditedViaProxy++
			}
			if e.native[k] {
				r.rep.CreditedNative++
			}
		case e.credit[k] && x != nil && x.Cmp(want) == 0 && c == nil:
			lateExceptions[k.payment]++
			r.rep.Exceptions++
		case !e.credit[k] && x != nil && x.Cmp(want) == 0 && c == nil:
			r.rep.Exceptions++
		default:
			what := "an exception"
			if e.credit[k] {
				what = "a credit"
			}
			r.differ("chain %d payment %s (%s) tx %s: the final chain moved %s to its deposit address, want %s; the books have %s",
				k.chain, k.payment, r.shapeOf(k.payment), k.tx.Hex(), want, what, describe(g))
		}
	}
	for k, g := range got {
		r.differ("chain %d payment %s (%s) tx %s: recorded %s, but the final chain has no such transfer", k.chain, k.payment, r.shapeOf(k.payment), k.tx.Hex(), describe(g))
	}
	return credited, lateExceptions
}

// checkPayments holds each payment and its deposit account against the amounts credited.
func (r *round) checkPayments(ctx context.Context, credited map[string]*big.Int, lateExceptions map[string]int) error {
	led := ledger.New(r.cfg.DB)
	for _, m := range r.payments {
		p, err := r.pay.Get(ctx, m.p.ID)
		if err != nil {
			return err
		}
		id := p.ID.String()
		want := credited[id]
		if want == nil {
			want = new(big.Int)
		}
		wantState := settled(want, p.Amount)
		if p.Received.Cmp(want) != 0 || p.PendingCount != 0 || p.PendingAmount.Sign() != 0 || p.State != wantState {
			open, err := r.openTransfers(ctx, id)
			if err != nil {
				return err
			}
			r.differ("payment %s (%s, chain %d, due %s): %s received %s pending %s (%d), want %s received %s, nothing pending%s",
				id, m.shape, p.ChainID, p.Amount, p.State, p.Received, p.PendingAmount, p.PendingCount, wantState, want, open)
		}
		if lateExceptions[id] > 0 && wantState != payment.Funded && wantState != payment.Overpaid {
			r.differ("payment %s (%s): %d deposits recorded as exceptions though it was not paid in full (%s of %s)", id, m.shape, lateExceptions[id], want, p.Amount)
		}
		a, err := led.Account(ctx, p.DepositAcct)
		if err != nil {
			return err
		}
		if a.CreditsPosted.Cmp(want) != 0 || a.CreditsPending.Sign() != 0 || a.DebitsPending.Sign() != 0 || a.DebitsPosted.Sign() != 0 {
			r.differ("payment %s (%s): deposit account credits posted %s pending %s, debits posted %s pending %s; want credits posted %s, nothing else",
				id, m.shape, a.CreditsPosted, a.CreditsPending, a.DebitsPosted, a.DebitsPending, want)
		}
	}
	return nil
}

// checkExceptions holds the exceptions kept for an operator (deposit_exceptions) against the
// exceptions among the observations that are not orphaned: the same chain, transaction, log,
// payment and amount, one each.
func (r *round) checkExceptions(ctx context.Context, chains []uint64) error {
	seen, err := r.exceptionSet(ctx, sqlExceptionObservations, chains)
	if err != nil {
		return err
	}
	ids := make([]string, len(r.payments))
	for i, m := range r.payments {
		ids[i] = m.p.ID.String()
	}
	kept, err := r.exceptionSet(ctx, sqlExceptions, ids)
	if err != nil {
		return err
	}
	for k, n := range kept {
		if n != 1 || seen[k] != 1 {
			r.differ("deposit_exceptions holds %d × %s; the observations show it %d times", n, k, seen[k])
		}
	}
	for k, n := range seen {
		if kept[k] == 0 {
			r.differ("observations show %d × the exception %s; deposit_exceptions does not hold it", n, k)
		}
	}
	return nil
}

// exceptionSet runs one of the exception statements and counts its rows, each described as
// "chain C tx T log L payment P amount A".
func (r *round) exceptionSet(ctx context.Context, q string, arg any) (map[string]int, error) {
	rows, err := r.cfg.DB.Query(ctx, q, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var chainID, logIndex uint64
		var tx, pid, amount string
		if err := rows.Scan(&chainID, &tx, &logIndex, &pid, &amount); err != nil {
			return nil, err
		}
		out[fmt.Sprintf("chain %d tx %s log %d payment %s amount %s", chainID, tx, logIndex, pid, amount)]++
	}
	return out, rows.Err()
}

// openTransfers describes a payment's open pending transfers, for a difference's evidence.
func (r *round) openTransfers(ctx context.Context, id string) (string, error) {
	rows, err := r.cfg.DB.Query(ctx, sqlOpenTransfers, id)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	out := ""
	for rows.Next() {
		var tid, amount, ref, obs string
		if err := rows.Scan(&tid, &amount, &ref, &obs); err != nil {
			return "", err
		}
		out += fmt.Sprintf("; open transfer %s of %s for observation %s (%s)", tid, amount, ref, obs)
	}
	return out, rows.Err()
}

func isPayer(c *chainRun, a common.Address) bool {
	for _, p := range c.payers {
		if p.Address == a {
			return true
		}
	}
	return false
}

// settled is where a payment whose deposits are all final stands, from what it received (the
// payments here never expire and have no tolerance).
func settled(received, due *big.Int) payment.State {
	switch {
	case received.Sign() == 0:
		return payment.AwaitingPayment
	case received.Cmp(due) > 0:
		return payment.Overpaid
	case received.Cmp(due) == 0:
		return payment.Funded
	}
	return payment.Underpaid
}

func (r *round) shapeOf(id string) string {
	for _, m := range r.payments {
		if m.p.ID.String() == id {
			return m.shape
		}
	}
	return "?"
}

func describe(g map[string]*big.Int) string {
	if len(g) == 0 {
		return "nothing"
	}
	states := make([]string, 0, len(g))
	for s := range g {
		states = append(states, s)
	}
	sort.Strings(states)
	out := ""
	for i, s := range states {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%s %s", s, g[s])
	}
	return out
}
