-- Wallets linked by Sign-In with Ethereum, and their nonces (sqlc; see ../doc.go).

-- name: CreateSIWENonce :exec
-- A nonce for one user's next SIWE message (auth_ceremonies, purpose siwe).
INSERT INTO auth_ceremonies (id, purpose, user_id, nonce, expires_at)
VALUES ($1, 'siwe', $2, $3, $4);

-- name: UseSIWENonce :execrows
-- Uses a nonce once: only its own user's, unused and unexpired; 0 rows otherwise.
UPDATE auth_ceremonies SET used_at = @now::timestamptz
WHERE purpose = 'siwe' AND nonce = @nonce AND user_id = @user_id AND used_at IS NULL AND expires_at > @now::timestamptz;

-- name: DeleteExpiredSIWENonces :exec
-- Forgets a user's SIWE nonces that expired or were used (kept tidy as new ones are issued).
DELETE FROM auth_ceremonies
WHERE purpose = 'siwe' AND user_id = $1 AND (used_at IS NOT NULL OR expires_at <= $2);

-- name: CreateWallet :execrows
-- Links a wallet; 0 rows when the address is linked already (to anyone).
INSERT INTO auth_wallets (address, user_id, chain_id, message, signature)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (address) DO NOTHING;

-- name: WalletByAddress :one
SELECT * FROM auth_wallets WHERE address = $1;

-- name: WalletsOfUser :many
-- A user's wallets, oldest first.
SELECT * FROM auth_wallets WHERE user_id = $1 ORDER BY linked_at, address;

-- name: DeleteWallet :execrows
-- Unlinks a wallet of a user; 0 rows when the user has no such wallet.
DELETE FROM auth_wallets WHERE address = $1 AND user_id = $2;
