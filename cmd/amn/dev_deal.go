package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/indexer"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/internal/devdeal"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/signer"
)

// devDealStepTimeout bounds each wait of the demo deals: credit and sweep, the release request,
// the release.
const devDealStepTimeout = 90 * time.Second

// devDeal plays the demo deals on the local bsc chain through the running API (package devdeal:
// the parties sign in and do everything over HTTP, their wallets sign and pay on the chain); the
// indexer, the worker and the signer, running in this process as their roles, do the rest. What
// no API does is done here as the people who do it would: the custodians approve releases with
// their (devnet software) keys through the custody service, and the books are printed at the end.
type devDeal struct {
	out      io.Writer
	f        *devnet.Fixture
	cfg      chain.Config
	baseURL  string
	payments *payment.Service
	follower *intent.Store    // the worker's signer_follow
	custody  *custody.Service // the custodians' approvals (as amn_api, as a custodian's machine logs in)
	enrol    *custody.Service // the custodians' enrolment (as amn_custody)
	books    *ledger.Ledger
	api      *pgxpool.Pool
	indexer  *pgxpool.Pool // reconcile reads as the indexer does
	enrolled sync.Once
	enrolErr error
}

func newDevDeal(out io.Writer, f *devnet.Fixture, reg *chain.Registry, listen string, pools devPools) (*devDeal, error) {
	cfg, err := reg.Get(fmt.Sprint(f.ChainID))
	if err != nil {
		return nil, err
	}
	payments := payment.New(pools.api, nil)
	store := intent.NewStore(pools.api, payments, signer.TxRecord{})
	custodyPayments := payment.New(pools.custody, nil)
	return &devDeal{out: out, f: f, cfg: cfg, baseURL: "http://" + listen, payments: payments,
		follower: intent.NewStore(pools.worker, payment.New(pools.worker, nil), signer.TxRecord{}), books: ledger.New(pools.api), api: pools.api, indexer: pools.indexer,
		custody: custody.New(pools.api, store, payments),
		enrol:   custody.New(pools.custody, intent.NewStore(pools.custody, custodyPayments, nil), custodyPayments)}, nil
}

// run plays the deals once; a failure is printed and logged, and the stack keeps serving.
func (d *devDeal) run(ctx context.Context, log func(msg string, args ...any)) {
	start := time.Now()
	since := func() string { return time.Since(start).Round(100 * time.Millisecond).String() }
	scene := &devdeal.Scene{BaseURL: d.baseURL, Out: d.out, Fixture: d.f, ChainKey: d.cfg.Key,
		Admin: devAccount(0), Buyer: devAccount(1), Seller: devAccount(2), Seller2: devAccount(3),
		Approve: d.approve, Nudge: d.nudge, StepTimeout: devDealStepTimeout}
	deals, err := scene.Play(ctx)
	if err == nil {
		err = d.showBooks(ctx, deals)
	}
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		fmt.Fprintf(d.out, "deal      FAILED after %s: %v\n", since(), err)
		log("the scripted deal failed", "err", err)
		return
	}
	fmt.Fprintf(d.out, "deal      complete in %s; the stack keeps serving until Ctrl-C\n", since())
}

// nudge runs the worker's signer_follow pass while a release is on its way. On these chains the
// release is final about three blocks after it is sent, which can come before the worker's next
// pass (every 5 s): were the indexer to see the final Released event while the payment still were
// release_pending, it would refuse it. The pass is idempotent and safe next to the worker's.
func (d *devDeal) nudge(ctx context.Context) error {
	_, err := d.follower.Follow(ctx)
	return err
}

