package ledger

import (
	"fmt"
	"math/big"
	"regexp"
	"time"
)

// ledgerName is a chain and a token, e.g. "bsc:USDT": amounts in one ledger share one unit (the
// token's base unit), so transfers never cross ledgers.
var ledgerName = regexp.MustCompile(`^[a-z0-9_-]{1,32}:[A-Za-z0-9._-]{1,32}$`)

// ValidLedger reports whether name is a well-formed ledger name such as "bsc:USDT".
func ValidLedger(name string) bool { return ledgerName.MatchString(name) }

// AccountCode says what an account stands for.
type AccountCode uint16

// Account codes. The values are stored; never renumber them.
const (
	CodeWorld           AccountCode = 1  // the outside world: money entering or leaving the books
	CodeDeposit         AccountCode = 2  // one HD-derived deposit address
	CodeEscrow          AccountCode = 3  // the escrow contract's holdings
	CodeSellerPayable   AccountCode = 4  // owed to a seller on release
	CodeBuyerRefundable AccountCode = 5  // owed back to a buyer on refund
	CodePlatformFees    AccountCode = 6  // the platform's fee income
	CodeGas             AccountCode = 7  // the gas tank of a chain (native-token ledgers)
	CodeNetworkFees     AccountCode = 8  // gas burnt paying the network (native-token ledgers; an expense)
	CodeGasHeld         AccountCode = 9  // native currency the gas tank sent to an address and still there (a deposit's dust)
	CodePointsUser      AccountCode = 10 // a user's points to use (the points ledger)
	CodePointsIssuance  AccountCode = 11 // where points come from and return to (the points ledger's world)
	CodePointsUsed      AccountCode = 12 // a user's points spent (the points ledger)
	CodePointsExpired   AccountCode = 13 // a user's points that expired unspent (the points ledger)
	maxKnownAccountCode             = CodePointsExpired
)

var accountCodeNames = [...]string{"", "world", "deposit", "escrow", "seller_payable", "buyer_refundable", "platform_fees", "gas",
	"network_fees", "gas_held", "points_user", "points_issuance", "points_used",
	"points_expired"}

func (c AccountCode) String() string {
	if c > 0 && c <= maxKnownAccountCode {
		return accountCodeNames[c]
	}
	return fmt.Sprintf("code_%d", uint16(c))
}

// AccountFlags limit how an account's balances may move. A transfer that would break a flag is
// refused as a whole.
type AccountFlags uint16

const (
	// DebitsMustNotExceedCredits: debits_pending + debits_posted ≤ credits_posted. A
	// credit-normal account (a liability such as seller payable) can never go negative.
	DebitsMustNotExceedCredits AccountFlags = 1 << iota
	// CreditsMustNotExceedDebits: credits_pending + credits_posted ≤ debits_posted. A
	// debit-normal account (an asset such as a deposit address) can never go negative.
	CreditsMustNotExceedDebits
)

// Account is a ledger account. The balance fields are read-only: they change only through
// transfers.
type Account struct {
	ID     ID
	Ledger string // e.g. "bsc:USDT"
	Code   AccountCode
	Owner  string // what the account belongs to, e.g. "payment:<id>" or an address; free text
	Flags  AccountFlags

	DebitsPending  *big.Int
	DebitsPosted   *big.Int
	CreditsPending *big.Int
	CreditsPosted  *big.Int
	CreatedAt      time.Time
}

// Balance is an account's position seen from its normal side: credit-normal unless the account
// has CreditsMustNotExceedDebits.
type Balance struct {
	Posted    *big.Int // credits_posted − debits_posted (credit-normal)
	Pending   *big.Int // credits_pending − debits_pending: reservations not yet resolved
	Available *big.Int // credits_posted − debits_posted − debits_pending: what may still be debited
}

// DebitNormal reports whether the account's balance is read as debits minus credits.
func (a Account) DebitNormal() bool { return a.Flags&CreditsMustNotExceedDebits != 0 }

// Balance computes the posted, pending and available balance.
func (a Account) Balance() Balance {
	in, out, inPend, outPend := a.CreditsPosted, a.DebitsPosted, a.CreditsPending, a.DebitsPending
	if a.DebitNormal() {
		in, out, inPend, outPend = a.DebitsPosted, a.CreditsPosted, a.DebitsPending, a.CreditsPending
	}
	posted := new(big.Int).Sub(in, out)
	return Balance{
		Posted:    posted,
		Pending:   new(big.Int).Sub(inPend, outPend),
		Available: new(big.Int).Sub(posted, outPend),
	}
}

