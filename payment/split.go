package payment

import (
	"context"
	"fmt"
	"math/big"

	"github.com/amanat/amn/ledger"
)

// ResolveSplit ends a dispute with an exact amount to the buyer and the rest to the seller.
//
// A placeholder: split payouts arrive with AmnEscrow.settle (issue #19's on-chain part, built
// apart); until then every split is refused and nothing is written.
func (s *Service) ResolveSplit(ctx context.Context, id ledger.ID, buyerAmount *big.Int, actor, reason string) (*Payment, error) {
	return nil, fmt.Errorf("%w: split payouts arrive with AmnEscrow.settle", ErrIllegalTransition)
}
