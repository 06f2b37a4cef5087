package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/auth/internal/authdb"
	"github.com/amanat/amn/kind"
)

// TelegramConfig is Telegram sign-in's settings.
type TelegramConfig struct {
	// BotToken is the bot's token (a secret: it derives the keys Telegram signs with). Empty turns
	// Telegram sign-in off.
	BotToken string
	// InitDataMaxAge and WidgetMaxAge bound how old signed data may be (its auth_date): a Mini
	// App sends its initData when it opens, a Login Widget page when the user confirms.
	InitDataMaxAge, WidgetMaxAge time.Duration
}

// Defaults for the freshness of Telegram data.
const (
	DefaultTelegramInitDataMaxAge = time.Hour
	DefaultTelegramWidgetMaxAge   = 24 * time.Hour
)

// Errors of Telegram sign-in besides ErrTelegram.
var (
	// ErrTelegramOff: no bot token is configured.
	ErrTelegramOff = kind.New(kind.Unavailable, "Telegram sign-in is not configured")
	// ErrTelegramAlreadyLinked: the account has another Telegram account linked.
	ErrTelegramAlreadyLinked = kind.New(kind.Conflict, "another Telegram account is linked to this account")
)

// telegramUse is what makes a piece of Telegram data single-use: a digest of its hash (never the
// hash itself: with the data it is a credential until it expires), remembered until the data is
// too old to be accepted anyway.
type telegramUse struct {
	nonce string
	until time.Time
}

// verifyTelegram checks d (exactly one form) and returns its user and what marks it used.
func (s *Service) verifyTelegram(d TelegramData) (TelegramUser, telegramUse, error) {
	tc := s.cfg.Telegram
	if tc.BotToken == "" {
		return TelegramUser{}, telegramUse{}, ErrTelegramOff
	}
	var (
		tu     TelegramUser
		err    error
		hash   string
		maxAge time.Duration
	)
	switch {
	case d.InitData != "" && d.Widget == nil:
		maxAge = orDefault(tc.InitDataMaxAge, DefaultTelegramInitDataMaxAge)
		tu, err = VerifyInitData(d.InitData, tc.BotToken, s.now(), maxAge)
		if err == nil {
			q, _ := url.ParseQuery(d.InitData) // parsed strictly above: one hash
			hash = q.Get("hash")
		}
	case d.InitData == "" && d.Widget != nil:
		maxAge = orDefault(tc.WidgetMaxAge, DefaultTelegramWidgetMaxAge)
		tu, err = VerifyWidget(*d.Widget, tc.BotToken, s.now(), maxAge)
		hash = d.Widget.Hash
	default:
		err = ErrTelegram
	}
	if err != nil {
		return TelegramUser{}, telegramUse{}, err
	}
	digest := sha256.Sum256([]byte(hash))
	// auth_date has whole seconds and is compared in them: a minute more covers the last one.
	return tu, telegramUse{nonce: "telegram:" + hex.EncodeToString(digest[:]), until: tu.AuthDate.Add(maxAge + time.Minute)}, nil
}

// useTelegramData marks data used in q's transaction; data used before is ErrTelegram (a replay
// within its age: the data signs in once). Used data past its age is forgotten on the way.
func (s *Service) useTelegramData(ctx context.Context, q *authdb.Queries, use telegramUse) error {
	now := s.now()
	if err := q.DeleteExpiredTelegramData(ctx, now); err != nil {
		return wrapDB("forget used telegram data", err)
	}
	n, err := q.UseTelegramData(ctx, authdb.UseTelegramDataParams{ID: uuid.New(), Nonce: &use.nonce, ExpiresAt: use.until, Now: now})
	if err != nil {
		return wrapDB("use telegram data", err)
	}
	if n == 0 {
		return ErrTelegram
	}
	return nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// SignInWithTelegram signs in the user whose Telegram account d proves, creating an account
// without email (a buyer, named and pictured from Telegram) the first time. The data works once.
func (s *Service) SignInWithTelegram(ctx context.Context, d TelegramData, c Client) (Session, error) {
	tu, use, err := s.verifyTelegram(d)
	if err != nil {
		return Session{}, err
	}
	subject := strconv.FormatInt(tu.ID, 10)
	// Two first sign-ins at once both try to create the account; the loser's identity insert finds
	// the winner's row, and its second round signs the winner's account in.
	for range 2 {
		var out Session
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			q := s.q.WithTx(tx)
			if err := s.useTelegramData(ctx, q, use); err != nil {
				return err
			}
			userID, err := s.telegramUser(ctx, q, subject, tu)
			if err != nil {
				return err
			}
			out, err = s.startSession(ctx, q, userID, MethodTelegram, c)
			return err
		})
		if !errors.Is(err, errLostRace) {
			return out, err
		}
	}
	return Session{}, wrapDB("telegram sign-in", errLostRace)
}

