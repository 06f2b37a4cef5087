package ledger

import (
	"fmt"

	"github.com/amanat/amn/kind"
)

// Error kinds. Test for them with errors.Is; the concrete error (a *TransferError or an
// *AccountError) says which transfer or account failed.
var (
	// ErrInvalid: the request itself is malformed (zero id, amount ≤ 0, debit = credit, bad
	// flag combination, open linked chain, …). Retrying cannot help.
	ErrInvalid = kind.New(kind.Invalid, "invalid request")
	// ErrIDReused: the id is already recorded with different content.
	ErrIDReused = kind.New(kind.Conflict, "id already used with different content")
	// ErrAccountNotFound: a transfer names an account that does not exist.
	ErrAccountNotFound = kind.New(kind.NotFound, "account not found")
	// ErrLedgerMismatch: the two accounts (or the transfer's Ledger) are in different ledgers.
	ErrLedgerMismatch = kind.New(kind.Invalid, "ledger mismatch")
	// ErrInsufficientFunds: the debit would break DebitsMustNotExceedCredits.
	ErrInsufficientFunds = kind.New(kind.Refused, "insufficient funds")
	// ErrExceedsDebits: the credit would break CreditsMustNotExceedDebits.
	ErrExceedsDebits = kind.New(kind.Refused, "credits would exceed debits")
	// ErrPendingNotFound: PendingID names no pending transfer.
	ErrPendingNotFound = kind.New(kind.NotFound, "pending transfer not found")
	// ErrPendingMismatch: a post/void names accounts, a ledger or a code other than the pending
	// transfer's.
	ErrPendingMismatch = kind.New(kind.Invalid, "does not match the pending transfer")
	// ErrAlreadyResolved: the pending transfer was already posted or voided.
	ErrAlreadyResolved = kind.New(kind.Conflict, "pending transfer already resolved")
	// ErrPendingExpired: the pending transfer's timeout has passed (it is, or will be, voided).
	ErrPendingExpired = kind.New(kind.Conflict, "pending transfer expired")
	// ErrExceedsPending: a post asks for more than the pending amount.
	ErrExceedsPending = kind.New(kind.Invalid, "amount exceeds the pending amount")
	// ErrLinkedEventFailed: another transfer of the same linked chain failed.
	ErrLinkedEventFailed = kind.New(kind.Conflict, "another transfer of the linked chain failed")
	// ErrTransferNotFound: no transfer has the id (lookups).
	ErrTransferNotFound = kind.New(kind.NotFound, "transfer not found")
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
