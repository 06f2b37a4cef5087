package intent

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/ledger"
)

// The signer's side of the queue: what the signer reads of intents and their approvals, and the
// columns only it may move (state, reason, signed_at, the gas used). The signer reads with its own
// pool and writes only inside its fenced transaction (the writes take a pgx.Tx, never a pool: a
// write outside the transaction that checks the signer's epoch would escape the fence), so each
// runs as its database role, amn_signer, which may update nothing else. They return rows as
// stored: the signer trusts none of them, and checks every intent against the chain, its keys and
// its policy before it signs (package signer).

// Statements of the signer's side.
const (
	// queueSQL selects every open intent, oldest first.
	queueSQL = `SELECT ` + Columns + ` FROM signer_intents WHERE state NOT IN ('done', 'rejected') ORDER BY created_at, id`
	// countApprovalsSQL counts intent $1's approvals.
	countApprovalsSQL = `SELECT count(*) FROM custody_approvals WHERE intent_id = $1`
	// moveSQL moves intent $1 from state $2 to $3 with reason $4.
	moveSQL = `UPDATE signer_intents SET state = $3, reason = $4, updated_at = now() WHERE id = $1 AND state = $2`
	// markSigningSQL: intent $1 is being signed; signed_at keeps the first signature's time.
	markSigningSQL = `UPDATE signer_intents SET state = 'signing', signed_at = coalesce(signed_at, now()), updated_at = now()
		WHERE id = $1`
	// markBroadcastSQL: intent $1's transaction was sent.
	markBroadcastSQL = `UPDATE signer_intents SET state = 'broadcast', updated_at = now() WHERE id = $1 AND state IN ('signing', 'approved')`
	// addGasSQL adds a mined transaction's gas ($2) and cost in wei ($3) to intent $1.
	addGasSQL = `UPDATE signer_intents SET gas_used = gas_used + $2, gas_cost = gas_cost + $3, updated_at = now() WHERE id = $1`
	// sweepInFlightSQL: payment $1 has a sweep being signed, sent or confirmed.
	sweepInFlightSQL = `SELECT EXISTS (SELECT 1 FROM signer_intents WHERE payment_id = $1 AND kind = 'sweep'
		AND state IN ('signing', 'broadcast', 'confirmed'))`
	// ofPaymentSQL selects payment $1's intents of kind $2, oldest first.
	ofPaymentSQL = `SELECT ` + Columns + ` FROM signer_intents WHERE payment_id = $1 AND kind = $2 ORDER BY created_at, id`
	// gasToppedUpSQL sums chain $1's gas top-ups signed in the last 24 hours, or verified and about
	// to be signed, but intent $2.
	gasToppedUpSQL = `SELECT coalesce(sum(amount), 0) FROM signer_intents
		WHERE chain_id = $1 AND kind = 'gas_topup' AND id <> $2 AND state <> 'rejected'
		AND (signed_at > now() - interval '24 hours' OR (signed_at IS NULL AND state = 'approved'))`
	// paidOutSQL sums what the releases, refunds and settles of token $2 on chain $1 signed in the last 24
	// hours pay out, but intent $3.
	paidOutSQL = `SELECT coalesce(sum(coalesce(seller_amount, 0) + coalesce(fee_amount, 0) + coalesce(buyer_amount, 0) +
		CASE WHEN kind = 'refund' THEN coalesce(amount, 0) ELSE 0 END), 0)
		FROM signer_intents WHERE chain_id = $1 AND token = $2 AND kind IN ('release', 'refund', 'settle')
		AND signed_at > now() - interval '24 hours' AND state <> 'rejected' AND id <> $3`
	// approvalUsedSQL finds a signed intent but $2 that has one of the signatures $1.
	approvalUsedSQL = `SELECT a.intent_id::text FROM custody_approvals a JOIN signer_intents i ON i.id = a.intent_id
		WHERE a.signature = ANY($1) AND a.intent_id <> $2 AND i.signed_at IS NOT NULL LIMIT 1`
)

