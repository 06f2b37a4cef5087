package dispute

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// The export bundle: a case's summary and its whole timeline, signed with the platform's Ed25519
// key (Config.BundleKey; its public key is served by the API). Anyone can check it offline with
// `amn dispute verify FILE --public-key KEY`: every entry's hash and link (CheckChain), then the
// signature over the summary, which names the timeline's head hash and length. A changed entry is
// named by its number; a changed summary fails the signature.

// BundleFormat names the bundle's layout and signing rule.
const BundleFormat = "amn-dispute-bundle/1"

// Bundle is a signed export of a case.
type Bundle struct {
	Format     string     `json:"format"`
	Case       BundleCase `json:"case"`
	Entries    []Entry    `json:"entries"`
	ExportedAt time.Time  `json:"exportedAt"`
	PublicKey  string     `json:"publicKey"` // base64 (standard) of the Ed25519 public key
	Signature  string     `json:"signature"` // base64 of the signature over SignedBytes
}

// BundleCase is what the bundle says of the case; Head and Entries bind the timeline to it.
type BundleCase struct {
	ID         uuid.UUID `json:"id"`
	Request    uuid.UUID `json:"request"`
	Payment    uuid.UUID `json:"payment"`
	Buyer      uuid.UUID `json:"buyer"`
	Seller     uuid.UUID `json:"seller"`
	Opener     Actor     `json:"opener"`
	Reason     Reason    `json:"reason"`
	Status     Status    `json:"status"`
	Amount     string    `json:"amount"`
	Decimals   int       `json:"decimals"`
	Ledger     string    `json:"ledger"`
	Resolution string    `json:"resolution,omitempty"`
	OpenedAt   time.Time `json:"openedAt"`
	Head       string    `json:"head"`
	Entries    int       `json:"entries"`
}

// signed is what the signature covers.
type signed struct {
	Format     string     `json:"format"`
	Case       BundleCase `json:"case"`
	ExportedAt string     `json:"exportedAt"`
}

// SignedBytes is the message b's signature is over: its format, case summary and export time in
// canonical JSON.
func (b *Bundle) SignedBytes() ([]byte, error) {
	return json.Marshal(signed{Format: b.Format, Case: b.Case, ExportedAt: b.ExportedAt.UTC().Format(time.RFC3339Nano)})
}

// Export is case id's signed bundle, for its parties and admins.
func (s *Service) Export(ctx context.Context, who Caller, id uuid.UUID) (*Bundle, error) {
	if s.cfg.BundleKey == nil {
		return nil, ErrNoBundleKey
	}
	// The case and its timeline from one snapshot: a step committing in between cannot make the
	// summary's status disagree with the entries.
	var c *Case
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var err error
		if c, err = s.read(ctx, tx, id); err != nil {
			return err
		}
		if c.sideOf(who) == "" {
			return ErrNotFound
		}
		c.Entries, err = entries(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	sum := BundleCase{ID: c.ID, Request: c.RequestID, Payment: c.PaymentID, Buyer: c.BuyerID, Seller: c.SellerID, Opener: c.Opener,
		Reason: c.Reason, Status: c.Status, Amount: c.Amount.String(), Decimals: c.Decimals, Ledger: c.Ledger, OpenedAt: c.CreatedAt.UTC()}
	if c.Resolution != nil {
		sum.Resolution = string(*c.Resolution)
	}
	return SignBundle(s.cfg.BundleKey, sum, c.Entries, s.clock())
}

// SignBundle makes the bundle of a case summarised by sum with its timeline entries, exported at
// at: the summary's Head and Entries are set from the timeline, and the whole is signed with key.
func SignBundle(key ed25519.PrivateKey, sum BundleCase, entries []Entry, at time.Time) (*Bundle, error) {
	sum.Head, sum.Entries = ZeroHash, len(entries)
	if n := len(entries); n > 0 {
		sum.Head = entries[n-1].Hash
	}
	b := &Bundle{Format: BundleFormat, Case: sum, Entries: entries, ExportedAt: at.UTC(),
		PublicKey: base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey))}
	msg, err := b.SignedBytes()
	if err != nil {
		return nil, err
	}
	b.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, msg))
	return b, nil
}

// Errors of a bundle's verification.
var (
	ErrBundleFormat    = errors.New("not a dispute bundle of a known format")
	ErrBundleSignature = errors.New("the signature does not hold")
	ErrBundleKey       = errors.New("the bundle is signed with another key than the one given")
)

// Verified is what a bundle that holds says.
type Verified struct {
	Case BundleCase
	// KeyGiven is false when the bundle was checked against the key it carries itself: it proves
	// the bundle is intact, not who signed it.
	KeyGiven bool
}

