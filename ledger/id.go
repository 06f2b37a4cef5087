package ledger

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgtype"
)

// ID names an account or a transfer. It is 128 bits, chosen by the caller, and stored as a
// PostgreSQL uuid. A transfer's ID is its idempotency key, so callers derive it from what the
// transfer stands for (DeriveID, ObservationID) rather than drawing a random one.
type ID [16]byte

// DeriveID maps a key to an ID: the first 16 bytes of SHA-256 over a domain prefix and the key.
// The same key always gives the same ID, so an operation retried with the same key can never
// move money twice.
func DeriveID(key string) ID {
	h := sha256.New()
	h.Write([]byte("amn/ledger/id\x00"))
	h.Write([]byte(key))
	var id ID
	copy(id[:], h.Sum(nil))
	return id
}

// ObservationID is the transfer ID of a chain observation: one log (or native transfer) in one
// block. Re-indexing the same block yields the same ID; the same transaction in a reorged block
// (another block hash) yields another, so it cannot collide with the voided one.
func ObservationID(chainID uint64, blockHash, txHash [32]byte, logIndex uint64) ID {
	var b [8 + 32 + 32 + 8]byte
	binary.BigEndian.PutUint64(b[0:], chainID)
	copy(b[8:], blockHash[:])
	copy(b[40:], txHash[:])
	binary.BigEndian.PutUint64(b[72:], logIndex)
	return DeriveID("observation\x00" + string(b[:]))
}

// NewID returns a random ID, for accounts that have no natural key.
func NewID() ID {
	var id ID
	if _, err := rand.Read(id[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return id
}

// IsZero reports whether id is the zero ID, which never names anything.
func (id ID) IsZero() bool { return id == ID{} }

// String formats id as a uuid.
func (id ID) String() string {
	var b [36]byte
	hex.Encode(b[0:8], id[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], id[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], id[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], id[8:10])
	b[23] = '-'
	hex.Encode(b[24:], id[10:])
	return string(b[:])
}

// ParseID parses a uuid (with or without dashes).
func ParseID(s string) (ID, error) {
	var id ID
	h := strings.ReplaceAll(s, "-", "")
	if len(h) != 32 {
		return id, fmt.Errorf("ledger: id %q: want 32 hex digits", s)
	}
	if _, err := hex.Decode(id[:], []byte(h)); err != nil {
		return id, fmt.Errorf("ledger: id %q: %w", s, err)
	}
	return id, nil
}

// MarshalText and UnmarshalText make IDs appear as uuids in JSON and logs.
func (id ID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText parses a uuid.
func (id *ID) UnmarshalText(b []byte) error {
	v, err := ParseID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// UUIDValue lets pgx send an ID as a uuid.
func (id ID) UUIDValue() (pgtype.UUID, error) { return pgtype.UUID{Bytes: id, Valid: true}, nil }

// ScanUUID lets pgx read a uuid into an ID.
func (id *ID) ScanUUID(v pgtype.UUID) error {
	if !v.Valid {
		return errors.New("ledger: NULL id")
	}
	*id = v.Bytes
	return nil
}
