// Package custody owns the custodian set as the platform knows it: enrolment of custodian
// addresses with a proof of control (a random, single-use, expiring server challenge signed on
// the custodian's device), which of them are hardware-held, how the database's set compares with
// AmnEscrow's on chain, the releases, refunds and settles waiting for approvals, and the checks an
// approval passes before it is stored.
//
// It never holds a custodian's key (the keys stay on the devices; package hwwallet talks to
// them), and it never decides whether approvals suffice to move money: the signer and the
// contract do, each on its own. Refusing a bad approval here only makes the mistake visible at
// once, to the person holding the device.
package custody

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/payment"
)

// Errors. An enrolment or approval that is refused wraps ErrRefused and one of the others.
var (
	ErrRefused          = kind.New(kind.Refused, "refused")
	ErrChallengeUnknown = kind.New(kind.NotFound, "unknown enrolment challenge")
	ErrChallengeUsed    = kind.New(kind.Conflict, "enrolment challenge already used")
	ErrChallengeExpired = kind.New(kind.Refused, "enrolment challenge expired")
	ErrBadProof         = kind.New(kind.Refused, "enrolment proof does not verify")
	ErrNotFound         = kind.New(kind.NotFound, "custodian not enrolled")
	ErrNotHardware      = kind.New(kind.Refused, "custodian is not enrolled as hardware-held")
	ErrSoftwareKey      = kind.New(kind.Refused, "software keys are refused when hardware is required (AMN_CUSTODY_REQUIRE_HARDWARE=true)")
	ErrWrongSignature   = kind.New(kind.Refused, "signature does not match the intent")
	ErrNotCustodian     = kind.New(kind.Refused, "not a custodian of the escrow on chain")
	ErrExpired          = kind.New(kind.Refused, "approval deadline passed")
	ErrNotApprovable    = kind.New(kind.Conflict, "intent takes no approvals now")
)

func refused(kind error, format string, args ...any) error {
	return fmt.Errorf("%w: %w: %s", ErrRefused, kind, fmt.Sprintf(format, args...))
}

// Custodian is one row of custodians: an address the platform knows as a custodian's, and
// whether it was enrolled as held on a hardware wallet.
type Custodian struct {
	Address  common.Address `json:"address"`
	Label    string         `json:"label,omitempty"`
	Hardware bool           `json:"hardware"`
	// The escrow the last enrolment proof named, and what it was made with.
	ChainID    uint64         `json:"chain_id,omitempty"`
	Contract   common.Address `json:"contract,omitzero"`
	Path       string         `json:"path,omitempty"`
	Device     string         `json:"device,omitempty"`
	EnrolledAt time.Time      `json:"enrolled_at"`
}

// Enrolments reads the custodians as enrolled, for a process that only reads them: the signer,
// which counts only hardware-held custodians' approvals when hardware is required, reads them
// through it with its own database role.
type Enrolments struct{ q db.Querier }

// NewEnrolments reads enrolments through q (a pool of the reader's role).
func NewEnrolments(q db.Querier) Enrolments { return Enrolments{q: q} }

// hardwareHeldSQL selects the custodians enrolled as hardware-held.
const hardwareHeldSQL = `SELECT address FROM custodians WHERE hardware`

// HardwareHeld returns the addresses of the custodians enrolled as hardware-held.
func (e Enrolments) HardwareHeld(ctx context.Context) ([]common.Address, error) {
	rows, err := e.q.Query(ctx, hardwareHeldSQL)
	if err != nil {
		return nil, fmt.Errorf("custody: hardware-held custodians: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (common.Address, error) {
		var a string
		err := r.Scan(&a)
		return common.HexToAddress(a), err
	})
}

// Challenge is what the server asks a custodian to sign: a random value for one address and one
// escrow, usable once, until ExpiresAt.
type Challenge struct {
	Value     [32]byte
	Custodian common.Address
	Domain    escrow.Domain
	ExpiresAt time.Time
}