// VerifyBundle checks a bundle's bytes: that they are one JSON object whose every object has no
// key twice (nor two keys that differ only in case) and whose bundle, case and entry objects have
// exactly their fields, spelled as here (Go's decoder alone would take the last of duplicate
// keys, match keys whatever their case and skip unknown ones, so a bundle could show a reader
// one thing and verify as another); its format, every entry of its timeline (a *ChainError
// names the first that fails), the timeline's head and length against the summary, and the
// signature, with pub when given (else with the key the bundle carries).
func VerifyBundle(data []byte, pub ed25519.PublicKey) (*Verified, error) {
	if err := strictBundle(data); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBundleFormat, err)
	}
	var b Bundle
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBundleFormat, err)
	}
	if b.Format != BundleFormat {
		return nil, fmt.Errorf("%w: format %q", ErrBundleFormat, b.Format)
	}
	if err := CheckChain(b.Case.ID, b.Entries); err != nil {
		return nil, err
	}
	head := ZeroHash
	if n := len(b.Entries); n > 0 {
		head = b.Entries[n-1].Hash
	}
	if b.Case.Entries != len(b.Entries) || b.Case.Head != head {
		return nil, fmt.Errorf("%w: the summary names %d entries ending in %.12s…, the timeline has %d ending in %.12s…",
			ErrBundleSignature, b.Case.Entries, b.Case.Head, len(b.Entries), head)
	}
	carried, err := base64.StdEncoding.DecodeString(b.PublicKey)
	if err != nil || len(carried) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: its public key is not an Ed25519 key", ErrBundleFormat)
	}
	key := ed25519.PublicKey(carried)
	if pub != nil {
		if !bytes.Equal(pub, carried) {
			return nil, ErrBundleKey
		}
		key = pub
	}
	sig, err := base64.StdEncoding.DecodeString(b.Signature)
	if err != nil {
		return nil, fmt.Errorf("%w: the signature is not base64", ErrBundleSignature)
	}
	msg, err := b.SignedBytes()
	if err != nil {
		return nil, err
	}
	if !ed25519.Verify(key, msg, sig) {
		return nil, ErrBundleSignature
	}
	return &Verified{Case: b.Case, KeyGiven: pub != nil}, nil
}

// ParsePublicKey reads an Ed25519 public key given as base64 (as the API serves it).
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace([]byte(s))))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("an Ed25519 public key is 32 bytes in base64")
	}
	return ed25519.PublicKey(b), nil
}

// maxBundleDepth bounds the nesting a bundle may have (an entry's body is an object of a few
// levels).
const maxBundleDepth = 32

// strictBundle checks data is exactly one JSON value with no duplicate keys in any object (nor
// keys equal but for case) and, in the bundle, its case and its entries, only the fields their
// types name, spelled exactly.
func strictBundle(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := strictValue(dec, bundleKeys, 0); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("more than one JSON value")
	}
	return nil
}

// fields are the JSON names of a struct's fields, and the fields of the objects some of them hold
// (in, keyed by name).
type fields struct {
	names map[string]bool
	in    map[string]*fields
}

var (
	entryKeys  = jsonFields(reflect.TypeFor[Entry](), nil)
	caseKeys   = jsonFields(reflect.TypeFor[BundleCase](), nil)
	bundleKeys = jsonFields(reflect.TypeFor[Bundle](), map[string]*fields{"case": caseKeys, "entries": entryKeys})
)

func jsonFields(t reflect.Type, in map[string]*fields) *fields {
	f := &fields{names: map[string]bool{}, in: in}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		f.names[name] = true
	}
	return f
}

// strictValue reads one value from dec. keys, when not nil, are the only keys the value's
// object may have (and, for an array, each of its objects).
func strictValue(dec *json.Decoder, keys *fields, depth int) error {
	if depth > maxBundleDepth {
		return errors.New("nested too deep")
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('['):
		for dec.More() {
			if err := strictValue(dec, keys, depth+1); err != nil {
				return err
			}
		}
		_, err = dec.Token()
		return err
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			k := kt.(string)
			lower := strings.ToLower(k)
			if seen[lower] {
				return fmt.Errorf("the key %q appears twice (or twice but for case)", k)
			}
			seen[lower] = true
			var inner *fields
			if keys != nil {
				if !keys.names[k] {
					return fmt.Errorf("unknown key %q", k)
				}
				inner = keys.in[k]
			}
			if err := strictValue(dec, inner, depth+1); err != nil {
				return err
			}
		}
		_, err = dec.Token()
		return err
	}
	return nil // a scalar (the decoder then checks its type)
}
