package intent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// arbiterLockKey serialises the freeze and unfreeze requests of one payment (with the payment id).
const arbiterLockKey = "amn/freeze/"

// RequestFreeze asks the signer to freeze a disputed payment's escrow on chain: a pending freeze
// intent. While one is open for the payment, it is returned (created = false). The signer checks
// for itself that the payment is disputed and its escrow open and not frozen.
func (s *Store) RequestFreeze(ctx context.Context, paymentID ledger.ID, contract common.Address, actor string) (*Intent, bool, error) {
	if actor == "" {
		actor = "worker:dispute"
	}
	return s.requestArbiter(ctx, Freeze, paymentID, contract, actor, func(p *payment.Payment) error {
		if p.State != payment.Disputed {
			return fmt.Errorf("payment %s is %s, not disputed: %w", paymentID, p.State, ErrPaymentState)
		}
		return nil
	})
}

// RequestUnfreeze asks the signer to lift the freeze of a payment's escrow after its dispute was
// resumed: a pending unfreeze intent (one open per payment, as with freezes). The signer checks
// for itself that the payment is no longer disputed and its escrow open and frozen.
func (s *Store) RequestUnfreeze(ctx context.Context, paymentID ledger.ID, contract common.Address, actor string) (*Intent, bool, error) {
	if actor == "" {
		actor = "worker:resume"
	}
	return s.requestArbiter(ctx, Unfreeze, paymentID, contract, actor, func(p *payment.Payment) error {
		if p.State == payment.Disputed {
			return fmt.Errorf("payment %s is still disputed: %w", paymentID, ErrPaymentState)
		}
		return nil
	})
}

