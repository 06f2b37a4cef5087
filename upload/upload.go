package upload

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/kind"
)

// Config is the uploads' settings (flags --upload-*, docs/uploads.md).
type Config struct {
	// MaxBytes is the largest file taken (10 MB); more is ErrTooLarge, found while reading.
	MaxBytes int64
	// MaxPixels caps width×height, read from the image's header before it is decoded, and with it
	// the decoded pixels' memory: MaxPixels × 4 bytes (40 MP: 160 MB). An image whose pixels take
	// more than 4 bytes each once decoded gets fewer: a 16-bit PNG decodes to RGBA64, 8 bytes a
	// pixel, so it may have MaxPixels/2 (at 40 MP, 20 MP: the same 160 MB, not 320 MB); a
	// progressive or CMYK JPEG and a WebP take more than their pixels too (decodedBytes).
	MaxPixels int64
	// Sizes are the resized copies made of every image larger than them.
	Sizes []Size
	// Workers is how many images are decoded at once, per process (2).
	Workers int
	// Queue is how many more uploads may wait for a decode (8): beyond Workers + Queue an upload
	// is refused at once with ErrBusy, before its body is read, so that waiting uploads hold at
	// most (Workers + Queue) × MaxBytes of memory.
	Queue int
	// QueueWait is how long an upload waits for a decode (10 s) before ErrBusy.
	QueueWait time.Duration
	// PerAccount is how many uploads one account may have in flight at once, its body being read
	// or its image processed (2): one more is ErrTooManyAtOnce. The body is read before the upload
	// asks for a place in the decode queue, so a slow body holds its account's place, not others'.
	PerAccount int
	// BodyTimeout is how long the HTTP layer lets an upload's body take to arrive (20 s), from
	// the handler's start (a read deadline on the connection): a client trickling its bytes holds
	// its memory no longer.
	BodyTimeout time.Duration
	// QuotaBytes is how many bytes one account's uploads may take, every stored copy counted
	// (1 GiB); 0 is no quota. Counted from the uploads table.
	QuotaBytes int64
}

// Size is one resized copy: the image scaled to fit a Max×Max box.
type Size struct {
	Name string
	Max  int
}

// DefaultConfig is 10 MB, 40 megapixels, thumb (320), medium (800) and large (1600) copies, two
// decodes at once with eight more waiting up to 10 s, two uploads in flight per account, 20 s for
// a body, and 1 GiB per account.
func DefaultConfig() Config {
	return Config{MaxBytes: 10 << 20, MaxPixels: 40_000_000, Workers: 2, Queue: 8, QueueWait: 10 * time.Second,
		PerAccount: 2, BodyTimeout: 20 * time.Second,
		QuotaBytes: 1 << 30, Sizes: []Size{{"thumb", 320}, {"medium", 800}, {"large", 1600}}}
}

