package payment_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// anvilXpub is the account xpub (m/44'/60'/0') of anvil's public test mnemonic "test … junk":
// public test data, and the Deriver never sees more than an xpub.
const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

var (
	usdt    = common.HexToAddress("0x55d398326f99059fF775485246999027B3197955")
	seller  = paymenttest.Seller().Address
	feeAddr = common.HexToAddress("0x00000000000000000000000000000000000000fe")
	t0      = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
)

// clock is a settable time source shared by a test's service.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }
func newClock() *clock           { return &clock{t: t0} }
func amount(n int64) *big.Int    { return big.NewInt(n) }
func pastExpiry(c *clock)        { c.set(t0.Add(2 * time.Hour)) }
func obs(n int64, i uint64) payment.Observation {
	return payment.Observation{
		ChainID: 56, BlockHash: common.BigToHash(big.NewInt(int64(1000 + i))), BlockNumber: 1000 + i,
		TxHash: common.BigToHash(big.NewInt(int64(i))), LogIndex: i, Token: usdt, Amount: amount(n),
	}
}

var offerSeq atomic.Int64

func newService(t *testing.T) (*payment.Service, *clock) {
	t.Helper()
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	c := newClock()
	return payment.New(dbtest.Pool(t), d).WithClock(c.now), c
}

