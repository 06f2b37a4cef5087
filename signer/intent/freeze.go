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

// freezeLockKey serialises freeze requests of one payment (with the payment id).
const freezeLockKey = "amn/freeze/"

// RequestFreeze asks the signer to freeze a disputed payment's escrow on chain: a pending freeze
// intent. While one is open for the payment, it is returned (created = false). The signer checks
// for itself that the payment is disputed and its escrow open and not frozen.
func (s *Store) RequestFreeze(ctx context.Context, paymentID ledger.ID, contract common.Address, actor string) (*Intent, bool, error) {
	if contract == (common.Address{}) {
		return nil, false, ErrNoEscrow
	}
	if actor == "" {
		actor = "worker:dispute"
	}
	p, err := s.payments.Get(ctx, paymentID)
	if err != nil {
		return nil, false, err
	}
	if p.State != payment.Disputed {
		return nil, false, fmt.Errorf("payment %s is %s, not disputed: %w", paymentID, p.State, ErrPaymentState)
	}
	in := &Intent{ID: uuid.New(), Kind: Freeze, PaymentID: p.ID, ChainID: p.ChainID, Contract: contract, Token: p.Token,
		State: Pending, RequestedBy: actor}
	var out *Intent
	created := false
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		created = false
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, freezeLockKey+p.ID.String()); err != nil {
			return err
		}
		open, err := Scan(tx.QueryRow(ctx, `SELECT `+Columns+` FROM signer_intents WHERE payment_id = $1 AND kind = 'freeze'
			AND state NOT IN ('done', 'rejected') LIMIT 1`, p.ID))
		if err == nil {
			out = open
			return nil
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO signer_intents (id, kind, payment_id, chain_id, contract, token, state, requested_by)
			VALUES ($1, 'freeze', $2, $3, $4, $5, 'pending', $6)`,
			in.ID, in.PaymentID, in.ChainID, hexAddr(in.Contract), hexAddr(in.Token), in.RequestedBy); err != nil {
			return err
		}
		created = true
		out, err = Scan(tx.QueryRow(ctx, `SELECT `+Columns+` FROM signer_intents WHERE id = $1`, in.ID))
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("intent: recording a freeze of payment %s: %w", paymentID, err)
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
	id, err := ledger.ParseID(job.Args.PaymentID)
	if err != nil {
		return river.JobCancel(fmt.Errorf("payment_freeze: bad payment id %q: %w", job.Args.PaymentID, err))
	}
	p, err := w.Intents.payments.Get(ctx, id)
	if errors.Is(err, payment.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if p.State != payment.Disputed {
		w.Log.Info("freeze not needed: payment no longer disputed", "payment_id", id.String(), "state", p.State)
		return nil
	}
	contract := w.Escrow(p.ChainID)
	if contract == (common.Address{}) {
		w.Log.Warn("freeze waits: no escrow contract configured for the chain", "payment_id", id.String(), "chain_id", p.ChainID)
		return river.JobSnooze(10 * time.Minute)
	}
	in, created, err := w.Intents.RequestFreeze(ctx, id, contract, "worker:dispute")
	if err != nil {
		return err
	}
	if created {
		w.Log.Info("freeze intent recorded", "payment_id", id.String(), "intent_id", in.ID.String())
	}
	return nil
}