var errLostRace = errors.New("another request linked the identity first")

// telegramUser returns the user of a Telegram account, creating it when there is none.
func (s *Service) telegramUser(ctx context.Context, q *authdb.Queries, subject string, tu TelegramUser) (uuid.UUID, error) {
	id, err := q.TelegramIdentityUser(ctx, subject)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return uuid.Nil, wrapDB("read telegram identity", err)
	}
	u, err := s.createUser(ctx, q, NewUser{Roles: []Role{RoleBuyer}, DisplayName: telegramDisplayName(tu)})
	if err != nil {
		return uuid.Nil, err
	}
	if avatar := telegramAvatar(tu.PhotoURL); avatar != nil {
		if err := q.SetUserAvatar(ctx, authdb.SetUserAvatarParams{ID: u.ID, AvatarUrl: avatar}); err != nil {
			return uuid.Nil, wrapDB("set avatar", err)
		}
	}
	n, err := q.CreateTelegramIdentity(ctx, authdb.CreateTelegramIdentityParams{Subject: subject, UserID: u.ID, Profile: telegramProfile(tu)})
	if err != nil {
		return uuid.Nil, wrapDB("create telegram identity", err)
	}
	if n == 0 {
		return uuid.Nil, errLostRace
	}
	return u.ID, nil
}

// LinkTelegram links the Telegram account d proves to the signed-in user (signed in recently:
// ErrRecentSignInRequired). Linking the account it already has is not an error; an account linked
// to another user is ErrIdentityTaken.
func (s *Service) LinkTelegram(ctx context.Context, p Principal, d TelegramData) error {
	if err := s.requireRecentSignIn(p); err != nil {
		return err
	}
	userID := p.UserID
	tu, use, err := s.verifyTelegram(d)
	if err != nil {
		return err
	}
	subject := strconv.FormatInt(tu.ID, 10)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		if err := s.useTelegramData(ctx, q, use); err != nil {
			return err
		}
		owner, err := q.TelegramIdentityUser(ctx, subject)
		switch {
		case err == nil && owner == userID:
			return nil
		case err == nil:
			return ErrIdentityTaken
		case !errors.Is(err, pgx.ErrNoRows):
			return wrapDB("read telegram identity", err)
		}
		if _, err := q.TelegramIdentityOfUser(ctx, userID); err == nil {
			return ErrTelegramAlreadyLinked
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return wrapDB("read telegram identity", err)
		}
		n, err := q.CreateTelegramIdentity(ctx, authdb.CreateTelegramIdentityParams{Subject: subject, UserID: userID, Profile: telegramProfile(tu)})
		if err != nil {
			return wrapDB("create telegram identity", err)
		}
		if n == 0 {
			return ErrIdentityTaken // linked by a concurrent request, to someone
		}
		return nil
	})
}

// telegramDisplayName is the first and last name, else the username, cut to the 80 characters
// users.display_name holds.
func telegramDisplayName(tu TelegramUser) string {
	name := strings.TrimSpace(cleanText(strings.TrimSpace(tu.FirstName) + " " + strings.TrimSpace(tu.LastName)))
	if name == "" {
		name = cleanText(tu.Username)
	}
	if utf8.RuneCountInString(name) > 80 {
		name = string([]rune(name)[:80])
	}
	return name
}

// telegramAvatar keeps a photo URL only when it is an https URL of sane length.
func telegramAvatar(u string) *string {
	if !strings.HasPrefix(u, "https://") || len(u) > 1024 || !plainText(u, false) {
		return nil
	}
	return &u
}

// telegramProfile is what we keep of the Telegram account (auth_identities.profile).
func telegramProfile(tu TelegramUser) []byte {
	b, _ := json.Marshal(map[string]string{
		"first_name": cleanText(tu.FirstName), "last_name": cleanText(tu.LastName),
		"username": cleanText(tu.Username), "photo_url": cleanText(tu.PhotoURL),
	})
	return b
}
