package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/signer"
	"github.com/amanat/amn/signer/keystore"
)

// The scripted deal's terms, in USDT (6 decimals on the devnet).
const (
	devDealAmount     = "125"
	devDealFee        = "1.25" // Request Network's fee, paid beside the amount to the fee address
	devDealCommission = "2.5"  // the platform's, taken from escrow on release
	// devDealStepTimeout bounds each wait: credit, sweep, release.
	devDealStepTimeout = 90 * time.Second
)

// devDeal plays one whole deal on the local bsc chain against the running stack: it does what the
// API, the buyer's wallet, the admin and the custodians do; the indexer, the worker and the signer
// (running in the same process, wired as their roles are) do the rest.
type devDeal struct {
	p        *process
	out      io.Writer
	f        *devnet.Fixture
	cfg      chain.Config
	payments *payment.Service
	store    *intent.Store    // the API's and the admin's
	follower *intent.Store    // the worker's signer_follow
	custody  *custody.Service // the custodians' approvals (as amn_api, as a custodian's machine logs in)
	enrol    *custody.Service // the custodians' enrolment (as amn_custody)
	books    *ledger.Ledger
	api      *pgxpool.Pool
	start    time.Time

	// what has been printed already
	timeline int
	intents  map[uuid.UUID]intent.State
	txs      map[string]string
}

func newDevDeal(p *process, out io.Writer, f *devnet.Fixture, reg *chain.Registry, keys *keystore.Keys, pools devPools) (*devDeal, error) {
	cfg, err := reg.Get(fmt.Sprint(f.ChainID))
	if err != nil {
		return nil, err
	}
	// The API's view of the deposit wallet: the account xpub only.
	deriver, err := hd.ParseXpub(keys.Ring.Xpub())
	if err != nil {
		return nil, err
	}
	// The API's part (payments, intents, approvals, the books' reports) works as the API's role,
	// the follow pass as the worker's.
	payments := payment.New(pools.api, deriver)
	store := intent.NewStore(pools.api, payments, signer.TxRecord{})
	custodyPayments := payment.New(pools.custody, nil)
	return &devDeal{p: p, out: out, f: f, cfg: cfg, payments: payments, store: store,
		follower: intent.NewStore(pools.worker, payment.New(pools.worker, nil), signer.TxRecord{}), books: ledger.New(pools.api), api: pools.api,
		custody: custody.New(pools.api, store, payments),
		enrol:   custody.New(pools.custody, intent.NewStore(pools.custody, custodyPayments, nil), custodyPayments),
		intents: map[uuid.UUID]intent.State{}, txs: map[string]string{}}, nil
}

func (d *devDeal) printf(format string, a ...any) { fmt.Fprintf(d.out, format, a...) }

func (d *devDeal) since() string { return time.Since(d.start).Round(100 * time.Millisecond).String() }

// run plays the deal once; a failure is printed and logged, and the stack keeps serving.
func (d *devDeal) run(ctx context.Context) {
	d.start = time.Now()
	if err := d.play(ctx); err != nil {
		if ctx.Err() != nil {
			return
		}
		d.printf("deal      FAILED after %s: %v\n", d.since(), err)
		d.p.log.Error("the scripted deal failed", "err", err)
		return
	}
	d.printf("deal      complete in %s; the stack keeps serving until Ctrl-C\n", d.since())
}

func (d *devDeal) play(ctx context.Context) error {
	p, co, err := d.offerAndCheckout(ctx)
	if err != nil {
		return err
	}
	if err := d.buyerPays(ctx, co); err != nil {
		return err
	}
	if err := d.awaitEscrow(ctx, p); err != nil {
		return err
	}
	in, err := d.releaseApproved(ctx, p)
	if err != nil {
		return err
	}
	if err := d.awaitRelease(ctx, p, in); err != nil {
		return err
	}
	return d.showBooks(ctx, p)
}