// Queue returns every open intent (neither done nor rejected), oldest first.
func Queue(ctx context.Context, q Querier) ([]*Intent, error) {
	return collect(q.Query(ctx, queueSQL))
}

// OfPayment returns the payment's intents of one kind, in any state, oldest first.
func OfPayment(ctx context.Context, q Querier, paymentID ledger.ID, k Kind) ([]*Intent, error) {
	return collect(q.Query(ctx, ofPaymentSQL, paymentID, string(k)))
}

// collect scans rows of Columns.
func collect(rows pgx.Rows, err error) ([]*Intent, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Intent
	for rows.Next() {
		in, err := Scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// CountApprovals counts the approvals stored for an intent.
func CountApprovals(ctx context.Context, q Querier, intentID uuid.UUID) (int, error) {
	var n int
	err := q.QueryRow(ctx, countApprovalsSQL, intentID).Scan(&n)
	return n, err
}

// Move moves an intent from one state to another with a reason; it reports false, and changes
// nothing, when the intent is not in from (someone else moved it).
func Move(ctx context.Context, x pgx.Tx, id uuid.UUID, from, to State, reason string) (bool, error) {
	tag, err := x.Exec(ctx, moveSQL, id, string(from), string(to), reason)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

// MarkSigning records that an intent is being signed (signed_at keeps the first signature's time).
func MarkSigning(ctx context.Context, x pgx.Tx, id uuid.UUID) error {
	_, err := x.Exec(ctx, markSigningSQL, id)
	return err
}

// MarkBroadcast records that an intent's transaction was sent, if it was approved or signing.
func MarkBroadcast(ctx context.Context, x pgx.Tx, id uuid.UUID) error {
	_, err := x.Exec(ctx, markBroadcastSQL, id)
	return err
}

// AddGas adds a mined transaction's gas and its cost (wei) to the intent's totals.
func AddGas(ctx context.Context, x pgx.Tx, id uuid.UUID, gasUsed uint64, cost *big.Int) error {
	_, err := x.Exec(ctx, addGasSQL, id, int64(gasUsed), db.Numeric(cost))
	return err
}

// SweepInFlight reports whether a sweep of the payment is being signed, sent or confirmed.
func SweepInFlight(ctx context.Context, q Querier, paymentID ledger.ID) (bool, error) {
	var yes bool
	err := q.QueryRow(ctx, sweepInFlightSQL, paymentID).Scan(&yes)
	return yes, err
}

// GasToppedUp sums (wei) the chain's gas top-ups signed in the last 24 hours, or verified and about
// to be signed, leaving out the intent except.
func GasToppedUp(ctx context.Context, q Querier, chainID uint64, except uuid.UUID) (*big.Int, error) {
	var n db.Amount
	if err := q.QueryRow(ctx, gasToppedUpSQL, chainID, except).Scan(&n); err != nil {
		return nil, err
	}
	return n.V, nil
}

// PaidOut sums what the releases and refunds of token on the chain signed in the last 24 hours
// pay out (seller and fee amounts, refunded amounts), leaving out the intent except.
func PaidOut(ctx context.Context, q Querier, chainID uint64, token common.Address, except uuid.UUID) (*big.Int, error) {
	var n db.Amount
	if err := q.QueryRow(ctx, paidOutSQL, chainID, hexAddr(token), except).Scan(&n); err != nil {
		return nil, err
	}
	return n.V, nil
}

// ApprovalUsed returns the id of a signed intent other than except that has one of the
// signatures among its approvals; found is false when there is none.
func ApprovalUsed(ctx context.Context, q Querier, signatures [][]byte, except uuid.UUID) (id string, found bool, err error) {
	err = q.QueryRow(ctx, approvalUsedSQL, signatures, except).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("intent: approvals used before: %w", err)
	}
	return id, true, nil
}
