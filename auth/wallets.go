package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/auth/internal/authdb"
	"github.com/amanat/amn/chain"
)

// SIWEConfig is what a Sign-In with Ethereum message must name to link a wallet.
type SIWEConfig struct {
	// Domain and URI must equal the message's (the frontend's host and origin).
	Domain, URI string
	// ChainIDs are the chains a message may name (the platform's; default chain.Mainnets).
	ChainIDs []int64
	// NonceTTL is how long a nonce may wait for its message (default 10 minutes).
	NonceTTL time.Duration
}

// Defaults of SIWE (the local frontend's).
const (
	DefaultSIWEDomain   = "localhost:3000"
	DefaultSIWEURI      = "http://localhost:3000"
	DefaultSIWENonceTTL = 10 * time.Minute
	// siweSkew is how far in the future a message's Issued At or Not Before may be.
	siweSkew = time.Minute
)

func (c *SIWEConfig) defaults() {
	if c.Domain == "" {
		c.Domain = DefaultSIWEDomain
	}
	if c.URI == "" {
		c.URI = DefaultSIWEURI
	}
	if len(c.ChainIDs) == 0 {
		for _, ch := range chain.Mainnets {
			c.ChainIDs = append(c.ChainIDs, int64(ch.ID))
		}
	}
	if c.NonceTTL <= 0 {
		c.NonceTTL = DefaultSIWENonceTTL
	}
}

// SIWENonce is what the frontend needs to write the message to sign.
type SIWENonce struct {
	Nonce, Domain, URI string
	ChainIDs           []int64
	ExpiresAt          time.Time
}

// Wallet is a linked address.
type Wallet struct {
	Address  common.Address
	ChainID  int64
	LinkedAt time.Time
}

// NewWalletNonce issues a single-use nonce for userID's next SIWE message.
func (s *Service) NewWalletNonce(ctx context.Context, userID uuid.UUID) (SIWENonce, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return SIWENonce{}, err
	}
	c, now := s.cfg.SIWE, s.now()
	out := SIWENonce{Nonce: hex.EncodeToString(b[:]), Domain: c.Domain, URI: c.URI, ChainIDs: c.ChainIDs, ExpiresAt: now.Add(c.NonceTTL)}
	user := uuid.NullUUID{UUID: userID, Valid: true}
	if err := s.q.DeleteExpiredSIWENonces(ctx, authdb.DeleteExpiredSIWENoncesParams{UserID: user, ExpiresAt: now}); err != nil {
		return SIWENonce{}, wrapDB("forget siwe nonces", err)
	}
	if err := s.q.CreateSIWENonce(ctx, authdb.CreateSIWENonceParams{ID: uuid.New(), UserID: user, Nonce: &out.Nonce, ExpiresAt: out.ExpiresAt}); err != nil {
		return SIWENonce{}, wrapDB("create siwe nonce", err)
	}
	return out, nil
}

// LinkWallet links the address of a signed SIWE message to userID. The message must name our
// domain, URI and one of our chains, carry a nonce we issued to this user (used once, before it
// expires), be current (Issued At, Expiration Time, Not Before), and its EIP-191 signature must
// recover to its address. The message and signature are kept as proof. An address linked to
// another user is ErrIdentityTaken; linking one's own address again returns it unchanged. A
// wallet is where money is paid out: the caller must have signed in recently
// (ErrRecentSignInRequired).
func (s *Service) LinkWallet(ctx context.Context, p Principal, message string, signature []byte) (Wallet, error) {
	if err := s.requireRecentSignIn(p); err != nil {
		return Wallet{}, err
	}
	userID := p.UserID
	m, err := s.checkSIWE(message, signature)
	if err != nil {
		return Wallet{}, err
	}
	var out Wallet
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		n, err := q.UseSIWENonce(ctx, authdb.UseSIWENonceParams{Now: s.now(), Nonce: &m.Nonce, UserID: uuid.NullUUID{UUID: userID, Valid: true}})
		if err != nil {
			return wrapDB("use siwe nonce", err)
		}
		if n == 0 {
			return ErrSIWE
		}
		if _, err := q.CreateWallet(ctx, authdb.CreateWalletParams{
			Address: m.Address.Bytes(), UserID: userID, ChainID: m.ChainID, Message: message, Signature: signature,
		}); err != nil {
			return wrapDB("create wallet", err)
		}
		row, err := q.WalletByAddress(ctx, m.Address.Bytes())
		if err != nil {
			return wrapDB("read wallet", err)
		}
		if row.UserID != userID {
			return ErrIdentityTaken
		}
		out = walletFromRow(row)
		return nil
	})
	return out, err
}

