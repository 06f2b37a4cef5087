-- Google identities (sqlc; see ../doc.go and google.go). The subject is Google's `sub`.

-- name: GoogleIdentityOwner :one
-- The user a Google account belongs to.
SELECT user_id FROM auth_identities WHERE provider = 'google' AND subject = $1;

-- name: LinkGoogleIdentity :one
-- Links a Google account to a user; one linked before (to anyone) returns no row.
INSERT INTO auth_identities (provider, subject, user_id, email, profile)
VALUES ('google', $1, $2, $3, $4)
ON CONFLICT (provider, subject) DO NOTHING
RETURNING user_id;