// requestArbiter records a pending freeze or unfreeze intent of a payment, or returns the open one.
func (s *Store) requestArbiter(ctx context.Context, kind Kind, paymentID ledger.ID, contract common.Address, actor string,
	allowed func(*payment.Payment) error) (*Intent, bool, error) {
	if contract == (common.Address{}) {
		return nil, false, ErrNoEscrow
	}
	p, err := s.payments.Get(ctx, paymentID)
	if err != nil {
		return nil, false, err
	}
	if err := allowed(p); err != nil {
		return nil, false, err
	}
	in := &Intent{ID: uuid.New(), Kind: kind, PaymentID: p.ID, ChainID: p.ChainID, Contract: contract, Token: p.Token,
		State: Pending, RequestedBy: actor}
	var out *Intent
	created := false
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		created = false
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, arbiterLockKey+p.ID.String()); err != nil {
			return err
		}
		open, err := Scan(tx.QueryRow(ctx, `SELECT `+Columns+` FROM signer_intents WHERE payment_id = $1 AND kind = $2
			AND state NOT IN ('done', 'rejected') LIMIT 1`, p.ID, string(kind)))
		if err == nil {
			out = open
			return nil
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO signer_intents (id, kind, payment_id, chain_id, contract, token, state, requested_by)
			VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)`,
			in.ID, string(in.Kind), in.PaymentID, in.ChainID, hexAddr(in.Contract), hexAddr(in.Token), in.RequestedBy); err != nil {
			return err
		}
		created = true
		out, err = Scan(tx.QueryRow(ctx, `SELECT `+Columns+` FROM signer_intents WHERE id = $1`, in.ID))
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("intent: recording a%s of payment %s: %w", map[Kind]string{Freeze: " freeze", Unfreeze: "n unfreeze"}[kind], paymentID, err)
	}
	return out, created, nil
}

// FreezeWorker works payment_freeze jobs (queue payment.SweepQueue, enqueued by payment.Dispute):
// it records a freeze intent for the signer. A payment no longer disputed when the job runs needs
// none.
type FreezeWorker struct {
	river.WorkerDefaults[payment.FreezeArgs]
	Intents *Store
	// Escrow gives each chain's AmnEscrow contract (the chain registry's Escrow field).
	Escrow func(chainID uint64) common.Address
	Log    *slog.Logger
}

// Work records the intent; repeating it returns the open one.
func (w *FreezeWorker) Work(ctx context.Context, job *river.Job[payment.FreezeArgs]) error {
	p, contract, err := w.Intents.arbiterJob(ctx, "payment_freeze", job.Args.PaymentID, w.Escrow, w.Log)
	if err != nil {
		return err
	}
	if p.State != payment.Disputed {
		w.Log.Info("freeze not needed: payment no longer disputed", "payment_id", p.ID.String(), "state", p.State)
		return nil
	}
	in, created, err := w.Intents.RequestFreeze(ctx, p.ID, contract, "worker:dispute")
	if err != nil {
		return err
	}
	if created {
		w.Log.Info("freeze intent recorded", "payment_id", p.ID.String(), "intent_id", in.ID.String())
	}
	return nil
}

// UnfreezeWorker works payment_unfreeze jobs (queue payment.SweepQueue, enqueued by
// payment.Resolve when a dispute is resumed): it records an unfreeze intent for the signer once no
// freeze of the payment is still open (a freeze mined after the unfreeze would freeze the escrow
// again). A payment disputed again when the job runs needs none.
type UnfreezeWorker struct {
	river.WorkerDefaults[payment.UnfreezeArgs]
	Intents *Store
	// Escrow gives each chain's AmnEscrow contract (the chain registry's Escrow field).
	Escrow func(chainID uint64) common.Address
	Log    *slog.Logger
}

// Work records the intent, or waits while a freeze of the payment is open; repeating it returns
// the open unfreeze.
func (w *UnfreezeWorker) Work(ctx context.Context, job *river.Job[payment.UnfreezeArgs]) error {
	p, contract, err := w.Intents.arbiterJob(ctx, "payment_unfreeze", job.Args.PaymentID, w.Escrow, w.Log)
	if err != nil {
		return err
	}
	if p.State == payment.Disputed {
		w.Log.Info("unfreeze not needed: payment disputed again", "payment_id", p.ID.String())
		return nil
	}
	freezes, err := w.Intents.List(ctx, Filter{Kind: Freeze, PaymentID: p.ID})
	if err != nil {
		return err
	}
	for _, f := range freezes {
		if f.State != Done && f.State != Rejected {
			w.Log.Info("unfreeze waits for the open freeze", "payment_id", p.ID.String(), "freeze_intent", f.ID.String())
			return river.JobSnooze(15 * time.Second)
		}
	}
	in, created, err := w.Intents.RequestUnfreeze(ctx, p.ID, contract, "worker:resume")
	if err != nil {
		return err
	}
	if created {
		w.Log.Info("unfreeze intent recorded", "payment_id", p.ID.String(), "intent_id", in.ID.String())
	}
	return nil
}

// arbiterJob reads the payment of a freeze or unfreeze job and its chain's escrow contract. On an
// error the job returns it: cancelled (bad id, no such payment), snoozed (no escrow configured
// for the chain) or retried.
func (s *Store) arbiterJob(ctx context.Context, kind, paymentID string, escrow func(uint64) common.Address, log *slog.Logger) (*payment.Payment, common.Address, error) {
	id, err := ledger.ParseID(paymentID)
	if err != nil {
		return nil, common.Address{}, river.JobCancel(fmt.Errorf("%s: bad payment id %q: %w", kind, paymentID, err))
	}
	p, err := s.payments.Get(ctx, id)
	if errors.Is(err, payment.ErrNotFound) {
		return nil, common.Address{}, river.JobCancel(err)
	}
	if err != nil {
		return nil, common.Address{}, err
	}
	contract := escrow(p.ChainID)
	if contract == (common.Address{}) {
		log.Warn(kind+" waits: no escrow contract configured for the chain", "payment_id", id.String(), "chain_id", p.ChainID)
		return nil, common.Address{}, river.JobSnooze(10 * time.Minute)
	}
	return p, contract, nil
}
