package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/auth/internal/authdb"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/kind"
)

// PasskeyConfig is the WebAuthn relying party: who the passkeys are for and which web pages may
// use them.
type PasskeyConfig struct {
	// RPID is the relying party id, the site's registrable domain ("amn.example"); a passkey is
	// bound to it. Empty is DefaultPasskeyRPID.
	RPID string
	// RPDisplayName is the name authenticators show. Empty is DefaultPasskeyRPName.
	RPDisplayName string
	// Origins are the web origins allowed to run a ceremony ("https://amn.example"). Empty is
	// DefaultPasskeyOrigins.
	Origins []string
}

// The passkey defaults: a frontend on localhost:3000 (amn dev).
const (
	DefaultPasskeyRPID   = "localhost"
	DefaultPasskeyRPName = "Amn"
)

// DefaultPasskeyOrigins are the origins allowed when none are configured.
var DefaultPasskeyOrigins = []string{"http://localhost:3000"}

// Limits of passkeys.
const (
	// ceremonyTTL bounds the time between a ceremony's begin and finish.
	ceremonyTTL = 5 * time.Minute
	// maxPasskeys per user.
	maxPasskeys = 20
	// maxCredentialJSON bounds a WebAuthn response (real ones are a few KiB).
	maxCredentialJSON = 32 << 10
)

// ErrTooManyPasskeys: the user has maxPasskeys already.
var ErrTooManyPasskeys = kind.New(kind.Conflict, "too many passkeys; remove one first")

// Ceremony purposes (auth_ceremonies.purpose).
const (
	purposePasskeyRegister = "passkey_register"
	purposePasskeyLogin    = "passkey_login"
)