// checkSIWE parses the message and checks everything but the nonce.
func (s *Service) checkSIWE(message string, signature []byte) (SIWEMessage, error) {
	m, err := ParseSIWE(message)
	if err != nil {
		return SIWEMessage{}, ErrSIWE
	}
	c, now := s.cfg.SIWE, s.now()
	switch {
	case m.Domain != c.Domain, m.URI != c.URI, m.Scheme != "" && m.Scheme+"://"+m.Domain != originOf(c.URI):
		return SIWEMessage{}, ErrSIWE
	case !slices.Contains(c.ChainIDs, m.ChainID):
		return SIWEMessage{}, ErrSIWE
	case m.IssuedAt.After(now.Add(siweSkew)), m.IssuedAt.Before(now.Add(-c.NonceTTL)):
		return SIWEMessage{}, ErrSIWE
	case m.ExpirationTime != nil && !m.ExpirationTime.After(now):
		return SIWEMessage{}, ErrSIWE
	case m.NotBefore != nil && m.NotBefore.After(now.Add(siweSkew)):
		return SIWEMessage{}, ErrSIWE
	}
	if signer, err := personalSigner(message, signature); err != nil || signer != m.Address {
		return SIWEMessage{}, ErrSIWE
	}
	return m, nil
}

// originOf is the scheme and authority of an absolute URI.
func originOf(uri string) string {
	for i := 0; i+2 < len(uri); i++ {
		if uri[i:i+3] == "://" {
			rest := uri[i+3:]
			for j := range len(rest) {
				if rest[j] == '/' || rest[j] == '?' || rest[j] == '#' {
					return uri[:i+3+j]
				}
			}
			return uri
		}
	}
	return ""
}

// personalSigner recovers the address that signed message with EIP-191 personal_sign (v 27/28 or
// 0/1).
func personalSigner(message string, sig []byte) (common.Address, error) {
	if len(sig) != crypto.SignatureLength {
		return common.Address{}, errors.New("signature length")
	}
	rsv := slices.Clone(sig)
	if rsv[64] >= 27 {
		rsv[64] -= 27
	}
	if rsv[64] > 1 {
		return common.Address{}, errors.New("signature v")
	}
	pub, err := crypto.SigToPub(accounts.TextHash([]byte(message)), rsv)
	if err != nil {
		return common.Address{}, err
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// ListWallets is userID's wallets, oldest first.
func (s *Service) ListWallets(ctx context.Context, userID uuid.UUID) ([]Wallet, error) {
	return s.WalletsOf(ctx, userID)
}

// WalletsOf is the wallets linked to userID: the addresses the custody boundary accepts as the
// user's refund (buyer) or payout (seller) address.
func (s *Service) WalletsOf(ctx context.Context, userID uuid.UUID) ([]Wallet, error) {
	rows, err := s.q.WalletsOfUser(ctx, userID)
	if err != nil {
		return nil, wrapDB("list wallets", err)
	}
	out := make([]Wallet, len(rows))
	for i, r := range rows {
		out[i] = walletFromRow(r)
	}
	return out, nil
}

// WalletOwner is the user an address is linked to, or ErrNotFound.
func (s *Service) WalletOwner(ctx context.Context, address common.Address) (uuid.UUID, error) {
	row, err := s.q.WalletByAddress(ctx, address.Bytes())
	if errors.Is(err, pgx.ErrNoRows) {
		return uuid.Nil, ErrNotFound
	}
	if err != nil {
		return uuid.Nil, wrapDB("read wallet", err)
	}
	return row.UserID, nil
}

// UnlinkWallet unlinks a wallet of userID; another user's wallet, or none, is ErrNotFound.
func (s *Service) UnlinkWallet(ctx context.Context, userID uuid.UUID, address common.Address) error {
	n, err := s.q.DeleteWallet(ctx, authdb.DeleteWalletParams{Address: address.Bytes(), UserID: userID})
	if err != nil {
		return wrapDB("unlink wallet", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

func walletFromRow(r authdb.AuthWallet) Wallet {
	return Wallet{Address: common.BytesToAddress(r.Address), ChainID: r.ChainID, LinkedAt: r.LinkedAt}
}
