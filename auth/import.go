package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/amanat/amn/auth/internal/authdb"
	"github.com/amanat/amn/kind"
)

// ImportedUser is an account of the legacy store, as package migrate/mongo hands it over.
type ImportedUser struct {
	ID            uuid.UUID // derived by the importer from the old _id
	Email         *string   // lower-case, or nil
	EmailVerified bool
	// PasswordHash is the old hash as is (bcrypt, "$2a$…"/"$2b$…"/"$2y$…"), or "" for none. Login
	// verifies it at the next sign-in and then replaces it with an argon2id hash.
	PasswordHash string
	Roles        []Role
	Banned       bool
	DisplayName  string
	TelegramID   int64 // 0: none
	Passkeys     []ImportedPasskey
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// LastImported is when the importer last wrote this account (nil: never). An account changed
	// here since (its updated_at later: a sign-in upgraded its hash, its owner or an admin changed
	// it) is live, and a rerun leaves it alone: ErrChangedHere.
	LastImported *time.Time
}

// ImportedPasskey is a WebAuthn credential the old backend registered.
type ImportedPasskey struct {
	CredentialID []byte
	PublicKey    []byte // COSE_Key, as the authenticator sent it at registration
	SignCount    uint32
	// UserHandle is the user handle the old backend registered the credential with (its user
	// id's bytes): the authenticator names the user with it at every sign-in.
	UserHandle     []byte
	BackupEligible bool
	BackupState    bool
	Transports     []string
	Name           string
	CreatedAt      time.Time
}

// ErrImportInvalid: an imported account breaks a rule of accounts (the importer reports it and
// skips the document).
var ErrImportInvalid = kind.New(kind.Invalid, "imported account invalid")

// ErrChangedHere: a rerun of the import found the account changed here since its last import; it
// is left as it is (the importer reports it and skips the document).
var ErrChangedHere = kind.New(kind.Conflict, "the account changed here since its last import: left as it is")

// passkeyNamespace derives an imported passkey's id from its credential id.
var passkeyNamespace = uuid.MustParse("6f1c1b0e-7a39-4c55-9a1e-0d5c2b8f4a11")

// ImportUser writes (or, on a rerun, overwrites) an account of the legacy store in tx: the user,
// its Telegram identity and its passkeys. On a rerun, an imported passkey or Telegram link the old
// store no longer lists is removed (one added here is never touched). It is the only way the importer writes auth's tables;
// a Telegram id or passkey that is another account's is ErrIdentityTaken, and the importer's
// transaction is then rolled back whole.
func ImportUser(ctx context.Context, tx pgx.Tx, u ImportedUser) error {
	if err := CheckImportedUser(u); err != nil {
		return err
	}
	q := authdb.New(tx)
	if u.LastImported != nil {
		row, err := q.UserByID(ctx, u.ID)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return wrapDB("read user", err)
		}
		if err == nil && row.UpdatedAt.After(*u.LastImported) {
			return ErrChangedHere
		}
	}
	var hash *string
	if u.PasswordHash != "" {
		hash = &u.PasswordHash
	}
	var verified *time.Time
	if u.EmailVerified && u.Email != nil {
		verified = &u.CreatedAt
	}
	status := "active"
	if u.Banned {
		status = "banned"
	}
	updated := u.UpdatedAt
	if updated.IsZero() {
		updated = u.CreatedAt
	}
	if err := q.ImportUser(ctx, authdb.ImportUserParams{ID: u.ID, Email: u.Email, EmailVerifiedAt: verified,
		PasswordHash: hash, Roles: roleStrings(u.Roles), Status: status, DisplayName: u.DisplayName,
		CreatedAt: u.CreatedAt, UpdatedAt: updated}); err != nil {
		return wrapDB("import user", err)
	}
	// What the old store no longer lists goes: a passkey or a Telegram link removed there.
	keepTG := ""
	if u.TelegramID != 0 {
		keepTG = strconv.FormatInt(u.TelegramID, 10)
	}
	if _, err := q.DeleteLegacyTelegramExcept(ctx, authdb.DeleteLegacyTelegramExceptParams{UserID: u.ID, Keep: keepTG}); err != nil {
		return wrapDB("remove imported telegram identity", err)
	}
	keepPK := make([][]byte, 0, len(u.Passkeys))
	for _, p := range u.Passkeys {
		keepPK = append(keepPK, p.CredentialID)
	}
	if _, err := q.DeleteLegacyPasskeysExcept(ctx, authdb.DeleteLegacyPasskeysExceptParams{UserID: u.ID, Keep: keepPK}); err != nil {
		return wrapDB("remove imported passkeys", err)
	}
	if u.TelegramID != 0 {
		n, err := q.ImportTelegramIdentity(ctx, authdb.ImportTelegramIdentityParams{
			Subject: strconv.FormatInt(u.TelegramID, 10), UserID: u.ID, CreatedAt: u.CreatedAt})
		if err != nil {
			return wrapDB("import telegram identity", err)
		}
		if n == 0 {
			return fmt.Errorf("telegram id %d: %w", u.TelegramID, ErrIdentityTaken)
		}
	}
	for i, p := range u.Passkeys {
		if err := importPasskey(ctx, q, u.ID, p); err != nil {
			return fmt.Errorf("passkey %d: %w", i, err)
		}
	}
	return nil
}

