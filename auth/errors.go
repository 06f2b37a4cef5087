package auth

import "github.com/amanat/amn/kind"

// The errors of sign-in. Each is of a kind (package kind); the API gives each its own code.
var (
	// ErrUnauthenticated: no access token, or one that is malformed, badly signed, for another
	// audience, or whose session is revoked or user banned.
	ErrUnauthenticated = kind.New(kind.Refused, "not signed in")
	// ErrTokenExpired: the access token has expired; refresh it.
	ErrTokenExpired = kind.New(kind.Refused, "access token expired")
	// ErrForbidden: signed in, but without the role the operation needs.
	ErrForbidden = kind.New(kind.Refused, "the account lacks the role for this")
	// ErrInvalidCredentials: wrong email or password; the same for an email nobody has.
	ErrInvalidCredentials = kind.New(kind.Refused, "wrong email or password")
	// ErrEmailUnverified: the right password for an account whose email is not verified yet.
	ErrEmailUnverified = kind.New(kind.Refused, "verify the email address first")
	// ErrBanned: the account is banned.
	ErrBanned = kind.New(kind.Refused, "the account is banned")
	// ErrCodeInvalid: an email code that is wrong, expired, used, or tried too often.
	ErrCodeInvalid = kind.New(kind.Refused, "the code is wrong, expired or used up")
	// ErrWeakPassword: a password too short or too common.
	ErrWeakPassword = kind.New(kind.Invalid, "the password is too weak")
	// ErrRefreshInvalid: a refresh token that is unknown, expired, revoked, or used before (which
	// revokes its session).
	ErrRefreshInvalid = kind.New(kind.Refused, "the refresh token is not valid; sign in again")
	// ErrIdentityTaken: the outside identity or wallet belongs to another user.
	ErrIdentityTaken = kind.New(kind.Conflict, "linked to another account")
	// ErrPasskeyInvalid: a WebAuthn response that does not verify (wrong challenge, origin,
	// signature, unknown credential, a sign count that went back).
	ErrPasskeyInvalid = kind.New(kind.Refused, "the passkey response does not verify")
	// ErrGoogleToken: a Google ID token that does not verify (signature, audience, expiry) or
	// whose email is not verified.
	ErrGoogleToken = kind.New(kind.Refused, "the Google ID token is not valid")
	// ErrTelegram: Telegram data whose hash does not verify or whose auth_date is stale.
	ErrTelegram = kind.New(kind.Refused, "the Telegram sign-in data is not valid")
	// ErrSIWE: a Sign-In with Ethereum message or signature that does not verify (nonce, domain,
	// chain, expiry, signer), or a nonce used before.
	ErrSIWE = kind.New(kind.Refused, "the signed wallet message is not valid")
	// ErrNotFound: the named session, passkey, wallet or user is not the caller's or does not exist.
	ErrNotFound = kind.New(kind.NotFound, "not found")
)
