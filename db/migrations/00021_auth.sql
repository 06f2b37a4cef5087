-- +goose Up
-- Accounts and sign-in (package auth owns every table here; docs/auth.md). Only amn_api touches
-- them: the API signs people in, and the `amn users` commands work as amn_api too.

-- A user. The email is optional (a Telegram sign-up has none) and unique case-insensitively; a
-- password hash is argon2id (ours) or bcrypt (imported from the old backend, upgraded on the next
-- sign-in); roles are a set of admin, buyer and seller.
CREATE TABLE users (
    id                uuid PRIMARY KEY,
    email             text CHECK (email IS NULL OR (email = lower(email) AND length(email) BETWEEN 3 AND 254)),
    email_verified_at timestamptz,
    password_hash     text,
    roles             text[] NOT NULL DEFAULT '{}' CHECK (roles <@ ARRAY['admin', 'buyer', 'seller']),
    status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'banned')),
    display_name      text NOT NULL DEFAULT '' CHECK (length(display_name) <= 80),
    bio               text NOT NULL DEFAULT '' CHECK (length(bio) <= 2000),
    avatar_url        text,
    locale            text NOT NULL DEFAULT 'en' CHECK (locale ~ '^[a-z]{2}(-[A-Z]{2})?$'),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (email) WHERE email IS NOT NULL;
CREATE INDEX users_created ON users (created_at DESC, id DESC);

-- An outside identity that signs a user in: a Google account (subject = Google's `sub`) or a
-- Telegram account (subject = the Telegram user id). One identity belongs to one user.
CREATE TABLE auth_identities (
    provider   text NOT NULL CHECK (provider IN ('google', 'telegram')),
    subject    text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email      text,
    profile    jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, subject)
);
CREATE INDEX auth_identities_user ON auth_identities (user_id);

-- Email codes (6 digits): verification and password reset. Stored as an HMAC of the code, never
-- the code; a code expires, allows a few attempts and is used once. A new code replaces the
-- user's unused ones of the same purpose.
CREATE TABLE auth_codes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    code_hash  bytea NOT NULL,
    attempts   int NOT NULL DEFAULT 0,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_codes_user ON auth_codes (user_id, purpose, created_at DESC);

-- A session is one sign-in: a family of refresh tokens, each used once. Using a used token again
-- revokes the session (reuse detection); access tokens name their session (claim `sid`) and stop
-- working when it is revoked.
CREATE TABLE auth_sessions (
    id             uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    method         text NOT NULL CHECK (method IN ('password', 'passkey', 'google', 'telegram', 'email_code')),
    user_agent     text NOT NULL DEFAULT '',
    ip             text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_used_at   timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_reason text CHECK (revoked_reason IN ('logout', 'logout_all', 'revoked', 'reuse', 'password_changed', 'banned'))
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id, created_at DESC, id DESC);

-- Refresh tokens, by the SHA-256 of the token (the token itself is never stored).
CREATE TABLE auth_refresh_tokens (
    token_hash bytea PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES auth_sessions (id) ON DELETE CASCADE,
    issued_at  timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX auth_refresh_tokens_session ON auth_refresh_tokens (session_id);

-- Passkeys (WebAuthn credentials). `credential` is go-webauthn's Credential as JSON (public key,
-- flags, authenticator data); sign_count is kept apart to detect cloned authenticators.
CREATE TABLE auth_passkeys (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id bytea NOT NULL UNIQUE,
    credential    jsonb NOT NULL,
    sign_count    bigint NOT NULL DEFAULT 0,
    name          text NOT NULL DEFAULT '' CHECK (length(name) <= 80),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz
);
CREATE INDEX auth_passkeys_user ON auth_passkeys (user_id);

-- Server-side state of a ceremony between its two requests: a WebAuthn registration or login
-- (`data` = go-webauthn's SessionData) or a SIWE nonce. Single use, short-lived.
CREATE TABLE auth_ceremonies (
    id         uuid PRIMARY KEY,
    purpose    text NOT NULL CHECK (purpose IN ('passkey_register', 'passkey_login', 'siwe')),
    user_id    uuid REFERENCES users (id) ON DELETE CASCADE,
    nonce      text UNIQUE,
    data       jsonb NOT NULL DEFAULT '{}',
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_ceremonies_expiry ON auth_ceremonies (expires_at);

-- Wallets linked by a signed EIP-4361 message: the buyer's refund and the seller's payout
-- addresses come from here. One address belongs to one user; the signed message is kept as proof.
CREATE TABLE auth_wallets (
    address   bytea PRIMARY KEY CHECK (length(address) = 20),
    user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    chain_id  bigint NOT NULL,
    message   text NOT NULL,
    signature bytea NOT NULL CHECK (length(signature) = 65),
    linked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_wallets_user ON auth_wallets (user_id);

-- What admins did to accounts (ban, unban, roles), with their reason; append-only.
CREATE TABLE auth_audit (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor      text NOT NULL,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    action     text NOT NULL CHECK (action IN ('ban', 'unban', 'roles', 'create_admin')),
    detail     jsonb NOT NULL DEFAULT '{}',
    reason     text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE (email, email_verified_at, password_hash, roles, status, display_name, bio, avatar_url, locale, updated_at) ON users TO amn_api;
GRANT SELECT, INSERT ON auth_identities TO amn_api;
GRANT SELECT, INSERT, UPDATE (attempts, used_at), DELETE ON auth_codes TO amn_api;
GRANT SELECT, INSERT, UPDATE (last_used_at, revoked_at, revoked_reason) ON auth_sessions TO amn_api;
GRANT SELECT, INSERT, UPDATE (used_at), DELETE ON auth_refresh_tokens TO amn_api;
GRANT SELECT, INSERT, UPDATE (credential, sign_count, last_used_at), DELETE ON auth_passkeys TO amn_api;
GRANT SELECT, INSERT, UPDATE (used_at), DELETE ON auth_ceremonies TO amn_api;
GRANT SELECT, INSERT, DELETE ON auth_wallets TO amn_api;
GRANT SELECT, INSERT ON auth_audit TO amn_api;

-- +goose Down
DROP TABLE auth_audit, auth_wallets, auth_ceremonies, auth_passkeys, auth_refresh_tokens, auth_sessions, auth_codes, auth_identities, users;