// Enrollment is the statement the custodian's device signs for this challenge.
func (c Challenge) Enrollment() hwwallet.Enrollment {
	return hwwallet.Enrollment{Custodian: c.Custodian, Domain: c.Domain, Challenge: c.Value}
}

// DefaultChallengeTTL is how long a custodian has to sign a challenge (PIN, passphrase, reading
// the screen).
const DefaultChallengeTTL = 10 * time.Minute

// Service is the custody store. It runs with the privileged database role (admin CLI, API).
type Service struct {
	pool     *pgxpool.Pool
	intents  *intent.Store
	payments *payment.Service // read only: a disputed payment takes no approvals
	now      func() time.Time
	// ChallengeTTL is how long an issued challenge stays usable; zero means DefaultChallengeTTL.
	ChallengeTTL time.Duration
}

// New returns the custody service on pool: custodians and challenges are its own tables; intents
// and their approvals go through intents, payments are read through payments.
func New(pool *pgxpool.Pool, intents *intent.Store, payments *payment.Service) *Service {
	return &Service{pool: pool, intents: intents, payments: payments, now: time.Now}
}

func hexAddr(a common.Address) string { return strings.ToLower(a.Hex()) }

// challengeKeep is how long an expired enrolment challenge is kept before IssueChallenge drops it.
const challengeKeep = 24 * time.Hour

// IssueChallenge draws a random challenge for custodian to prove control of their address for
// the escrow d, stores it and returns it.
func (s *Service) IssueChallenge(ctx context.Context, custodian common.Address, d escrow.Domain) (Challenge, error) {
	if custodian == (common.Address{}) || d.Contract == (common.Address{}) || d.ChainID == 0 {
		return Challenge{}, errors.New("custody: a challenge needs a custodian address, a chain and an escrow contract")
	}
	ttl := s.ChallengeTTL
	if ttl <= 0 {
		ttl = DefaultChallengeTTL
	}
	c := Challenge{Custodian: custodian, Domain: d}
	if _, err := rand.Read(c.Value[:]); err != nil {
		return Challenge{}, err
	}
	now := s.now()
	c.ExpiresAt = now.Add(ttl).Truncate(time.Microsecond)
	// Challenges expired for a day go (a used one's proof is on its custodian's row).
	if _, err := s.pool.Exec(ctx, `DELETE FROM custody_challenges WHERE expires_at < $1`, now.Add(-challengeKeep)); err != nil {
		return Challenge{}, fmt.Errorf("custody: dropping expired challenges: %w", err)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO custody_challenges (challenge, custodian, chain_id, contract, issued_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, c.Value[:], hexAddr(custodian), d.ChainID, hexAddr(d.Contract), now, c.ExpiresAt)
	if err != nil {
		return Challenge{}, fmt.Errorf("custody: storing challenge: %w", err)
	}
	return c, nil
}

// EnrollRequest is a signed challenge.
type EnrollRequest struct {
	Challenge [32]byte
	Custodian common.Address
	Signature []byte // personal_sign of Challenge.Enrollment().Text()
	// Hardware: the proof was made on a hardware wallet (the command knows what it talked to).
	// A software key's enrolment records the address as not hardware-held, also when it was
	// before: the key evidently exists outside a device.
	Hardware bool
	Label    string
	Path     string // derivation path used, for the record
	Device   string // e.g. "Trezor T (udp 127.0.0.1:21324)", for the record
}

// Enroll checks a signed challenge and records the custodian. The challenge is consumed by this
// call whatever its outcome; a refused enrolment wraps ErrRefused.
func (s *Service) Enroll(ctx context.Context, r EnrollRequest) (*Custodian, error) {
	var refusal error
	var out *Custodian
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		refusal, out = nil, nil
		var (
			custodian, contract string
			chainID             uint64
			expires             time.Time
			used                *time.Time
		)
		err := tx.QueryRow(ctx, `SELECT custodian, chain_id, contract, expires_at, used_at FROM custody_challenges
			WHERE challenge = $1 FOR UPDATE`, r.Challenge[:]).Scan(&custodian, &chainID, &contract, &expires, &used)
		if errors.Is(err, pgx.ErrNoRows) {
			refusal = refused(ErrChallengeUnknown, "0x%x was never issued", r.Challenge)
			return nil
		}
		if err != nil {
			return err
		}
		now := s.now()
		switch {
		case used != nil:
			refusal = refused(ErrChallengeUsed, "used at %s; ask for a new one", used.UTC().Format(time.RFC3339))
			return nil
		case !now.Before(expires):
			refusal = refused(ErrChallengeExpired, "expired at %s; ask for a new one", expires.UTC().Format(time.RFC3339))
		case common.HexToAddress(custodian) != r.Custodian:
			refusal = refused(ErrBadProof, "the challenge was issued for %s, not %s", common.HexToAddress(custodian).Hex(), r.Custodian.Hex())
		}
		if _, err := tx.Exec(ctx, `UPDATE custody_challenges SET used_at = $2 WHERE challenge = $1`, r.Challenge[:], now); err != nil {
			return err
		}
		if refusal != nil {
			return nil
		}
		c := Challenge{Value: r.Challenge, Custodian: r.Custodian, Domain: escrow.Domain{ChainID: chainID, Contract: common.HexToAddress(contract)}}
		if err := hwwallet.VerifyEnrollment(c.Enrollment(), r.Signature); err != nil {
			refusal = refused(ErrBadProof, "%v", err)
			return nil
		}
		out, err = scanCustodian(tx.QueryRow(ctx, `INSERT INTO custodians (address, label, hardware, enrolled_at, chain_id, contract,
			path, device, challenge, proof, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $4)
			ON CONFLICT (address) DO UPDATE SET label = CASE WHEN EXCLUDED.label <> '' THEN EXCLUDED.label ELSE custodians.label END,
				hardware = EXCLUDED.hardware, enrolled_at = EXCLUDED.enrolled_at, chain_id = EXCLUDED.chain_id,
				contract = EXCLUDED.contract, path = EXCLUDED.path, device = EXCLUDED.device, challenge = EXCLUDED.challenge,
				proof = EXCLUDED.proof, updated_at = EXCLUDED.updated_at
			RETURNING `+custodianColumns, hexAddr(r.Custodian), r.Label, r.Hardware, now, chainID, contract, r.Path, r.Device,
			r.Challenge[:], r.Signature))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("custody: enrol %s: %w", r.Custodian.Hex(), err)
	}
	if refusal != nil {
		return nil, fmt.Errorf("custody: enrolment of %s %w", r.Custodian.Hex(), refusal)
	}
	return out, nil
}