var sizeName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,19}$`)

// Validate refuses settings that would take unbounded files or make no sense.
func (c Config) Validate() error {
	switch {
	case c.MaxBytes <= 0 || c.MaxBytes > 1<<30:
		return errors.New("upload: the size limit must be between 1 byte and 1 GiB")
	case c.MaxPixels <= 0 || c.MaxPixels > 200_000_000:
		return errors.New("upload: the pixel limit must be between 1 and 200,000,000")
	case c.Workers <= 0 || c.Workers > 64:
		return errors.New("upload: between 1 and 64 decodes at once")
	case c.Queue < 0 || c.Queue > 1024:
		return errors.New("upload: between 0 and 1024 uploads waiting for a decode")
	case c.QueueWait <= 0 || c.QueueWait > 5*time.Minute:
		return errors.New("upload: the wait for a decode must be between 1ns and 5m")
	case c.PerAccount <= 0 || c.PerAccount > 64:
		return errors.New("upload: between 1 and 64 uploads in flight per account")
	case c.BodyTimeout <= 0 || c.BodyTimeout > 10*time.Minute:
		return errors.New("upload: the time for a body must be between 1ns and 10m")
	case c.QuotaBytes < 0:
		return errors.New("upload: the quota must not be negative (0: none)")
	}
	seen := map[string]bool{"original": true}
	for _, s := range c.Sizes {
		if !sizeName.MatchString(s.Name) || seen[s.Name] || s.Max < 16 || s.Max > 8192 {
			return fmt.Errorf("upload: size %q (%d): names are distinct lowercase words other than original, sizes 16 to 8192", s.Name, s.Max)
		}
		seen[s.Name] = true
	}
	return nil
}

// ParseSizes reads "thumb=320,medium=800" (the --upload-sizes flag).
func ParseSizes(s string) ([]Size, error) {
	var out []Size
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		name, n, ok := strings.Cut(part, "=")
		v, err := strconv.Atoi(n)
		if !ok || err != nil {
			return nil, fmt.Errorf("upload: size %q is not name=pixels", part)
		}
		out = append(out, Size{Name: name, Max: v})
	}
	slices.SortFunc(out, func(a, b Size) int { return a.Max - b.Max })
	return out, nil
}

// DefaultPath is where files go when AMN_UPLOAD_PATH is not set: uploads in the data directory,
// $XDG_DATA_HOME/amn ($HOME/.local/share/amn).
func DefaultPath() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "amn", "uploads")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join("data", "uploads")
	}
	return filepath.Join(home, ".local", "share", "amn", "uploads")
}

// The upload's errors. Another user's private upload is ErrNotFound: its existence never leaks.
var (
	ErrNotFound        = kind.New(kind.NotFound, "no such upload")
	ErrTooLarge        = kind.New(kind.Invalid, "the file is too large")
	ErrUnsupportedType = kind.New(kind.Invalid, "unsupported file type")
	ErrTooManyPixels   = kind.New(kind.Invalid, "the image has too many pixels")
	ErrCorrupt         = kind.New(kind.Invalid, "the image cannot be decoded")
	ErrEmpty           = kind.New(kind.Invalid, "the file is empty")
	ErrAttached        = kind.New(kind.Conflict, "the upload is attached to something else")
	ErrInvalid         = kind.New(kind.Invalid, "invalid")
	// ErrBusy is an upload that found every decode busy and the queue full, or waited its
	// QueueWait: the API answers 503 with Retry-After.
	ErrBusy = kind.New(kind.Unavailable, "too many images are being processed; try again shortly")
	// ErrTooManyAtOnce is an account's upload beyond its PerAccount in flight: the API answers
	// 429 with Retry-After.
	ErrTooManyAtOnce = kind.New(kind.Refused, "you have too many uploads in progress; wait for one to finish")
	// ErrQuotaExceeded is an upload that would take the account past its QuotaBytes.
	ErrQuotaExceeded = kind.New(kind.Conflict, "the upload would exceed your storage quota")
)

// Kind is what an upload can be attached to.
type Kind string

const (
	KindNone      Kind = ""
	KindBlogCover Kind = "blog_cover"       // public: anyone may read it
	KindEvidence  Kind = "dispute_evidence" // a dispute's parties and admins (the dispute package's Rule)
	KindChat      Kind = "chat_attachment"  // a conversation's parties and admins (package chat's Rule)
)

// public are the kinds anyone may read, signed in or not.
var public = map[Kind]bool{KindBlogCover: true}

// Caller is who asks; the zero Caller is someone not signed in.
type Caller struct {
	UserID uuid.UUID
	Admin  bool
}

// Rule says whether who may read an upload attached to the thing attachedID names. The package
// that owns a kind registers it (Service.WithRule): a dispute's lets its parties read its
// evidence. The owner and admins may always read; without a rule nobody else may.
type Rule func(ctx context.Context, who Caller, attachedID string) (bool, error)

// Upload is one stored image: its full-size copy and its variants.
type Upload struct {
	ID            uuid.UUID
	OwnerID       uuid.UUID
	SHA256        string // of the full-size copy, as stored
	Size          int64
	ContentType   string
	Width, Height int
	Variants      []Variant
	AttachedKind  Kind
	AttachedID    string
	CreatedAt     time.Time
}

// Variant is one resized copy.
type Variant struct {
	Name        string `json:"name"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	ContentType string `json:"contentType"`
}

// Public says whether anyone may read u.
func (u Upload) Public() bool { return public[u.AttachedKind] }

// Service takes, stores and serves uploads.
type Service struct {
	pool  *pgxpool.Pool
	store Storage
	cfg   Config
	rules map[Kind]Rule
	admit chan struct{} // uploads read and past admission: decoding or waiting to (Workers + Queue)
	sem   chan struct{} // decodes running (Workers)
	now   func() time.Time

	mu       sync.Mutex
	inFlight map[uuid.UUID]int // uploads in Put, per account (PerAccount)
}