// CheckImportedUser says what ImportUser would refuse in u without writing: no id or creation
// time, passkeys or a Telegram id on an account with an unverified email, a password hash no sign-in can verify, a passkey without credential id or user handle or
// with a public key go-webauthn cannot read.
func CheckImportedUser(u ImportedUser) error {
	if u.ID == uuid.Nil || u.CreatedAt.IsZero() {
		return fmt.Errorf("%w: no id or creation time", ErrImportInvalid)
	}
	if u.Email != nil && !u.EmailVerified && (u.TelegramID != 0 || len(u.Passkeys) > 0) {
		// Whoever registered an address nobody proved may have added them: its owner, verifying
		// it here later, would share the account with them (firstVerification removes such ways
		// in; the importer leaves them out and reports it).
		return fmt.Errorf("%w: passkeys or a Telegram id on an account whose email is not verified", ErrImportInvalid)
	}
	if u.PasswordHash != "" && !readableHash(u.PasswordHash) {
		return fmt.Errorf("%w: password hash is neither bcrypt nor argon2id", ErrImportInvalid)
	}
	for i, p := range u.Passkeys {
		if len(p.CredentialID) == 0 || len(p.CredentialID) > 1023 || len(p.PublicKey) == 0 || len(p.UserHandle) == 0 || len(p.UserHandle) > 64 {
			return fmt.Errorf("%w: passkey %d without credential id, public key or user handle", ErrImportInvalid, i)
		}
		if _, err := webauthncose.ParsePublicKey(p.PublicKey); err != nil {
			return fmt.Errorf("%w: passkey %d public key: %v", ErrImportInvalid, i, err)
		}
	}
	return nil
}

func importPasskey(ctx context.Context, q *authdb.Queries, userID uuid.UUID, p ImportedPasskey) error {
	transports := make([]protocol.AuthenticatorTransport, len(p.Transports))
	for i, t := range p.Transports {
		transports[i] = protocol.AuthenticatorTransport(t)
	}
	cred := webauthn.Credential{
		ID: p.CredentialID, PublicKey: p.PublicKey, AttestationType: "none", Transport: transports,
		Flags: webauthn.CredentialFlags{UserPresent: true, UserVerified: true,
			BackupEligible: p.BackupEligible, BackupState: p.BackupState},
		Authenticator: webauthn.Authenticator{SignCount: p.SignCount},
	}
	raw, err := json.Marshal(cred)
	if err != nil {
		return err
	}
	created := p.CreatedAt
	if created.IsZero() {
		created = time.Now().UTC()
	}
	n, err := q.ImportPasskey(ctx, authdb.ImportPasskeyParams{
		ID: uuid.NewSHA1(passkeyNamespace, p.CredentialID), UserID: userID, CredentialID: p.CredentialID,
		Credential: raw, SignCount: int64(p.SignCount), Name: truncateRunes(p.Name, 80), CreatedAt: created,
		LegacyUserHandle: p.UserHandle})
	if err != nil {
		return wrapDB("import passkey", err)
	}
	if n == 0 {
		return fmt.Errorf("passkey credential: %w", ErrIdentityTaken)
	}
	return nil
}

// readableHash says whether a stored password hash is one verify can check: bcrypt (whatever its
// cost) or argon2id within parsePHC's bounds.
func readableHash(s string) bool {
	if strings.HasPrefix(s, "$2a$") || strings.HasPrefix(s, "$2b$") || strings.HasPrefix(s, "$2y$") {
		_, err := bcrypt.Cost([]byte(s))
		return err == nil
	}
	_, err := parsePHC(s)
	return err == nil
}

// CountUsers counts the accounts among ids (the import's verification).
func CountUsers(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) (int64, error) {
	return authdb.New(tx).CountUsersAmong(ctx, ids)
}
