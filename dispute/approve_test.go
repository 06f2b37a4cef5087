package dispute

import (
	"context"

	"github.com/google/uuid"
)

// Approve is a second admin approving, in tests, the resolution that waits on case id as it reads
// now: ApproveEntry with the waiting request's hash. Production callers name what the admin
// reviewed (ApproveEntry), so this lives with the tests only.
func (s *Service) Approve(ctx context.Context, who Caller, id uuid.UUID) (*Case, error) {
	c, err := s.Get(ctx, who, id)
	if err != nil {
		return nil, err
	}
	if c.Pending == nil {
		return nil, ErrNoPending
	}
	return s.ApproveEntry(ctx, who, id, c.PendingHash)
}