func create(t *testing.T, s *payment.Service) *payment.Payment {
	t.Helper()
	p, err := tryCreate(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func tryCreate(s *payment.Service) (*payment.Payment, error) {
	return s.Create(context.Background(), paymenttest.Offer(payment.NewPayment{
		BuyerRef: "buyer-1", OfferRef: fmt.Sprintf("offer-%d", offerSeq.Add(1)), SellerAddress: seller,
		ChainID: 56, ChainKey: "bsc", Token: usdt, TokenSymbol: "USDT", Decimals: 18,
		Amount: amount(1_000_000), Fee: amount(1_000), FeeAddress: feeAddr, Commission: amount(20_000),
		Tolerance: amount(10), RequestID: "01847474747474", Salt: "8d03ea7", TTL: time.Hour,
	}, paymenttest.Seller()))
}

// step is one event applied in a test, with what it needs.
type step func(ctx context.Context, s *payment.Service, c *clock, p *payment.Payment) (*payment.Payment, error)

var nextObs atomic.Uint64

func detect(n int64) step {
	return func(ctx context.Context, s *payment.Service, _ *clock, p *payment.Payment) (*payment.Payment, error) {
		return s.Detect(ctx, p.ID, obs(n, nextObs.Add(1)))
	}
}

// confirmAll confirms every observation of the payment that is still pending.
func confirmAll(ctx context.Context, s *payment.Service, _ *clock, p *payment.Payment) (*payment.Payment, error) {
	ids := pendingDeposits(ctx, p)
	if len(ids) == 0 {
		return s.Confirm(ctx, p.ID, ledger.NewID())
	}
	var err error
	for _, id := range ids {
		if p, err = s.Confirm(ctx, p.ID, id); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func orphanOne(ctx context.Context, s *payment.Service, _ *clock, p *payment.Payment) (*payment.Payment, error) {
	ids := pendingDeposits(ctx, p)
	id := ledger.NewID()
	if len(ids) > 0 {
		id = ids[0]
	}
	return s.Orphan(ctx, p.ID, id)
}

// poolFor is the package database, for reading the ledger and timeline tables directly.
var poolFor *pgxpool.Pool

func pendingDeposits(ctx context.Context, p *payment.Payment) []ledger.ID {
	rows, err := poolFor.Query(ctx, `SELECT t.id FROM ledger_transfers t JOIN ledger_pending lp ON lp.transfer_id = t.id
		WHERE t.payment_ref = $1 AND t.code = $2 AND lp.state = 'open' ORDER BY t.created_at, t.id`, p.ID.String(), chart.CodeDeposit)
	if err != nil {
		panic(err)
	}
	defer rows.Close()
	var ids []ledger.ID
	for rows.Next() {
		var id ledger.ID
		if err := rows.Scan(&id); err != nil {
			panic(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func expire(ctx context.Context, s *payment.Service, c *clock, p *payment.Payment) (*payment.Payment, error) {
	pastExpiry(c)
	return s.Expire(ctx, p.ID)
}

func simple(f func(*payment.Service) func(context.Context, ledger.ID) (*payment.Payment, error)) step {
	return func(ctx context.Context, s *payment.Service, _ *clock, p *payment.Payment) (*payment.Payment, error) {
		return f(s)(ctx, p.ID)
	}
}

func byActor(f func(*payment.Service) func(context.Context, ledger.ID, string, string) (*payment.Payment, error)) step {
	return func(ctx context.Context, s *payment.Service, _ *clock, p *payment.Payment) (*payment.Payment, error) {
		return f(s)(ctx, p.ID, "admin:alice", "test")
	}
}

var (
	startSweep = simple(func(s *payment.Service) func(context.Context, ledger.ID) (*payment.Payment, error) {
		return s.StartSweep
	})
	swept step = func(ctx context.Context, s *payment.Service, _ *clock, p *payment.Payment) (*payment.Payment, error) {
		return s.Swept(ctx, p.ID, sweepOf(p))
	}
	startRelease = simple(func(s *payment.Service) func(context.Context, ledger.ID) (*payment.Payment, error) {
		return s.StartRelease
	})
	released    = simple(func(s *payment.Service) func(context.Context, ledger.ID) (*payment.Payment, error) { return s.Released })
	startRefund = simple(func(s *payment.Service) func(context.Context, ledger.ID) (*payment.Payment, error) {
		return s.StartRefund
	})
	refunded       = simple(func(s *payment.Service) func(context.Context, ledger.ID) (*payment.Payment, error) { return s.Refunded })
	requestRelease = byActor(func(s *payment.Service) func(context.Context, ledger.ID, string, string) (*payment.Payment, error) {
		return s.RequestRelease
	})
	requestRefund = byActor(func(s *payment.Service) func(context.Context, ledger.ID, string, string) (*payment.Payment, error) {
		return s.RequestRefund
	})
	dispute = byActor(func(s *payment.Service) func(context.Context, ledger.ID, string, string) (*payment.Payment, error) {
		return s.Dispute
	})
	resolveRelease step = func(ctx context.Context, s *payment.Service, _ *clock, p *payment.Payment) (*payment.Payment, error) {
		return s.Resolve(ctx, p.ID, payment.OutcomeRelease, "arbiter:bob", "seller delivered")
	}
	// resolveSplit gives the buyer about 30%; each call another amount, so that asking again is
	// a new decision (the same split asked again is answered, TestResolveSplitRetry).
	resolveSplit step = func(ctx context.Context, s *payment.Service, _ *clock, p *payment.Payment) (*payment.Payment, error) {
		return s.ResolveSplit(ctx, p.ID, amount(300_000+splitSeq.Add(1)), "arbiter:bob", "partly delivered")
	}
	startSettle = simple(func(s *payment.Service) func(context.Context, ledger.ID) (*payment.Payment, error) {
		return s.StartSettle
	})
	settled step = func(ctx context.Context, s *payment.Service, _ *clock, p *payment.Payment) (*payment.Payment, error) {
		return s.Settled(ctx, p.ID, settledOf(p))
	}
)

var splitSeq atomic.Int64

// settledOf is the Settled event of the payment's decided split, or of a 30% split the chain made
// without one.
func settledOf(p *payment.Payment) payment.EscrowSettled {
	sp, err := p.Split()
	if err != nil {
		if sp, err = payment.SplitOf(p.Received, p.Commission, amount(300_000)); err != nil {
			sp = payment.Split{Buyer: amount(300_000), Seller: amount(686_000), Fee: amount(14_000)} // refused by its state
		}
	}
	return payment.EscrowSettled{BuyerAmount: sp.Buyer, SellerAmount: sp.Seller, FeeAmount: sp.Fee}
}

// pathTo reaches each state from a new payment through real transitions.
var pathTo = map[payment.State][]event{
	payment.AwaitingPayment: nil,
	payment.Detected:        {evDetect},
	payment.Funded:          {evDetect, evConfirm},
	payment.Underpaid:       {{payment.EvDetect, detect(400_000)}, evConfirm},
	payment.Overpaid:        {{payment.EvDetect, detect(1_500_000)}, evConfirm},
	payment.Expired:         {evExpire},
	payment.Late:            {evExpire, evDetect, evConfirm},
	payment.Sweeping:        {evDetect, evConfirm, evStartSweep},
	payment.InEscrow:        {evDetect, evConfirm, evStartSweep, evSwept},
	payment.ReleasePending:  {evDetect, evConfirm, evStartSweep, evSwept, evRequestRelease},
	payment.Releasing:       {evDetect, evConfirm, evStartSweep, evSwept, evRequestRelease, evStartRelease},
	payment.Released:        {evDetect, evConfirm, evStartSweep, evSwept, evRequestRelease, evStartRelease, evReleased},
	payment.RefundPending:   {evDetect, evConfirm, evStartSweep, evSwept, evRequestRefund},
	payment.Refunding:       {evDetect, evConfirm, evStartSweep, evSwept, evRequestRefund, evStartRefund},
	payment.Refunded:        {evDetect, evConfirm, evStartSweep, evSwept, evRequestRefund, evStartRefund, evRefunded},
	payment.Disputed:        {evDetect, evConfirm, evStartSweep, evSwept, evDispute},
	payment.Reclaimed:       {evDetect, evConfirm, evStartSweep, evSwept, evReclaimed},
	payment.SettlePending:   {evDetect, evConfirm, evStartSweep, evSwept, evDispute, evResolveSplit},
	payment.Settling:        {evDetect, evConfirm, evStartSweep, evSwept, evDispute, evResolveSplit, evStartSettle},
	payment.Settled:         {evDetect, evConfirm, evStartSweep, evSwept, evDispute, evResolveSplit, evStartSettle, evSettled},
}

type event struct {
	name payment.Event
	run  step
}

var (
	evDetect         = event{payment.EvDetect, detect(1_000_000)}
	evConfirm        = event{payment.EvConfirm, confirmAll}
	evOrphan         = event{payment.EvOrphan, orphanOne}
	evExpire         = event{payment.EvExpire, expire}
	evStartSweep     = event{payment.EvStartSweep, startSweep}
	evSwept          = event{payment.EvSwept, swept}
	evRequestRelease = event{payment.EvRequestRelease, requestRelease}
	evStartRelease   = event{payment.EvStartRelease, startRelease}
	evReleased       = event{payment.EvReleased, released}
	evRequestRefund  = event{payment.EvRequestRefund, requestRefund}
	evStartRefund    = event{payment.EvStartRefund, startRefund}
	evRefunded       = event{payment.EvRefunded, refunded}
	evDispute        = event{payment.EvDispute, dispute}
	evResolve        = event{payment.EvResolve, resolveRelease}
	evReclaimed      = event{payment.EvReclaimed, simple(func(s *payment.Service) func(context.Context, ledger.ID) (*payment.Payment, error) {
		return s.Reclaimed
	})}
	evFrozen = event{payment.EvFrozen, simple(func(s *payment.Service) func(context.Context, ledger.ID) (*payment.Payment, error) {
		return s.Frozen
	})}
	evReleaseFailed = event{payment.EvReleaseFailed, func(ctx context.Context, s *payment.Service, _ *clock, p *payment.Payment) (*payment.Payment, error) {
		return s.ReleaseFailed(ctx, p.ID, "release reverted")
	}}
	evRefundFailed = event{payment.EvRefundFailed, func(ctx context.Context, s *payment.Service, _ *clock, p *payment.Payment) (*payment.Payment, error) {
		return s.RefundFailed(ctx, p.ID, "refund reverted")
	}}
	evResolveSplit = event{payment.EvResolveSplit, resolveSplit}
	evStartSettle  = event{payment.EvStartSettle, startSettle}
	evSettled      = event{payment.EvSettled, settled}
	evSettleFailed = event{payment.EvSettleFailed, func(ctx context.Context, s *payment.Service, _ *clock, p *payment.Payment) (*payment.Payment, error) {
		return s.SettleFailed(ctx, p.ID, "settle reverted")
	}}
)

// events in the order of the state machine, with the transfers a successful run writes.
var events = []struct {
	event
	transfers int
}{
	{evDetect, 1}, {evConfirm, 1}, {evOrphan, 1}, {evExpire, 0}, {evStartSweep, 0}, {evSwept, 1},
	{evRequestRelease, 0},
	{evStartRelease, 2}, // seller + commission, linked
	{evReleased, 2}, {evRequestRefund, 0}, {evStartRefund, 1}, {evRefunded, 1}, {evDispute, 0}, {evResolve, 0},
	{evReclaimed, 1}, {evFrozen, 0},
	{evReleaseFailed, 2}, // void seller + commission
	{evRefundFailed, 1},
	{evResolveSplit, 0},
	{evStartSettle, 3}, // buyer + seller + fee, linked
	{evSettled, 3},
	{evSettleFailed, 3}, // void buyer + seller + fee
}

// want is the state each legal (state, event) pair leads to in these fixtures; a pair missing
// here must be refused.
var want = map[payment.State]map[payment.Event]payment.State{
	payment.AwaitingPayment: {payment.EvDetect: payment.Detected, payment.EvExpire: payment.Expired},
	payment.Detected:        {payment.EvDetect: payment.Detected, payment.EvConfirm: payment.Funded, payment.EvOrphan: payment.AwaitingPayment},
	payment.Funded:          {payment.EvStartSweep: payment.Sweeping, payment.EvDispute: payment.Disputed},
	payment.Underpaid:       {payment.EvDetect: payment.Detected, payment.EvStartSweep: payment.Sweeping, payment.EvDispute: payment.Disputed},
	payment.Overpaid:        {payment.EvStartSweep: payment.Sweeping, payment.EvDispute: payment.Disputed},
	payment.Expired:         {payment.EvDetect: payment.Detected},
	payment.Late:            {payment.EvStartSweep: payment.Sweeping, payment.EvDispute: payment.Disputed},
	payment.Sweeping:        {payment.EvSwept: payment.InEscrow, payment.EvDispute: payment.Disputed},
	payment.InEscrow: {payment.EvRequestRelease: payment.ReleasePending, payment.EvRequestRefund: payment.RefundPending, payment.EvDispute: payment.Disputed,
		payment.EvReleased: payment.Released, payment.EvRefunded: payment.Refunded, payment.EvReclaimed: payment.Reclaimed, payment.EvFrozen: payment.Disputed,
		payment.EvSettled: payment.Settled},
	payment.ReleasePending: {payment.EvStartRelease: payment.Releasing, payment.EvRequestRefund: payment.RefundPending, payment.EvDispute: payment.Disputed,
		payment.EvReleased: payment.Released, payment.EvRefunded: payment.Refunded, payment.EvReclaimed: payment.Reclaimed, payment.EvFrozen: payment.Disputed,
		payment.EvSettled: payment.Settled},
	payment.Releasing: {payment.EvReleased: payment.Released, payment.EvRefunded: payment.Refunded, payment.EvReclaimed: payment.Reclaimed,
		payment.EvFrozen: payment.Disputed, payment.EvDispute: payment.Disputed, payment.EvReleaseFailed: payment.InEscrow, payment.EvSettled: payment.Settled},
	payment.Released: {},
	payment.RefundPending: {payment.EvStartRefund: payment.Refunding, payment.EvDispute: payment.Disputed,
		payment.EvReleased: payment.Released, payment.EvRefunded: payment.Refunded, payment.EvReclaimed: payment.Reclaimed, payment.EvFrozen: payment.Disputed,
		payment.EvSettled: payment.Settled},
	payment.Refunding: {payment.EvRefunded: payment.Refunded, payment.EvReleased: payment.Released, payment.EvReclaimed: payment.Reclaimed,
		payment.EvFrozen: payment.Disputed, payment.EvDispute: payment.Disputed, payment.EvRefundFailed: payment.InEscrow, payment.EvSettled: payment.Settled},
	payment.Refunded: {},
	payment.Disputed: {payment.EvResolve: payment.ReleasePending, payment.EvReleased: payment.Released, payment.EvRefunded: payment.Refunded,
		payment.EvReclaimed: payment.Reclaimed, payment.EvFrozen: payment.Disputed, payment.EvResolveSplit: payment.SettlePending, payment.EvSettled: payment.Settled},
	payment.Reclaimed: {},
	payment.SettlePending: {payment.EvStartSettle: payment.Settling, payment.EvDispute: payment.Disputed, payment.EvReleased: payment.Released,
		payment.EvRefunded: payment.Refunded, payment.EvReclaimed: payment.Reclaimed, payment.EvFrozen: payment.SettlePending, payment.EvSettled: payment.Settled},
	payment.Settling: {payment.EvSettled: payment.Settled, payment.EvSettleFailed: payment.SettlePending, payment.EvReleased: payment.Released,
		payment.EvRefunded: payment.Refunded, payment.EvReclaimed: payment.Reclaimed, payment.EvFrozen: payment.Settling},
	payment.Settled: {},
}

// otherTransfers are the pairs that write another number of transfers than the event's usual: a
// payout the chain made while the other payout was reserved voids that reservation first.
var otherTransfers = map[payment.State]map[payment.Event]int{
	payment.Refunding: {payment.EvReleased: 3, payment.EvReclaimed: 2, payment.EvSettled: 4},  // void the refund; then the payout
	payment.Releasing: {payment.EvRefunded: 3, payment.EvReclaimed: 3, payment.EvSettled: 5},  // void seller and commission; then the payout
	payment.Settling:  {payment.EvReleased: 5, payment.EvRefunded: 4, payment.EvReclaimed: 4}, // void the three parts; then the payout
}

func counts(ctx context.Context, t *testing.T, p *payment.Payment) (transfers, timeline int) {
	t.Helper()
	if err := poolFor.QueryRow(ctx, `SELECT (SELECT count(*) FROM ledger_transfers WHERE payment_ref = $1),
		(SELECT count(*) FROM payment_timeline WHERE payment_id = $2)`, p.ID.String(), p.ID).Scan(&transfers, &timeline); err != nil {
		t.Fatal(err)
	}
	return
}

// sweepJobs counts the payment's sweep jobs.
func sweepJobs(ctx context.Context, t *testing.T, p *payment.Payment) int {
	t.Helper()
	var n int
	if err := poolFor.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'payment_sweep' AND queue = 'sweeps'
		AND args->>'payment_id' = $1`, p.ID.String()).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestEveryTransition puts a payment in every state and tries every event on it: legal ones move
// it to the expected state writing exactly their transfers and one timeline row; illegal ones
// fail with ErrIllegalTransition and write nothing.
func TestEveryTransition(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	if len(want) != len(payment.States) {
		t.Fatalf("the table covers %d states of %d", len(want), len(payment.States))
	}
	for _, from := range payment.States {
		for _, ev := range events {
			t.Run(string(from)+"/"+string(ev.name), func(t *testing.T) {
				s, c := newService(t)
				p := create(t, s)
				var err error
				happened := map[payment.Event]bool{}
				for _, st := range pathTo[from] {
					happened[st.name] = true
					if p, err = st.run(ctx, s, c, p); err != nil {
						t.Fatalf("reaching %s: %v", from, err)
					}
				}
				if p.State != from {
					t.Fatalf("path reached %s, want %s", p.State, from)
				}
				transfers, timeline := counts(ctx, t, p)
				jobs := sweepJobs(ctx, t, p)
				got, err := ev.run(ctx, s, c, p)
				after, afterTimeline := counts(ctx, t, p)
				newJobs := sweepJobs(ctx, t, p) - jobs
				to, legal := want[from][ev.name]
				// An event the state may start can still be refused by what the payment holds
				// (swept during a dispute of a payment already in escrow).
				if legal && !payment.CanStart(ev.name, from) {
					t.Fatalf("the test table and the state machine disagree on %s from %s", ev.name, from)
				}
				if !legal {
					// An event with ledger effects that already happened is a replay (the indexer
					// seeing a block again): it succeeds and changes nothing. Anything else is refused.
					replay := happened[ev.name] && ev.transfers > 0 && ev.name != payment.EvDetect && ev.name != payment.EvConfirm
					if replay && err != nil {
						t.Fatalf("replay of %s failed: %v", ev.name, err)
					}
					if !replay && !errors.Is(err, payment.ErrIllegalTransition) {
						t.Fatalf("err = %v, want ErrIllegalTransition", err)
					}
					if after != transfers || afterTimeline != timeline || newJobs != 0 {
						t.Fatalf("a refused event wrote %d transfers, %d timeline rows, %d jobs", after-transfers, afterTimeline-timeline, newJobs)
					}
					if cur, _ := s.Get(ctx, p.ID); cur.State != from {
						t.Fatalf("state changed to %s", cur.State)
					}
					return
				}
				if err != nil {
					t.Fatalf("legal event failed: %v", err)
				}
				if got.State != to {
					t.Fatalf("state = %s, want %s", got.State, to)
				}
				wantTransfers := ev.transfers
				if n, ok := otherTransfers[from][ev.name]; ok {
					wantTransfers = n
				}
				if after-transfers != wantTransfers || afterTimeline-timeline != 1 {
					t.Fatalf("wrote %d transfers and %d timeline rows, want %d and 1", after-transfers, afterTimeline-timeline, wantTransfers)
				}
				// Only becoming paid (funded, overpaid, late) asks for a sweep.
				wantJobs := 0
				if ev.name == payment.EvConfirm && (to == payment.Funded || to == payment.Overpaid || to == payment.Late) {
					wantJobs = 1
				}
				if newJobs != wantJobs {
					t.Fatalf("enqueued %d sweep jobs, want %d", newJobs, wantJobs)
				}
			})
		}
	}
}

// TestOrphanRecording: the caller's record runs in the void's transaction: when it fails, the
// void is rolled back with it (the deposit still pending); when it succeeds, both commit; a
// replay runs it again (the void recorded before), and a refused orphan does not run it.
func TestOrphanRecording(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	poolFor = dbtest.Pool(t)
	p := create(t, s)
	o := obs(400_000, nextObs.Add(1))
	if _, err := s.Detect(ctx, p.ID, o); err != nil {
		t.Fatal(err)
	}
	calls := 0
	failing := errors.New("the record failed")
	rec := func(fail bool) func(context.Context, pgx.Tx) error {
		return func(ctx context.Context, tx pgx.Tx) error {
			calls++
			if _, err := tx.Exec(ctx, `SELECT 1`); err != nil {
				return err
			}
			if fail {
				return failing
			}
			return nil
		}
	}
	if _, err := s.OrphanRecording(ctx, p.ID, o.TransferID(), rec(true)); !errors.Is(err, failing) {
		t.Fatalf("orphan with a failing record: %v, want its error", err)
	}
	if got, _ := s.Get(ctx, p.ID); got.State != payment.Detected || got.PendingCount != 1 || len(pendingDeposits(ctx, p)) != 1 {
		t.Fatalf("after the failed record: %s with %d pending, want the deposit still pending", got.State, got.PendingCount)
	}
	got, err := s.OrphanRecording(ctx, p.ID, o.TransferID(), rec(false))
	if err != nil || got.State != payment.AwaitingPayment || got.PendingCount != 0 || len(pendingDeposits(ctx, p)) != 0 {
		t.Fatalf("orphan: %+v, %v; want awaiting_payment, the deposit voided", got, err)
	}
	if _, err := s.OrphanRecording(ctx, p.ID, o.TransferID(), rec(false)); err != nil || calls != 3 {
		t.Fatalf("orphan again: %v, record run %d times; want a replay that records (3)", err, calls)
	}
	if _, err := s.OrphanRecording(ctx, p.ID, ledger.NewID(), rec(false)); !payment.Refused(err) || calls != 3 {
		t.Errorf("orphan of an unknown deposit: %v, record run %d times; want a refusal and no record", err, calls)
	}
}