// Passkey is a registered WebAuthn credential as the account owner sees it.
type Passkey struct {
	ID         uuid.UUID
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// Ceremony is the first half of a WebAuthn ceremony: its id, to send back with the response, and
// the options to pass to navigator.credentials.create or .get (JSON).
type Ceremony struct {
	ID      uuid.UUID
	Options json.RawMessage
}

// newWebAuthn checks the relying party settings and fills in the defaults.
func newWebAuthn(c PasskeyConfig) (*webauthn.WebAuthn, error) {
	if c.RPID == "" {
		c.RPID = DefaultPasskeyRPID
	}
	if c.RPDisplayName == "" {
		c.RPDisplayName = DefaultPasskeyRPName
	}
	if len(c.Origins) == 0 {
		c.Origins = DefaultPasskeyOrigins
	}
	w, err := webauthn.New(&webauthn.Config{
		RPID: c.RPID, RPDisplayName: c.RPDisplayName, RPOrigins: c.Origins,
		AttestationPreference: protocol.PreferNoAttestation,
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:        protocol.ResidentKeyRequirementRequired,
			RequireResidentKey: protocol.ResidentKeyRequired(),
			// A passkey is the whole sign-in (no password besides it): the authenticator must
			// verify the user (PIN, biometrics), not only see that someone touched it.
			UserVerification: protocol.VerificationRequired,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("auth: passkey settings: %w", err)
	}
	return w, nil
}

// passkeyUser is a user as go-webauthn sees it: the user handle is the user id's 16 bytes, so a
// discoverable sign-in's assertion names its user.
type passkeyUser struct {
	user  User
	creds []webauthn.Credential
	// handle is the old backend's user handle when the sign-in is with a passkey it registered
	// (ImportUser): the authenticator names the user with it, and go-webauthn checks they agree.
	handle []byte
}

func (u passkeyUser) WebAuthnID() []byte {
	if u.handle != nil {
		return u.handle
	}
	return u.user.ID[:]
}

func (u passkeyUser) WebAuthnName() string {
	if u.user.Email != nil {
		return *u.user.Email
	}
	if u.user.DisplayName != "" {
		return u.user.DisplayName
	}
	return u.user.ID.String()
}

func (u passkeyUser) WebAuthnDisplayName() string {
	if u.user.DisplayName != "" {
		return u.user.DisplayName
	}
	return u.WebAuthnName()
}

func (u passkeyUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

// passkeyUser reads a user and their credentials.
func (s *Service) passkeyUser(ctx context.Context, q *authdb.Queries, id uuid.UUID) (passkeyUser, error) {
	u, err := s.user(ctx, q, id)
	if err != nil {
		return passkeyUser{}, err
	}
	rows, err := q.PasskeysOfUser(ctx, id)
	if err != nil {
		return passkeyUser{}, wrapDB("read passkeys", err)
	}
	out := passkeyUser{user: u, creds: make([]webauthn.Credential, 0, len(rows))}
	for _, r := range rows {
		var c webauthn.Credential
		if err := json.Unmarshal(r.Credential, &c); err != nil {
			return passkeyUser{}, fmt.Errorf("auth: passkey %s: %w", r.ID, err)
		}
		out.creds = append(out.creds, c)
	}
	return out, nil
}

// Passkeys lists a user's passkeys.
func (s *Service) Passkeys(ctx context.Context, userID uuid.UUID) ([]Passkey, error) {
	rows, err := s.q.PasskeysOfUser(ctx, userID)
	if err != nil {
		return nil, wrapDB("read passkeys", err)
	}
	out := make([]Passkey, len(rows))
	for i, r := range rows {
		out[i] = passkeyFromRow(r)
	}
	return out, nil
}

func passkeyFromRow(r authdb.AuthPasskey) Passkey {
	return Passkey{ID: r.ID, Name: r.Name, CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt}
}

// DeletePasskey removes one of the user's passkeys; another user's passkey is ErrNotFound.
func (s *Service) DeletePasskey(ctx context.Context, userID, passkeyID uuid.UUID) error {
	n, err := s.q.DeletePasskeyOfUser(ctx, authdb.DeletePasskeyOfUserParams{ID: passkeyID, UserID: userID})
	if err != nil {
		return wrapDB("delete passkey", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// BeginPasskeyRegistration starts adding a passkey to a signed-in user's account (signed in
// recently: ErrRecentSignInRequired): the options ask for a discoverable credential and exclude
// the user's registered ones.
func (s *Service) BeginPasskeyRegistration(ctx context.Context, p Principal) (Ceremony, error) {
	if err := s.requireRecentSignIn(p); err != nil {
		return Ceremony{}, err
	}
	userID := p.UserID
	u, err := s.passkeyUser(ctx, s.q, userID)
	if err != nil {
		return Ceremony{}, err
	}
	if len(u.creds) >= maxPasskeys {
		return Ceremony{}, ErrTooManyPasskeys
	}
	creation, data, err := s.webauthn.BeginRegistration(u,
		webauthn.WithExclusions(webauthn.Credentials(u.creds).CredentialDescriptors()))
	if err != nil {
		return Ceremony{}, fmt.Errorf("auth: begin passkey registration: %w", err)
	}
	return s.saveCeremony(ctx, purposePasskeyRegister, uuid.NullUUID{UUID: userID, Valid: true}, data, creation.Response)
}

// BeginPasskeyLogin starts a discoverable sign-in: no user is named; the assertion's user handle
// will name one.
func (s *Service) BeginPasskeyLogin(ctx context.Context) (Ceremony, error) {
	assertion, data, err := s.webauthn.BeginDiscoverableLogin()
	if err != nil {
		return Ceremony{}, fmt.Errorf("auth: begin passkey login: %w", err)
	}
	return s.saveCeremony(ctx, purposePasskeyLogin, uuid.NullUUID{}, data, assertion.Response)
}

// saveCeremony keeps go-webauthn's session data until the finish request, and forgets expired
// ceremonies on the way.
func (s *Service) saveCeremony(ctx context.Context, purpose string, userID uuid.NullUUID, data *webauthn.SessionData, options any) (Ceremony, error) {
	now := s.now()
	if err := s.q.DeleteStalePasskeyCeremonies(ctx, now.Add(-ceremonyTTL)); err != nil {
		return Ceremony{}, wrapDB("forget ceremonies", err)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return Ceremony{}, err
	}
	opts, err := json.Marshal(options)
	if err != nil {
		return Ceremony{}, err
	}
	id := uuid.New()
	if err := s.q.CreatePasskeyCeremony(ctx, authdb.CreatePasskeyCeremonyParams{
		ID: id, Purpose: purpose, UserID: userID, Data: raw, ExpiresAt: now.Add(ceremonyTTL), CreatedAt: now,
	}); err != nil {
		return Ceremony{}, wrapDB("save ceremony", err)
	}
	return Ceremony{ID: id, Options: opts}, nil
}

// takeCeremony spends a ceremony: unknown, used, expired, of another purpose or (registration)
// another user's is ErrPasskeyInvalid. It is spent whether or not the response then verifies, so
// a challenge is answered at most once.
func (s *Service) takeCeremony(ctx context.Context, id uuid.UUID, purpose string, userID uuid.NullUUID) (webauthn.SessionData, error) {
	raw, err := s.q.UsePasskeyCeremony(ctx, authdb.UsePasskeyCeremonyParams{
		Now: s.now(), ID: id, Purpose: purpose, UserID: userID,
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return webauthn.SessionData{}, ErrPasskeyInvalid
	}
	if err != nil {
		return webauthn.SessionData{}, wrapDB("take ceremony", err)
	}
	var data webauthn.SessionData
	if err := json.Unmarshal(raw, &data); err != nil {
		return webauthn.SessionData{}, fmt.Errorf("auth: ceremony %s: %w", id, err)
	}
	return data, nil
}

// FinishPasskeyRegistration verifies an attestation response (JSON of the PublicKeyCredential)
// against the user's ceremony and stores the new passkey. name is the user's label for it. The
// sign-in must still be recent (ErrRecentSignInRequired).
func (s *Service) FinishPasskeyRegistration(ctx context.Context, p Principal, ceremonyID uuid.UUID, name string, response []byte) (Passkey, error) {
	if len(response) > maxCredentialJSON {
		return Passkey{}, ErrPasskeyInvalid
	}
	if !plainText(name, false) {
		return Passkey{}, ErrTextInvalid // before the ceremony is spent: the user may try again
	}
	if err := s.requireRecentSignIn(p); err != nil {
		return Passkey{}, err
	}
	userID := p.UserID
	data, err := s.takeCeremony(ctx, ceremonyID, purposePasskeyRegister, uuid.NullUUID{UUID: userID, Valid: true})
	if err != nil {
		return Passkey{}, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil || !parsed.Response.AttestationObject.AuthData.Flags.HasUserVerified() {
		return Passkey{}, ErrPasskeyInvalid
	}
	u, err := s.passkeyUser(ctx, s.q, userID)
	if err != nil {
		return Passkey{}, err
	}
	if len(u.creds) >= maxPasskeys {
		return Passkey{}, ErrTooManyPasskeys
	}
	cred, err := s.webauthn.CreateCredential(u, data, parsed)
	if err != nil {
		return Passkey{}, ErrPasskeyInvalid
	}
	return s.storePasskey(ctx, userID, name, cred)
}

func (s *Service) storePasskey(ctx context.Context, userID uuid.UUID, name string, cred *webauthn.Credential) (Passkey, error) {
	raw, err := json.Marshal(cred)
	if err != nil {
		return Passkey{}, err
	}
	row, err := s.q.CreatePasskey(ctx, authdb.CreatePasskeyParams{
		ID: uuid.New(), UserID: userID, CredentialID: cred.ID, Credential: raw,
		SignCount: int64(cred.Authenticator.SignCount), Name: truncateRunes(name, 80), CreatedAt: s.now(),
	})
	if db.IsUniqueViolation(err, "") {
		// The credential is registered already (here or on another account): an authenticator
		// makes a new credential id for every registration, so this is a replayed attestation.
		return Passkey{}, ErrPasskeyInvalid
	}
	if err != nil {
		return Passkey{}, wrapDB("create passkey", err)
	}
	return passkeyFromRow(row), nil
}

// FinishPasskeyLogin verifies an assertion response (JSON of the PublicKeyCredential) against a
// login ceremony, finds the user by its user handle, checks that the credential is theirs and
// that its sign count went forward, and starts a session.
func (s *Service) FinishPasskeyLogin(ctx context.Context, ceremonyID uuid.UUID, response []byte, c Client) (Session, error) {
	if len(response) > maxCredentialJSON {
		return Session{}, ErrPasskeyInvalid
	}
	data, err := s.takeCeremony(ctx, ceremonyID, purposePasskeyLogin, uuid.NullUUID{})
	if err != nil {
		return Session{}, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil || !parsed.Response.AuthenticatorData.Flags.HasUserVerified() {
		// go-webauthn checks the flag too (the ceremony requires it); this holds for a ceremony
		// begun before verification was required.
		return Session{}, ErrPasskeyInvalid
	}
	var out Session
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		user, cred, err := s.webauthn.ValidatePasskeyLogin(s.discoverUser(ctx, q), data, parsed)
		if err != nil {
			var dbErr *lookupError
			if errors.As(err, &dbErr) {
				return dbErr.err
			}
			return ErrPasskeyInvalid
		}
		if cred.Authenticator.CloneWarning {
			return ErrPasskeyInvalid
		}
		if err := s.usePasskey(ctx, q, user.(passkeyUser).user.ID, cred); err != nil {
			return err
		}
		out, err = s.startSession(ctx, q, user.(passkeyUser).user.ID, MethodPasskey, c)
		return err
	})
	return out, err
}

// lookupError carries a database failure out of go-webauthn's user lookup, so that it is not
// mistaken for a response that does not verify.
type lookupError struct{ err error }

func (e *lookupError) Error() string { return e.err.Error() }

// discoverUser finds the user a discoverable assertion's user handle names.
func (s *Service) discoverUser(ctx context.Context, q *authdb.Queries) webauthn.DiscoverableUserHandler {
	return func(rawID, userHandle []byte) (webauthn.User, error) {
		// A passkey the old backend registered names its user with the old handle (ImportUser).
		var legacy []byte
		id, err := q.LegacyPasskeyUser(ctx, authdb.LegacyPasskeyUserParams{CredentialID: rawID, UserHandle: userHandle})
		switch {
		case err == nil:
			legacy = userHandle
		case errors.Is(err, pgx.ErrNoRows):
			if id, err = uuid.FromBytes(userHandle); err != nil {
				return nil, ErrPasskeyInvalid
			}
		default:
			return nil, &lookupError{err}
		}
		u, err := s.passkeyUser(ctx, q, id)
		if errors.Is(err, ErrNotFound) {
			return nil, ErrPasskeyInvalid
		}
		if err != nil {
			return nil, &lookupError{err}
		}
		u.handle = legacy
		return u, nil
	}
}

// usePasskey stores the credential's new sign count; a count that did not go forward (a cloned
// authenticator, or the same count used concurrently) is ErrPasskeyInvalid.
func (s *Service) usePasskey(ctx context.Context, q *authdb.Queries, userID uuid.UUID, cred *webauthn.Credential) error {
	raw, err := json.Marshal(cred)
	if err != nil {
		return err
	}
	_, err = q.UsePasskey(ctx, authdb.UsePasskeyParams{
		Credential: raw, SignCount: int64(cred.Authenticator.SignCount), UsedAt: s.now(),
		CredentialID: cred.ID, UserID: userID,
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrPasskeyInvalid
	}
	if err != nil {
		return wrapDB("use passkey", err)
	}
	return nil
}