// offerAndCheckout is what the API does: the buyer accepted the seller's offer, which the
// seller's payout wallet signed; a payment, its checkout signed by the buyer's wallet (the refund
// address), and the checkout block.
func (d *devDeal) offerAndCheckout(ctx context.Context) (*payment.Payment, *payment.Checkout, error) {
	f, usdt := d.f, d.f.Addresses.USDT
	units := func(s string) *big.Int {
		v, err := payment.ParseUnits(s, 6)
		if err != nil {
			panic(err) // constants above
		}
		return v
	}
	buyer := f.Buyers[0]
	salt := make([]byte, 8)
	if _, err := rand.Read(salt); err != nil {
		return nil, nil, err
	}
	offer := "dev-offer-" + uuid.NewString()
	d.printf("deal      on %s (chain %d): buyer %s pays seller %s %s USDT through Request Network's ERC20FeeProxy\n",
		d.cfg.Key, f.ChainID, buyer.Address.Hex(), f.Seller.Address.Hex(), devDealAmount)

	n := payment.NewPayment{
		BuyerRef: "dev-buyer", OfferRef: offer, SellerAddress: f.Seller.Address,
		ChainID: f.ChainID, ChainKey: d.cfg.Key, Token: usdt, TokenSymbol: "USDT", Decimals: 6,
		Amount: units(devDealAmount), Fee: units(devDealFee), FeeAddress: f.FeeRecipient.Address,
		Commission: units(devDealCommission), RequestID: "dev-request-" + uuid.NewString(), Salt: hex.EncodeToString(salt),
		TTL: time.Hour,
	}
	offerDigest, err := n.Offer().Digest()
	if err != nil {
		return nil, nil, err
	}
	sellerSig, err := escrow.Sign(offerDigest, f.Seller.Key)
	if err != nil {
		return nil, nil, err
	}
	n.SellerSignature = sellerSig.Signature
	d.printf("seller    %s signed the offer (EIP-712 Offer, digest %s)\n", f.Seller.Address.Hex(), offerDigest.Hex())
	p, err := d.payments.Create(ctx, n)
	if err != nil {
		return nil, nil, fmt.Errorf("creating the payment: %w", err)
	}
	d.printf("payment   %s created: deposit %s (index %d), reference %s, %s USDT + RN fee %s, commission %s\n",
		p.ID, p.Deposit.Hex(), p.DepositIndex, p.Reference, devDealAmount, devDealFee, devDealCommission)
	checkoutDigest, err := p.CheckoutTerms().Digest()
	if err != nil {
		return nil, nil, err
	}
	buyerSig, err := escrow.Sign(checkoutDigest, buyer.Key)
	if err != nil {
		return nil, nil, err
	}
	if p, err = d.payments.ProveBuyer(ctx, p.ID, buyer.Address, buyerSig.Signature); err != nil {
		return nil, nil, fmt.Errorf("the buyer's checkout signature: %w", err)
	}
	d.printf("buyer     %s signed the checkout (EIP-712 Checkout, digest %s): refunds go there\n", p.BuyerAddress.Hex(), checkoutDigest.Hex())
	if _, err := d.report(ctx, p.ID); err != nil {
		return nil, nil, err
	}
	co, err := payment.NewCheckout(payment.CheckoutRequest{ChainID: f.ChainID, Token: usdt, Decimals: 6,
		Amount: p.Amount, Fee: p.Fee, Deposit: p.Deposit, Reference: p.Reference, FeeProxy: f.Addresses.ERC20FeeProxy,
		FeeAddress: p.FeeAddress})
	if err != nil {
		return nil, nil, fmt.Errorf("checkout: %w", err)
	}
	b, err := json.MarshalIndent(co, "          ", "  ")
	if err != nil {
		return nil, nil, err
	}
	d.printf("checkout  %s\n", b)
	return p, co, nil
}

// buyerPays has the buyer's wallet send the checkout's transactions as they are.
func (d *devDeal) buyerPays(ctx context.Context, co *payment.Checkout) error {
	f, buyer := d.f, d.f.Buyers[0]
	for _, c := range co.Transactions {
		value, ok := new(big.Int).SetString(c.Value, 10)
		if !ok {
			return fmt.Errorf("checkout %s: value %q", c.Purpose, c.Value)
		}
		r, err := f.Send(ctx, buyer, c.To, c.Data, value)
		if err != nil {
			return fmt.Errorf("buyer's %s: %w", c.Purpose, err)
		}
		d.printf("buyer     %-8s tx %s (block %d, gas %d)\n", c.Purpose, r.TxHash.Hex(), r.BlockNumber, r.GasUsed)
	}
	return nil
}

// awaitEscrow waits while the indexer credits the payment at finality (funded, with a
// payment_sweep job), the worker turns the job into a sweep intent, the signer tops up gas,
// approves and funds AmnEscrow, and the indexer sees the Funded event at finality (in_escrow).
func (d *devDeal) awaitEscrow(ctx context.Context, p *payment.Payment) error {
	if err := d.await(ctx, p.ID, payment.InEscrow, "the indexer's credit, the worker's sweep intent, the signer's sweep and the Funded event", nil); err != nil {
		return err
	}
	return d.awaitIntentClosed(ctx, p.ID)
}