// approve has the fixture's custodians approve exactly the intent's EIP-712 digest, as
// `amn custody approve` does (custody.Prepare, SignAndApprove): enrolled first, their membership
// and the escrow read from the chain. Their keys are anvil's default accounts, software keys on a
// devnet.
func (d *devDeal) approve(ctx context.Context, in uuid.UUID) error {
	keys, err := hwwallet.NewSoftwareSigner(devnet.AnvilMnemonic, "")
	if err != nil {
		return err
	}
	f, dom := d.f, escrow.Domain{ChainID: d.f.ChainID, Contract: d.cfg.Escrow}
	d.enrolled.Do(func() {
		for _, c := range f.Custodians[:f.Threshold] {
			path, err := anvilPath(ctx, keys, c.Address)
			if err == nil {
				_, err = d.enrol.EnrollWith(ctx, custody.EnrollKey{Domain: dom, Key: keys, Path: path,
					Label: "devnet custodian", Desc: "software key (devnet)"}, custody.EnrollSteps{})
			}
			if err != nil {
				d.enrolErr = fmt.Errorf("enrolling custodian %s: %w", c.Address.Hex(), err)
				return
			}
		}
	})
	if d.enrolErr != nil {
		return d.enrolErr
	}
	for _, c := range f.Custodians[:f.Threshold] {
		path, err := anvilPath(ctx, keys, c.Address)
		if err != nil {
			return err
		}
		prep, err := d.custody.Prepare(ctx, custody.ApproveRequest{Intent: in, Escrow: d.cfg.Escrow, Chain: f.Client})
		if err == nil {
			_, err = d.custody.SignAndApprove(ctx, prep, keys, path, nil)
		}
		if err != nil {
			return fmt.Errorf("custodian %s's approval: %w", c.Address.Hex(), err)
		}
		fmt.Fprintf(d.out, "custodian %s approved\n", c.Address.Hex())
	}
	return nil
}

// showBooks prints where the deals' money is, on chain and in the books, and checks the ledger.
func (d *devDeal) showBooks(ctx context.Context, deals []devdeal.Deal) error {
	f, usdt := d.f, d.f.Addresses.USDT
	tok, err := bindings.NewERC20(usdt, f.Client)
	if err != nil {
		return err
	}
	balance := func(a common.Address) (string, error) {
		v, err := tok.BalanceOf(&bind.CallOpts{Context: ctx}, a)
		return payment.FormatUnits(v, 6), err
	}
	who := []struct {
		name string
		addr common.Address
	}{{"seller", f.Seller.Address}, {"fee recipient", f.FeeRecipient.Address}, {"escrow", f.Addresses.Escrow}}
	for _, deal := range deals {
		p, err := d.payments.Get(ctx, ledger.ID(deal.Payment))
		if err != nil {
			return err
		}
		how := "the buyer confirmed"
		if deal.Silent {
			how = "the buyer stayed silent"
		}
		if deal.Dispute != uuid.Nil {
			sp, err := p.Split()
			if err != nil {
				return err
			}
			d.printf("deal      payment %s is %s (the buyer disputed, case %s): received %s USDT, buyer %s back, seller %s, commission %s (of %s), RN fee %s\n",
				p.ID, p.State, deal.Dispute, payment.FormatUnits(p.Received, 6), payment.FormatUnits(sp.Buyer, 6), payment.FormatUnits(sp.Seller, 6),
				payment.FormatUnits(sp.Fee, 6), payment.FormatUnits(p.Commission, 6), payment.FormatUnits(p.Fee, 6))
		} else {
			d.printf("deal      payment %s is %s (%s): received %s USDT, seller %s, commission %s, RN fee %s\n", p.ID, p.State, how,
				payment.FormatUnits(p.Received, 6), payment.FormatUnits(p.SellerAmount(), 6), payment.FormatUnits(p.Commission, 6),
				payment.FormatUnits(p.Fee, 6))
		}
		if c := deal.Chat; c != nil {
			d.printChat(deal.Payment, c)
		}
		who = append(who, struct {
			name string
			addr common.Address
		}{"deposit", p.Deposit})
	}
	var parts []string
	for _, w := range who {
		v, err := balance(w.addr)
		if err != nil {
			return err
		}
		parts = append(parts, fmt.Sprintf("%s %s %s USDT", w.name, w.addr.Hex(), v))
	}
	d.printf("balances  %s\n", strings.Join(parts, ", "))
	d.printf("          (the fee recipient has the RN fees, the commissions and the split's fee)\n")
	name := d.cfg.Key + ":USDT"
	tb, err := d.books.TrialBalance(ctx, name)
	if err != nil {
		return err
	}
	d.printf("ledger    %s trial balance (posted; every run's deals on this database):\n", name)
	line := func(l ledger.TrialLine, label string) {
		d.printf("          %-16s %3d accounts  debits %14s  credits %14s", label, l.Accounts,
			payment.FormatUnits(l.DebitsPosted, 6), payment.FormatUnits(l.CreditsPosted, 6))
		if l.DebitsPending.Sign() != 0 || l.CreditsPending.Sign() != 0 {
			d.printf("  pending %s / %s", payment.FormatUnits(l.DebitsPending, 6), payment.FormatUnits(l.CreditsPending, 6))
		}
		d.printf("\n")
	}
	for _, l := range tb.Lines {
		line(l, l.Code.String())
	}
	line(tb.Total, "total")
	if !tb.Balanced() {
		return fmt.Errorf("ledger %s does not balance", name)
	}
	v, err := ledger.Check(ctx, d.api)
	if err != nil {
		return err
	}
	if v != nil {
		return fmt.Errorf("ledger check failed: %s", v)
	}
	d.printf("ledger    check passed: every ledger balances and every account matches its entries\n")
	return d.reconcile(ctx)
}

