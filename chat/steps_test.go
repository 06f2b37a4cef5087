package chat_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// chainSide is the payment's other sides: the indexer (deposits, the escrow's events) and the
// worker (sweeps), each as its own database role.
type chainSide struct{ indexer, worker *payment.Service }

func chainSides(t *testing.T) chainSide {
	return chainSide{indexer: payment.New(dbtest.PoolAs(t, db.RoleIndexer), nil), worker: payment.New(dbtest.PoolAs(t, db.RoleWorker), nil)}
}

func (c chainSide) deposit(t *testing.T, p *payment.Payment, amount int64) {
	t.Helper()
	ctx := context.Background()
	ob := payment.Observation{ChainID: p.ChainID, BlockHash: common.BigToHash(big.NewInt(7)), BlockNumber: 7,
		TxHash: common.BigToHash(big.NewInt(time.Now().UnixNano())), Token: p.Token, Amount: big.NewInt(amount)}
	if _, err := c.indexer.Detect(ctx, p.ID, ob); err != nil {
		t.Fatal(err)
	}
	if got, err := c.indexer.Confirm(ctx, p.ID, ob.TransferID()); err != nil || got.State != payment.Funded {
		t.Fatalf("deposit: %v, %v", got, err)
	}
}

func (c chainSide) escrow(t *testing.T, p *payment.Payment) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.worker.StartSweep(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	got, err := c.indexer.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, err = c.indexer.Swept(ctx, p.ID, paymenttest.OwnSweep(got)); err != nil || got.State != payment.InEscrow {
		t.Fatalf("swept: %v, %v", got, err)
	}
}

// follower is the worker's market (amn_worker, as jobs builds it) telling watcher.
func follower(t *testing.T, watcher market.PaymentWatcher) *market.Service {
	reg := chain.DefaultRegistry()
	if err := reg.Merge([]byte(`{"chains": [{"key": "bsc", "explorer": "https://bscscan.com/"}]}`)); err != nil {
		t.Fatal(err)
	}
	pool := dbtest.PoolAs(t, db.RoleWorker)
	return market.New(pool, payment.New(pool, nil), reg, market.DefaultConfig()).WithWatcher(watcher)
}

func follow(t *testing.T, m *market.Service) {
	t.Helper()
	if res, err := m.Follow(context.Background(), 100); err != nil || len(res.Refused) != 0 {
		t.Fatalf("follow: %+v, %v", res, err)
	}
}

// deal is an accepted offer with the buyer's checkout signed, and its conversation.
func (w *world) deal(t *testing.T) (*payment.Payment, *chat.Conversation, chat.Caller) {
	t.Helper()
	ctx := context.Background()
	buyer, seller := w.user(t), w.user(t)
	r, o := w.offer(t, buyer, seller, 1_000_000)
	a, err := w.m.Accept(ctx, mc(buyer), r.ID, o.ID, o.Revision)
	if err != nil {
		t.Fatal(err)
	}
	paymenttest.ProveBuyer(t, w.payments, a.Payment, paymenttest.Buyer())
	c, err := w.chat.Open(ctx, seller, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a.Payment, c, buyer
}

// systemSteps lists a conversation's system messages as "event@paymentSeq".
func (w *world) systemSteps(t *testing.T, who chat.Caller, c *chat.Conversation) string {
	t.Helper()
	ms, err := w.chat.Messages(context.Background(), who, c.ID, 0, chat.MaxPage)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		if m.Kind == chat.KindSystem {
			out = append(out, fmt.Sprintf("%s@%d", m.System.Event, m.System.PaymentSeq))
			if len(m.System.Links) != 1 || !strings.HasPrefix(m.System.Links[0].URL, "https://bscscan.com/address/0x") {
				t.Fatalf("links of %s: %+v", m.System.Event, m.System.Links)
			}
		}
	}
	return strings.Join(out, " ")
}