// New returns a service keeping metadata on pool and bytes in store (Validate cfg first).
func New(pool *pgxpool.Pool, store Storage, cfg Config) *Service {
	if cfg.QueueWait <= 0 {
		cfg.QueueWait = DefaultConfig().QueueWait
	}
	if cfg.PerAccount <= 0 {
		cfg.PerAccount = DefaultConfig().PerAccount
	}
	if cfg.BodyTimeout <= 0 {
		cfg.BodyTimeout = DefaultConfig().BodyTimeout
	}
	workers := max(cfg.Workers, 1)
	return &Service{pool: pool, store: store, cfg: cfg, rules: map[Kind]Rule{}, now: time.Now, inFlight: map[uuid.UUID]int{},
		admit: make(chan struct{}, workers+max(cfg.Queue, 0)), sem: make(chan struct{}, workers)}
}

// BodyTimeout is how long the HTTP layer gives an upload's body to arrive.
func (s *Service) BodyTimeout() time.Duration { return s.cfg.BodyTimeout }

// enter counts one more upload of user in flight; false if PerAccount are already.
func (s *Service) enter(user uuid.UUID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inFlight[user] >= s.cfg.PerAccount {
		return false
	}
	s.inFlight[user]++
	return true
}

func (s *Service) leave(user uuid.UUID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inFlight[user]--; s.inFlight[user] <= 0 {
		delete(s.inFlight, user)
	}
}

// RetryAfter is how long a client refused with ErrBusy should wait: a queue's wait.
func (s *Service) RetryAfter() time.Duration { return s.cfg.QueueWait }

// WithRule registers who besides the owner and admins may read uploads attached to k.
func (s *Service) WithRule(k Kind, r Rule) *Service { s.rules[k] = r; return s }

// MaxBytes is the size limit, for the HTTP layer to bound the whole body.
func (s *Service) MaxBytes() int64 { return s.cfg.MaxBytes }

