// Package auth owns accounts and sign-in: users and their roles, passwords, email codes, sessions
// (refresh-token families) and the access tokens that name them, passkeys, Google and Telegram
// identities, and wallets linked by Sign-In with Ethereum. Its tables are created by migrations
// 00021 and 00028; its SQL is queries/*.sql, compiled by sqlc into internal/authdb.
//
// Every sign-in method ends in Service.StartSession, which opens a session and issues its tokens;
// every authenticated request goes through Service.Authenticate, which checks the token and that
// its session is live and its user active.
//
// It must never keep a secret it can avoid keeping (codes and refresh tokens are stored hashed,
// passwords as argon2id), never tell whether an account exists to someone who does not own it,
// and never import payment, signer or key packages: a wallet link is a proof of ownership, not a
// key.
package auth