// expectedSteps are the steps p's timeline calls for, from the payment's own rows.
func (w *world) expectedSteps(t *testing.T, p *payment.Payment) string {
	t.Helper()
	tl, err := w.payments.Timeline(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	events := map[payment.State]string{payment.Detected: "payment.seen", payment.Funded: "payment.credited",
		payment.InEscrow: "payment.in_escrow", payment.Released: "payment.released"}
	var want []string
	for _, r := range tl {
		if e, ok := events[r.To]; ok {
			want = append(want, fmt.Sprintf("%s@%d", e, r.Seq))
		}
	}
	return strings.Join(want, " ")
}

// Every payment step is written once, in timeline order, however often the market follows, and
// interleaves with the parties' messages by seq.
func TestPaymentStepsWrittenOnceInOrder(t *testing.T) {
	w, side := newWorld(t), chainSides(t)
	f := follower(t, &chat.Steps{Payments: payment.New(dbtest.PoolAs(t, db.RoleWorker), nil)})
	ctx := context.Background()
	p, c, buyer := w.deal(t)
	follow(t, f)
	if got := w.systemSteps(t, buyer, c); got != "" {
		t.Fatalf("unpaid: %q", got)
	}
	if _, err := w.chat.Send(ctx, buyer, c.ID, chat.SendInput{Text: "paying now"}); err != nil {
		t.Fatal(err)
	}
	side.deposit(t, p, 1_000_000)
	follow(t, f)
	follow(t, f)
	side.escrow(t, p)
	follow(t, f)
	if _, err := side.indexer.Released(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	follow(t, f)
	follow(t, f)
	want := w.expectedSteps(t, p)
	if got := w.systemSteps(t, buyer, c); got != want || strings.Count(want, "@") != 4 {
		t.Fatalf("steps:\n got %s\nwant %s", got, want)
	}
	ms, err := w.chat.Messages(ctx, buyer, c.ID, 0, chat.MaxPage)
	if err != nil || ms[0].Kind != chat.KindText || ms[0].Seq != 1 || ms[len(ms)-1].Seq != int64(len(ms)) {
		t.Fatalf("history: %+v, %v", ms, err)
	}
}

// failing is a watcher that writes the steps and then fails the market's transaction once.
type failing struct {
	chat.Steps
	failed bool
}

var errInjected = errors.New("injected")

func (f *failing) PaymentFollowed(ctx context.Context, tx pgx.Tx, d market.FollowedDeal, p *payment.Payment) error {
	if err := f.Steps.PaymentFollowed(ctx, tx, d, p); err != nil || f.failed {
		return err
	}
	f.failed = true
	return errInjected
}

// A following that rolls back writes no message and publishes nothing; the next one writes each
// step once.
func TestPaymentStepsRollBackWithTheFollowing(t *testing.T) {
	w, side := newWorld(t), chainSides(t)
	watcher := &failing{Steps: chat.Steps{Payments: payment.New(dbtest.PoolAs(t, db.RoleWorker), nil)}}
	f := follower(t, watcher)
	p, c, buyer := w.deal(t)
	side.deposit(t, p, 1_000_000)
	if _, err := f.Follow(context.Background(), 100); !errors.Is(err, errInjected) {
		t.Fatalf("follow: %v", err)
	}
	if got := w.roomEvents(t, c.ID); got != "" {
		t.Fatalf("a rolled-back following published: %s", got)
	}
	if got, err := w.m.RequestDetail(context.Background(), mc(buyer), c.RequestID); err != nil || got.Request.Status != market.Payment {
		t.Fatalf("request after the rollback: %+v, %v", got, err)
	}
	follow(t, f)
	follow(t, f)
	if got, want := w.systemSteps(t, buyer, c), w.expectedSteps(t, p); got != want || strings.Count(want, "@") != 2 {
		t.Fatalf("steps:\n got %s\nwant %s", got, want)
	}
	if got := w.roomEvents(t, c.ID); got != "1:chat.message 2:chat.message" {
		t.Fatalf("room: %s", got)
	}
}
