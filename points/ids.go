package points

import (
	"strconv"

	"github.com/google/uuid"

	"github.com/amanat/amn/ledger"
)

// The ids of points transfers, derived from what each stands for: booking the same thing again
// finds its transfer recorded and moves nothing.

// Role is a party of a deal.
type Role string

// The parties.
const (
	Buyer  Role = "buyer"
	Seller Role = "seller"
)

// DealGrantID is the transfer of a completed deal's points to one of its parties.
func DealGrantID(request uuid.UUID, r Role) ledger.ID {
	return ledger.DeriveID("points/deal\x00" + request.String() + "\x00" + string(r))
}

// ReferralID is the transfer of the referrer's reward for one referred user: one per referred
// user, ever.
func ReferralID(referred uuid.UUID) ledger.ID {
	return ledger.DeriveID("points/referral\x00" + referred.String())
}

// AdminGrantID is the transfer of an admin's grant, named by the admin's idempotency id.
func AdminGrantID(adjustment uuid.UUID) ledger.ID {
	return ledger.DeriveID("points/admin-grant\x00" + adjustment.String())
}

// ReversalID is the transfer that takes a grant back: one per grant, whoever asks (a refund, an
// admin).
func ReversalID(grant ledger.ID) ledger.ID {
	return ledger.DeriveID("points/reversal\x00" + grant.String())
}

// SpendID is the transfer of a user's spend, named by the user's idempotency key: one spend per
// user and key, ever. It is also the spend's id.
func SpendID(user uuid.UUID, key string) ledger.ID {
	return ledger.DeriveID("points/spend\x00" + user.String() + "\x00" + key)
}

// ExpiryID is the expiry that brings the user's expired points to total: each expiry raises the
// total, so each has its own id, and two runs that find the same points due derive the same one.
func ExpiryID(user uuid.UUID, total int64) ledger.ID {
	return ledger.DeriveID("points/expiry\x00" + user.String() + "\x00" + strconv.FormatInt(total, 10))
}