// releaseApproved asks for the release (as `amn admin release` does) and has the fixture's
// custodians approve exactly the intent's EIP-712 digest.
func (d *devDeal) releaseApproved(ctx context.Context, p *payment.Payment) (*intent.Intent, error) {
	f := d.f
	in, _, err := d.store.RequestRelease(ctx, p.ID, intent.RequestOptions{Actor: "amn-dev", Contract: d.cfg.Escrow})
	if err != nil {
		return nil, fmt.Errorf("requesting the release: %w", err)
	}
	digest, err := in.Digest()
	if err != nil {
		return nil, err
	}
	d.intents[in.ID] = in.State
	d.printf("release   intent %s (%s): seller %s gets %s USDT, fee recipient %s gets %s USDT; EIP-712 digest %s\n",
		in.ID, in.State, in.Seller.Hex(), payment.FormatUnits(in.SellerAmount, 6), in.FeeRecipient.Hex(),
		payment.FormatUnits(in.FeeAmount, 6), digest.Hex())
	// The custodians approve as `amn custody approve` does (custody.Prepare, SignAndApprove):
	// enrolled first, their membership and the escrow read from the chain. Their keys are
	// anvil's default accounts, software keys on a devnet.
	keys, err := hwwallet.NewSoftwareSigner(devnet.AnvilMnemonic, "")
	if err != nil {
		return nil, err
	}
	for _, c := range f.Custodians[:f.Threshold] {
		path, err := anvilPath(ctx, keys, c.Address)
		if err != nil {
			return nil, err
		}
		dom := escrow.Domain{ChainID: f.ChainID, Contract: d.cfg.Escrow}
		if _, err := d.enrol.EnrollWith(ctx, custody.EnrollKey{Domain: dom, Key: keys, Path: path,
			Label: "devnet custodian", Desc: "software key (devnet)"}, custody.EnrollSteps{}); err != nil {
			return nil, fmt.Errorf("enrolling custodian %s: %w", c.Address.Hex(), err)
		}
		prep, err := d.custody.Prepare(ctx, custody.ApproveRequest{Intent: in.ID, Escrow: d.cfg.Escrow, Chain: f.Client})
		if err != nil {
			return nil, fmt.Errorf("custodian %s's approval: %w", c.Address.Hex(), err)
		}
		if _, err := d.custody.SignAndApprove(ctx, prep, keys, path, nil); err != nil {
			return nil, fmt.Errorf("custodian %s's approval: %w", c.Address.Hex(), err)
		}
		d.printf("custodian %s approved\n", c.Address.Hex())
	}
	return in, nil
}

// awaitRelease waits while the signer re-verifies and releases, the worker's signer_follow moves
// the payment to releasing, and the indexer posts it at the Released event's finality.
func (d *devDeal) awaitRelease(ctx context.Context, p *payment.Payment, in *intent.Intent) error {
	follow := func(ctx context.Context) error {
		// The worker runs signer_follow every 5 s. On these chains the release is final about
		// three blocks after it is sent, which can be sooner: if the indexer applied the final
		// Released event while the payment still were release_pending, it would refuse it and the
		// payment would stay releasing. So the deal runs the same pass (idempotent, safe next to
		// the worker's) as soon as the signer has started the release.
		cur, err := d.store.Get(ctx, in.ID)
		if err != nil || cur.State == intent.AwaitingApprovals || cur.State == intent.Pending || cur.State == intent.Approved {
			return err
		}
		_, err = d.follower.Follow(ctx)
		return err
	}
	if err := d.await(ctx, p.ID, payment.Released, "the signer's release and the Released event", follow); err != nil {
		return err
	}
	return d.awaitIntentClosed(ctx, p.ID)
}