const custodianColumns = `address, label, hardware, coalesce(chain_id, 0), coalesce(contract, ''), path, device, enrolled_at`

func scanCustodian(row pgx.Row) (*Custodian, error) {
	var c Custodian
	var addr, contract string
	err := row.Scan(&addr, &c.Label, &c.Hardware, &c.ChainID, &contract, &c.Path, &c.Device, &c.EnrolledAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	c.Address = common.HexToAddress(addr)
	if contract != "" {
		c.Contract = common.HexToAddress(contract)
	}
	return &c, nil
}

// Custodian returns one enrolled custodian, or ErrNotFound.
func (s *Service) Custodian(ctx context.Context, a common.Address) (*Custodian, error) {
	c, err := scanCustodian(s.pool.QueryRow(ctx, `SELECT `+custodianColumns+` FROM custodians WHERE address = $1`, hexAddr(a)))
	if err != nil {
		return nil, fmt.Errorf("custody: custodian %s: %w", a.Hex(), err)
	}
	return c, nil
}

// List returns every custodian in the database, by address.
func (s *Service) List(ctx context.Context) ([]Custodian, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+custodianColumns+` FROM custodians ORDER BY address`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Custodian, error) {
		c, err := scanCustodian(r)
		if err != nil {
			return Custodian{}, err
		}
		return *c, nil
	})
}
