package ledger

import (
	"errors"
	"fmt"
)

// Error kinds. Test for them with errors.Is; the concrete error (a *TransferError or an
// *AccountError) says which transfer or account failed. They are of no kind of package kind: the
// ledger is called by domain packages, whose own errors say what the asker can act on; one of
// these reaching a command or the API means the books refused something, a failure.
var (
	// ErrInvalid: the request itself is malformed (zero id, amount ≤ 0, debit = credit, bad
	// flag combination, open linked chain, …). Retrying cannot help.
	ErrInvalid = errors.New("invalid request")
	// ErrIDReused: the id is already recorded with different content.
	ErrIDReused = errors.New("id already used with different content")
	// ErrAccountNotFound: a transfer names an account that does not exist.
	ErrAccountNotFound = errors.New("account not found")
	// ErrLedgerMismatch: the two accounts (or the transfer's Ledger) are in different ledgers.
	ErrLedgerMismatch = errors.New("ledger mismatch")
	// ErrInsufficientFunds: the debit would break DebitsMustNotExceedCredits.
	ErrInsufficientFunds = errors.New("insufficient funds")
	// ErrExceedsDebits: the credit would break CreditsMustNotExceedDebits.
	ErrExceedsDebits = errors.New("credits would exceed debits")
	// ErrPendingNotFound: PendingID names no pending transfer.
	ErrPendingNotFound = errors.New("pending transfer not found")
	// ErrPendingMismatch: a post/void names accounts, a ledger or a code other than the pending
	// transfer's.
	ErrPendingMismatch = errors.New("does not match the pending transfer")
	// ErrAlreadyResolved: the pending transfer was already posted or voided.
	ErrAlreadyResolved = errors.New("pending transfer already resolved")
	// ErrPendingExpired: the pending transfer's timeout has passed (it is, or will be, voided).
	ErrPendingExpired = errors.New("pending transfer expired")
	// ErrExceedsPending: a post asks for more than the pending amount.
	ErrExceedsPending = errors.New("amount exceeds the pending amount")
	// ErrLinkedEventFailed: another transfer of the same linked chain failed.
	ErrLinkedEventFailed = errors.New("another transfer of the linked chain failed")
	// ErrTransferNotFound: no transfer has the id (lookups).
	ErrTransferNotFound = errors.New("transfer not found")
)

// TransferError says which transfer of a batch failed, and on which account if one is to blame.
type TransferError struct {
	Index   int // position in the batch
	ID      ID
	Account ID // zero unless an account is to blame
	Err     error
}

func (e *TransferError) Error() string {
	if !e.Account.IsZero() {
		return fmt.Sprintf("ledger: transfer %d (%s): account %s: %v", e.Index, e.ID, e.Account, e.Err)
	}
	return fmt.Sprintf("ledger: transfer %d (%s): %v", e.Index, e.ID, e.Err)
}

func (e *TransferError) Unwrap() error { return e.Err }

// AccountError says which account of CreateAccounts failed.
type AccountError struct {
	Index int
	ID    ID
	Err   error
}

func (e *AccountError) Error() string {
	return fmt.Sprintf("ledger: account %d (%s): %v", e.Index, e.ID, e.Err)
}

func (e *AccountError) Unwrap() error { return e.Err }

// invalid builds an ErrInvalid with a reason.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}