// printChat prints the payment steps the buyer's socket got of the deal's chat, in the order they
// came (seq:event@payment timeline row; "replayed" if the resubscription brought it).
func (d *devDeal) printChat(pay uuid.UUID, c *devdeal.ChatLog) {
	steps := make([]string, len(c.Steps))
	for i, s := range c.Steps {
		steps[i] = s.String()
		if s.Replayed {
			steps[i] += " (replayed)"
		}
	}
	d.printf("chat      payment %s's chat %s: %d steps on the buyer's socket, resubscribed from seq %d: %s\n",
		pay, c.Chat, len(c.Steps), c.Resumed, strings.Join(steps, " "))
}

// reconcile compares, as `amn indexer reconcile` does, every deposit's and the escrow's balance
// at the final block with the books, and fails on a difference.
func (d *devDeal) reconcile(ctx context.Context) error {
	quiet := slog.New(slog.DiscardHandler)
	rpc, err := chain.NewPool(ctx, d.cfg, chain.PoolOptions{Log: quiet})
	if err != nil {
		return err
	}
	defer rpc.Close()
	reg := prometheus.NewRegistry()
	heads := indexer.NewHeadTracker(d.cfg.Chain, rpc, time.Second, indexer.NewHeadMetrics(reg), quiet)
	ix := indexer.New(d.cfg, rpc, d.indexer, payment.New(d.indexer, nil), heads, indexer.NewMetrics(reg), quiet, indexer.Options{})
	r, err := ix.Reconcile(ctx)
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	if len(r.Mismatches) > 0 {
		return fmt.Errorf("reconcile: chain %s at block %d: %d mismatches, the first %+v", r.Chain, r.Block, len(r.Mismatches), r.Mismatches[0])
	}
	d.printf("reconcile chain %s at block %d: %d balances checked, 0 mismatches\n", r.Chain, r.Block, r.Checked)
	return nil
}

// anvilPath is the BIP44 path of one of anvil's default accounts under keys (its mnemonic).
func anvilPath(ctx context.Context, keys hwwallet.Signer, addr common.Address) (hwwallet.Path, error) {
	for i := range 10 {
		path, err := hwwallet.ParsePath(fmt.Sprintf("m/44'/60'/0'/0/%d", i))
		if err != nil {
			return nil, err
		}
		if a, err := keys.Address(ctx, path); err == nil && a == addr {
			return path, nil
		}
	}
	return nil, fmt.Errorf("%s is none of anvil's default accounts", addr.Hex())
}

func (d *devDeal) printf(format string, a ...any) { fmt.Fprintf(d.out, format, a...) }