// showBooks prints where the money is, on chain and in the books, and checks the ledger.
func (d *devDeal) showBooks(ctx context.Context, p *payment.Payment) error {
	f, usdt := d.f, d.f.Addresses.USDT
	p, err := d.payments.Get(ctx, p.ID)
	if err != nil {
		return err
	}
	d.printf("deal      payment %s is %s: received %s USDT, seller %s, commission %s\n", p.ID, p.State,
		payment.FormatUnits(p.Received, 6), payment.FormatUnits(p.SellerAmount(), 6), payment.FormatUnits(p.Commission, 6))
	tok, err := bindings.NewERC20(usdt, f.Client)
	if err != nil {
		return err
	}
	balance := func(a common.Address) (string, error) {
		v, err := tok.BalanceOf(&bind.CallOpts{Context: ctx}, a)
		return payment.FormatUnits(v, 6), err
	}
	var parts []string
	for _, who := range []struct {
		name string
		addr common.Address
	}{{"seller", f.Seller.Address}, {"fee recipient", f.FeeRecipient.Address}, {"escrow", f.Addresses.Escrow}, {"deposit", p.Deposit}} {
		v, err := balance(who.addr)
		if err != nil {
			return err
		}
		parts = append(parts, fmt.Sprintf("%s %s %s USDT", who.name, who.addr.Hex(), v))
	}
	d.printf("balances  %s\n", strings.Join(parts, ", "))
	d.printf("          (the fee recipient has the RN fee %s and the commission %s)\n", devDealFee, devDealCommission)
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

// await polls until the payment reaches want, printing every new timeline row, intent state and
// transaction as it appears, and a line every few seconds while nothing moves. each, when set,
// runs on every poll.
// awaitIntentClosed waits until the payment has no open sweep, release or refund intent. The
// signer records a step final at the same finality the indexer books its event at, so either may
// come first; a release asked while the sweep intent is still open is refused.
func (d *devDeal) awaitIntentClosed(ctx context.Context, id ledger.ID) error {
	deadline := time.Now().Add(devDealStepTimeout)
	for {
		if _, err := d.store.OpenFor(ctx, id); errors.Is(err, intent.ErrNotFound) {
			_, err = d.report(ctx, id)
			return err
		} else if err != nil {
			return err
		}
		if _, err := d.report(ctx, id); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("payment %s still has an open intent after %s", id, devDealStepTimeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (d *devDeal) await(ctx context.Context, id ledger.ID, want payment.State, what string, each func(context.Context) error) error {
	d.printf("waiting   for %s …\n", what)
	began := time.Now()
	deadline := began.Add(devDealStepTimeout)
	lastNews := began
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		news, err := d.report(ctx, id)
		if err != nil {
			return err
		}
		if news {
			lastNews = time.Now()
		}
		p, err := d.payments.Get(ctx, id)
		if err != nil {
			return err
		}
		if p.State == want {
			return nil
		}
		if each != nil {
			if err := each(ctx); err != nil {
				return err
			}
		}
		for iid, st := range d.intents {
			if st == intent.Rejected {
				in, err := d.store.Get(ctx, iid)
				if err != nil {
					return err
				}
				return fmt.Errorf("the signer rejected %s intent %s: %s", in.Kind, iid, in.Reason)
			}
		}
		now := time.Now()
		if now.After(deadline) {
			return fmt.Errorf("payment %s is still %s after %s waiting for %s", id, p.State, devDealStepTimeout, what)
		}
		if now.Sub(lastNews) >= 5*time.Second {
			d.printf("          … still %s after %s\n", p.State, now.Sub(began).Round(time.Second))
			lastNews = now
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// report prints what happened since the last call: the payment's new timeline rows, its intents'
// new states and their transactions.
func (d *devDeal) report(ctx context.Context, id ledger.ID) (bool, error) {
	news := false
	rows, err := d.payments.Timeline(ctx, id)
	if err != nil {
		return false, err
	}
	for _, r := range rows[min(d.timeline, len(rows)):] {
		from := string(r.From)
		if from == "" {
			from = "·"
		}
		d.printf("%-9s %s → %s by %s (%s) %s [%s]\n", "payment", from, r.To, r.Actor, r.Event, r.Reason, d.since())
		news = true
	}
	d.timeline = len(rows)
	list, err := d.store.List(ctx, intent.Filter{PaymentID: id})
	if err != nil {
		return news, err
	}
	for _, in := range list {
		if st, ok := d.intents[in.ID]; !ok || st != in.State {
			d.intents[in.ID] = in.State
			if !ok {
				d.printf("intent    %s %s by %s: %s [%s]\n", in.Kind, in.ID, in.RequestedBy, in.State, d.since())
			} else {
				d.printf("intent    %s %s: %s%s [%s]\n", in.Kind, in.ID, in.State, reasonSuffix(in.Reason), d.since())
			}
			news = true
		}
		txs, err := d.store.Txs(ctx, in.ID)
		if err != nil {
			return news, err
		}
		for _, t := range txs {
			if d.txs[t.Hash] == t.State {
				continue
			}
			d.txs[t.Hash] = t.State
			block := ""
			if t.BlockNumber != nil {
				block = fmt.Sprintf(" block %d", *t.BlockNumber)
			}
			d.printf("signer    %-9s %s tx %s from %s nonce %d: %s%s [%s]\n", t.Step, in.Kind, t.Hash, t.Sender, t.Nonce, t.State, block, d.since())
			news = true
		}
	}
	return news, nil
}

func reasonSuffix(r string) string {
	if r == "" {
		return ""
	}
	return " (" + r + ")"
}
