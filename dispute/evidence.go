package dispute

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/upload"
)

// Evidence is a file or a statement, each written on the timeline with its SHA-256, size, type
// and uploader. A file is an upload its uploader owns; adding it attaches it to the case
// (upload.KindEvidence), after which the case's parties and admins may read it (EvidenceRule) and
// it can be attached to nothing else.

// statementType is a statement's content type.
const statementType = "text/plain; charset=utf-8"

// EvidenceInput is a file (UploadID) or a statement, not both.
type EvidenceInput struct {
	UploadID  *uuid.UUID
	Statement string
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// AddEvidence adds who's file or statement to case id. Parties and admins add evidence while the
// case is live; another user's upload is upload.ErrNotFound, as is an upload that does not exist.
func (s *Service) AddEvidence(ctx context.Context, who Caller, id uuid.UUID, in EvidenceInput) (*Case, error) {
	if (in.UploadID == nil) == (in.Statement == "") {
		return nil, invalid("evidence is a file (uploadId) or a statement, one of them")
	}
	var body map[string]any
	if in.UploadID != nil {
		if s.files == nil {
			return nil, fmt.Errorf("%w: files are not configured on this server", ErrNotConfigured)
		}
		// Read as its owner only: an admin's role never makes another's upload theirs to attach.
		u, err := s.files.Get(ctx, upload.Caller{UserID: who.UserID}, *in.UploadID)
		if err != nil {
			return nil, err
		}
		if u.OwnerID != who.UserID {
			return nil, upload.ErrNotFound
		}
		body = map[string]any{"file": u.ID, "sha256": u.SHA256, "size": u.Size, "contentType": u.ContentType,
			"uploader": who.UserID}
	} else {
		text, err := checkText("statement", in.Statement, MaxStatement, true)
		if err != nil {
			return nil, err
		}
		body = map[string]any{"statement": text, "sha256": digest([]byte(text)), "size": len(text),
			"contentType": statementType, "uploader": who.UserID}
	}
	return s.step(ctx, who, id, func(tx pgx.Tx, c *Case, side Actor) error {
		if _, err := Next(c.Status, EvEvidence, side); err != nil {
			return err
		}
		if in.UploadID != nil {
			if err := s.files.Attach(ctx, tx, upload.Caller{UserID: who.UserID}, *in.UploadID, upload.KindEvidence, c.ID.String()); err != nil {
				return err
			}
		}
		_, err := s.move(ctx, tx, c, EvEvidence, side, who.UserID, body)
		return err
	})
}