// TransferFlags select what a transfer does.
type TransferFlags uint16

const (
	// Linked chains this transfer to the next one in the batch: the chain commits all or nothing.
	// The last transfer of a chain does not carry the flag.
	Linked TransferFlags = 1 << iota
	// Pending reserves the amount (debits_pending, credits_pending) until it is posted, voided or
	// times out.
	Pending
	// PostPending resolves the pending transfer PendingID by posting all of it (Amount nil) or part
	// of it; the rest is released.
	PostPending
	// VoidPending resolves the pending transfer PendingID by releasing all of it.
	VoidPending
)

func (f TransferFlags) String() string {
	s := ""
	for _, x := range []struct {
		f TransferFlags
		n string
	}{{Linked, "linked"}, {Pending, "pending"}, {PostPending, "post_pending"}, {VoidPending, "void_pending"}} {
		if f&x.f != 0 {
			if s != "" {
				s += "|"
			}
			s += x.n
		}
	}
	if s == "" {
		return "none"
	}
	return s
}

// resolves reports whether the transfer resolves a pending one.
func (f TransferFlags) resolves() bool { return f&(PostPending|VoidPending) != 0 }

// Transfer moves Amount from the debit account to the credit account of one ledger.
//
// For PostPending and VoidPending the accounts, ledger and code may be left zero: they are taken
// from the pending transfer (and if given must match it). Amount nil posts or voids the whole
// pending amount.
type Transfer struct {
	ID              ID // the idempotency key
	DebitAccountID  ID
	CreditAccountID ID
	Ledger          string   // optional; must equal the accounts' ledger
	Amount          *big.Int // base units, > 0
	PendingID       ID       // the pending transfer a PostPending/VoidPending resolves
	Code            uint16   // what kind of movement, chosen by the caller's domain; > 0
	Flags           TransferFlags
	Timeout         time.Duration // Pending only: void automatically after this long (0 = never)

	PaymentRef     string // the payment this transfer belongs to, if any
	ObservationRef string // the chain observation that caused it, if any

	// Set by the ledger.
	CreatedAt time.Time
	ExpiresAt time.Time    // Pending with a Timeout
	State     PendingState // Pending only: where the reservation stands now (lookups only)
}

// PendingState is where a pending transfer stands.
type PendingState string

const (
	StateOpen    PendingState = "open"
	StatePosted  PendingState = "posted"
	StateVoided  PendingState = "voided"
	StateExpired PendingState = "expired"
)

// Result is the outcome of one transfer of CreateTransfers.
type Result struct {
	Transfer Transfer // as recorded (defaults filled in), or as submitted when Err is set
	Existed  bool     // the same transfer was recorded before; nothing changed
	Err      error    // why it was refused (a *TransferError); nil when recorded or Existed
}

// Field is one of an account's four balances.
type Field uint8

const (
	FieldDebitsPending Field = iota + 1
	FieldDebitsPosted
	FieldCreditsPending
	FieldCreditsPosted
)

var fieldNames = [...]string{"", "debits_pending", "debits_posted", "credits_pending", "credits_posted"}

func (f Field) String() string {
	if f >= FieldDebitsPending && f <= FieldCreditsPosted {
		return fieldNames[f]
	}
	return fmt.Sprintf("field_%d", uint8(f))
}

// Entry is one change of one balance of one account by one transfer. An account's entries, in
// Seq order, replay its balances from zero: each entry's Before is the previous entry's After
// for the same field.
type Entry struct {
	AccountID  ID
	Seq        int64 // 1, 2, 3, … per account
	TransferID ID
	Field      Field
	Amount     *big.Int // signed change
	Before     *big.Int
	After      *big.Int
}

// TrialBalance sums a ledger's accounts by account code. In a healthy ledger the debit and
// credit totals are equal.
type TrialBalance struct {
	Ledger string
	Lines  []TrialLine
	Total  TrialLine // Code 0, all accounts
}

// TrialLine is the sum over the accounts of one code.
type TrialLine struct {
	Code           AccountCode
	Accounts       int64
	DebitsPending  *big.Int
	DebitsPosted   *big.Int
	CreditsPending *big.Int
	CreditsPosted  *big.Int
}

// Balanced reports whether debits equal credits, posted and pending.
func (tb TrialBalance) Balanced() bool {
	return tb.Total.DebitsPosted.Cmp(tb.Total.CreditsPosted) == 0 &&
		tb.Total.DebitsPending.Cmp(tb.Total.CreditsPending) == 0
}
