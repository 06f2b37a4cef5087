package points

import (
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