// Put reads one image from r, at most MaxBytes of it (ErrTooLarge as soon as one byte more
// comes), and stores it as who's. Nothing is stored of a file that is refused. An account with
// PerAccount uploads in flight is ErrTooManyAtOnce before anything is read. The body is read
// first, then the upload asks for a place: with Workers decodes running and Queue uploads
// waiting it is ErrBusy at once; one that waits QueueWait for a decode is ErrBusy too. So a slow
// body holds nobody's place but its account's. One that would take who past QuotaBytes is
// ErrQuotaExceeded (checked before decoding, and again under the owner's lock as it is saved).
func (s *Service) Put(ctx context.Context, who Caller, r io.Reader) (*Upload, error) {
	if who.UserID == uuid.Nil {
		return nil, fmt.Errorf("%w: uploads need a signed-in owner", ErrInvalid)
	}
	if !s.enter(who.UserID) {
		return nil, fmt.Errorf("%w (%d at once)", ErrTooManyAtOnce, s.cfg.PerAccount)
	}
	defer s.leave(who.UserID)
	data, err := io.ReadAll(io.LimitReader(r, s.cfg.MaxBytes+1))
	switch {
	case err != nil:
		return nil, err
	case int64(len(data)) > s.cfg.MaxBytes:
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, s.cfg.MaxBytes)
	case len(data) == 0:
		return nil, ErrEmpty
	}
	if _, err := sniff(data); err != nil { // before waiting for a worker
		return nil, err
	}
	select {
	case s.admit <- struct{}{}:
		defer func() { <-s.admit }()
	default:
		return nil, fmt.Errorf("%w (%d decoding, %d waiting)", ErrBusy, cap(s.sem), cap(s.admit)-cap(s.sem))
	}
	if err := s.withinQuota(ctx, s.pool, who.UserID, 1); err != nil {
		return nil, err // a full account is refused before decoding; the copies' size is checked as they are saved
	}
	copies, err := s.decode(ctx, data)
	if err != nil {
		return nil, err
	}
	u := &Upload{ID: uuid.New(), OwnerID: who.UserID, CreatedAt: s.now().UTC().Truncate(time.Microsecond)}
	var total int64
	for i, c := range copies {
		sum := sha256.Sum256(c.data)
		key := hex.EncodeToString(sum[:])
		total += int64(len(c.data))
		if i == 0 {
			u.SHA256, u.Size, u.ContentType, u.Width, u.Height = key, int64(len(c.data)), c.contentType, c.width, c.height
			continue
		}
		u.Variants = append(u.Variants, Variant{Name: c.name, SHA256: key, Size: int64(len(c.data)), Width: c.width, Height: c.height, ContentType: c.contentType})
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockOwner, who.UserID); err != nil {
			return err
		}
		if err := s.withinQuota(ctx, tx, who.UserID, total); err != nil {
			return err
		}
		for i, c := range copies {
			key := u.SHA256
			if i > 0 {
				key = u.Variants[i-1].SHA256
			}
			if err := s.store.Put(ctx, key, c.data); err != nil {
				return err
			}
		}
		return insert(ctx, tx, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// decode waits up to QueueWait for one of the Workers decodes, then processes data.
func (s *Service) decode(ctx context.Context, data []byte) ([]encoded, error) {
	wait := time.NewTimer(s.cfg.QueueWait)
	defer wait.Stop()
	select {
	case s.sem <- struct{}{}:
	case <-wait.C:
		return nil, fmt.Errorf("%w (waited %s for a decode)", ErrBusy, s.cfg.QueueWait)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.sem }()
	return process(data, s.cfg.MaxPixels, s.cfg.Sizes)
}

// withinQuota is ErrQuotaExceeded if owner's uploads and more bytes would exceed QuotaBytes.
func (s *Service) withinQuota(ctx context.Context, q Querier, owner uuid.UUID, more int64) error {
	if s.cfg.QuotaBytes == 0 {
		return nil
	}
	var used int64
	if err := q.QueryRow(ctx, bytesOfOwner, owner).Scan(&used); err != nil {
		return fmt.Errorf("upload: quota: %w", err)
	}
	if used+more > s.cfg.QuotaBytes {
		return fmt.Errorf("%w: your uploads take %d of your %d bytes, and this one needs %d more", ErrQuotaExceeded, used, s.cfg.QuotaBytes, more)
	}
	return nil
}

// Get returns an upload's metadata if who may read it; ErrNotFound otherwise.
func (s *Service) Get(ctx context.Context, who Caller, id uuid.UUID) (*Upload, error) {
	u, err := byID(ctx, s.pool, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.mayRead(ctx, who, u)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotFound
	}
	return u, nil
}

// Open returns the bytes of an upload's copy (variant "" or "original" for the full size) if who
// may read it, with the copy's description.
func (s *Service) Open(ctx context.Context, who Caller, id uuid.UUID, variant string) (io.ReadSeekCloser, Variant, *Upload, error) {
	u, err := s.Get(ctx, who, id)
	if err != nil {
		return nil, Variant{}, nil, err
	}
	v := Variant{Name: "original", SHA256: u.SHA256, Size: u.Size, Width: u.Width, Height: u.Height, ContentType: u.ContentType}
	if variant != "" && variant != "original" {
		i := slices.IndexFunc(u.Variants, func(x Variant) bool { return x.Name == variant })
		if i < 0 {
			return nil, Variant{}, nil, fmt.Errorf("%w: upload has no variant %q", ErrNotFound, variant)
		}
		v = u.Variants[i]
	}
	f, err := s.store.Open(ctx, v.SHA256)
	if err != nil {
		return nil, Variant{}, nil, err
	}
	return f, v, u, nil
}

func (s *Service) mayRead(ctx context.Context, who Caller, u *Upload) (bool, error) {
	switch {
	case u.Public():
		return true, nil
	case who.UserID == uuid.Nil:
		return false, nil
	case who.Admin || who.UserID == u.OwnerID:
		return true, nil
	}
	if r := s.rules[u.AttachedKind]; r != nil && u.AttachedKind != KindNone {
		return r(ctx, who, u.AttachedID)
	}
	return false, nil
}

// Attach ties an upload to what it belongs to, in the caller's transaction q (the blog attaches
// a cover as it saves the post). Only the upload's owner may attach it, admins included: attaching
// can make a file public, so nobody publishes another's. It is attached once: again to the same
// thing does nothing; to another is ErrAttached. Another user's upload is ErrNotFound.
func (s *Service) Attach(ctx context.Context, q Querier, who Caller, id uuid.UUID, k Kind, attachedID string) error {
	if k == KindNone || attachedID == "" || len(attachedID) > 100 {
		return fmt.Errorf("%w: an attachment needs a kind and an id (at most 100 bytes)", ErrInvalid)
	}
	u, err := lockByID(ctx, q, id)
	if err != nil {
		return err
	}
	if who.UserID != u.OwnerID {
		return ErrNotFound
	}
	if u.AttachedKind == k && u.AttachedID == attachedID {
		return nil
	}
	if u.AttachedKind != KindNone {
		return fmt.Errorf("%w (%s)", ErrAttached, u.AttachedKind)
	}
	return attach(ctx, q, id, k, attachedID, s.now().UTC().Truncate(time.Microsecond))
}
