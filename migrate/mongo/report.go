package mongo

import (
	"math/big"
	"time"

	"github.com/google/uuid"
)

// Problem is a source document skipped, and why.
type Problem struct {
	Collection string `json:"collection"`
	ID         string `json:"_id"`
	Reason     string `json:"reason"`
}

// OpenPayment is an old payment whose funds the old backend still holds: an operator settles it
// on the old provider (the import never guesses at it).
type OpenPayment struct {
	ID          string            `json:"_id"`
	NewID       uuid.UUID         `json:"id"`
	Request     string            `json:"request,omitempty"`
	Status      string            `json:"status"`
	Amount      string            `json:"amount"`
	Token       string            `json:"token"`
	Chain       string            `json:"chain"`
	Provider    string            `json:"provider"`
	ProviderIDs map[string]string `json:"providerIds"`
}

// Counts is one collection's progress in a run.
type Counts struct {
	Collection string  `json:"collection"`
	Read       int64   `json:"read"`
	Created    int64   `json:"created"`
	Updated    int64   `json:"updated"`
	Unchanged  int64   `json:"unchanged"`
	Skipped    int64   `json:"skipped"`
	Rate       float64 `json:"rate"` // documents read per second
	Done       bool    `json:"done"`
}

// Check is the verification of one collection: the source's documents that convert (count and
// sum) against what the target holds of them.
type Check struct {
	Collection  string `json:"collection"`
	SourceTotal int64  `json:"source_total"`
	Malformed   int64  `json:"malformed"`
	SourceCount int64  `json:"source_count"`
	TargetCount int64  `json:"target_count"`
	// Stale counts the documents that convert but whose recorded digest is missing or differs:
	// the target does not hold them as they are now (their last write failed, or never ran).
	Stale        int64    `json:"stale"`
	StaleIDs     []string `json:"stale_ids,omitempty"`
	SumName      string   `json:"sum_name,omitempty"`
	SourceSum    string   `json:"source_sum,omitempty"`
	TargetSum    string   `json:"target_sum,omitempty"`
	OK           bool     `json:"ok"`
	sourceSumInt *big.Int
}

// Report is what a run did.
type Report struct {
	DryRun      bool       `json:"dry_run"`
	Since       *time.Time `json:"since,omitempty"`
	Started     time.Time  `json:"started"`
	Finished    time.Time  `json:"finished"`
	Collections []Counts   `json:"collections"`
	Problems    []Problem  `json:"problems"`
	// Notes are documents imported with something left out (e.g. the passkeys of an account
	// whose email is not verified), and why.
	Notes        []Problem     `json:"notes"`
	OpenPayments []OpenPayment `json:"open_payments"`
	// OpenDisputes are old disputes imported as history whose payments still hold funds.
	OpenDisputes []OpenDispute `json:"open_disputes"`
	Checks       []Check       `json:"checks,omitempty"`
	Verified     bool          `json:"verified"`
	// NotImported names the source's collections this import does not read (none now).
	NotImported []string `json:"not_imported"`
}

// Changed says whether the run wrote (or, dry, would write) anything.
func (r *Report) Changed() bool {
	for _, c := range r.Collections {
		if c.Created+c.Updated > 0 {
			return true
		}
	}
	return false
}
