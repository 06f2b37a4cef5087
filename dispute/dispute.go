package dispute

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/upload"
)

// Config is the disputes' settings.
type Config struct {
	// AnswerHours is how long each side has to answer: the other side after opening, both after
	// an admin asks for evidence (48).
	AnswerHours int
	// EscalateHours is how long a case may wait for an admin before it escalates (24).
	EscalateHours int
	// SecondAdminFrom is the amount at stake, in whole tokens, from which a resolution needs a
	// second admin's approval even when both parties accepted it (1000). A resolution the parties
	// did not both accept always needs one.
	SecondAdminFrom int64
	// Hour is the deadlines' unit: an hour, shorter only in dev and tests.
	Hour time.Duration
	// BundleKey signs exported bundles (nil: export is unavailable).
	BundleKey ed25519.PrivateKey
}

// DefaultConfig is 48 hours to answer, 24 to escalate, a second admin from 1000 tokens.
func DefaultConfig() Config {
	return Config{AnswerHours: 48, EscalateHours: 24, SecondAdminFrom: 1000, Hour: time.Hour}
}

// Validate refuses settings that would make deadlines or approvals meaningless.
func (c Config) Validate() error {
	switch {
	case c.AnswerHours < 1 || c.AnswerHours > 24*30:
		return errors.New("dispute: the answer deadline must be 1 to 720 hours")
	case c.EscalateHours < 1 || c.EscalateHours > 24*30:
		return errors.New("dispute: the escalation delay must be 1 to 720 hours")
	case c.SecondAdminFrom < 0:
		return errors.New("dispute: the second admin's threshold must not be negative")
	case c.Hour <= 0:
		return errors.New("dispute: the deadlines' hour must be positive")
	case c.BundleKey != nil && len(c.BundleKey) != ed25519.PrivateKeySize:
		return errors.New("dispute: the bundle key is not an Ed25519 private key")
	}
	return nil
}

// The dispute's errors. A case the caller is not a party of is ErrNotFound: its existence never
// leaks.
var (
	ErrNotFound      = kind.New(kind.NotFound, "no such dispute")
	ErrInvalid       = kind.New(kind.Invalid, "invalid dispute request")
	ErrLive          = kind.New(kind.Conflict, "the deal already has a dispute in progress")
	ErrAccepted      = kind.New(kind.Conflict, "you already accepted this proposal")
	ErrNoProposal    = kind.New(kind.Conflict, "the case has no such live proposal")
	ErrNoPending     = kind.New(kind.Conflict, "no resolution awaits approval")
	ErrStaleApproval = kind.New(kind.Conflict, "the resolution awaiting approval is not the one you name: read the case again")
	ErrSameAdmin     = kind.New(kind.Refused, "a second admin must approve: not the one who asked")
	ErrNotOpener     = kind.New(kind.Refused, "only the party who opened the case may withdraw it")
	ErrAdminsOnly    = kind.New(kind.Refused, "only an admin may propose a warning or a ban")
	ErrNoBundleKey   = kind.New(kind.Unavailable, "no bundle signing key is configured")
	ErrNotInEscrow   = kind.New(kind.Conflict, "the deal's money is not in the escrow yet (it is on its way): open the dispute once it is, in a few minutes")
	ErrNotConfigured = kind.New(kind.Unavailable, "this server cannot carry out that resolution")
	ErrLegacy        = kind.New(kind.Conflict, "an imported case is history of the old backend: no step is taken on it here")
)

func invalid(f string, a ...any) error { return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(f, a...)) }

// Caller is who asks.
type Caller struct {
	UserID uuid.UUID
	Admin  bool
}

// Case is one dispute.
type Case struct {
	ID, RequestID, PaymentID, OfferID, BuyerID, SellerID, OpenedBy, ConversationID uuid.UUID
	Opener                                                                         Actor
	Reason                                                                         Reason
	Status                                                                         Status
	// Interrupted is the market status the dispute found the deal in.
	Interrupted   string
	AssignedAdmin *uuid.UUID
	// Amount is what is at stake: the payment's received amount at opening, in base units of
	// Ledger's token (Decimals).
	Amount   *big.Int
	Decimals int
	Ledger   string
	// Pending is a resolution waiting for a second admin (PendingBy asked for it); PendingHash is
	// the hash of the approval_requested entry that asked for it, which an approval names.
	Pending     *Resolution
	PendingBy   *uuid.UUID
	PendingHash string
	Resolution  *Outcome
	ResolvedAt  *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Legacy: imported from the old backend (ImportCase); history, on which no step is taken. Its
	// OfferID and ConversationID may be uuid.Nil (none).
	Legacy bool
	// Proposal is the live proposal, if any; Entries the timeline (Get only).
	Proposal *Proposal
	Entries  []Entry
}

// sideOf says in which role user acts on c: buyer, seller, admin (when admin), or "" (none).
func (c *Case) sideOf(who Caller) Actor {
	switch {
	case who.UserID == uuid.Nil:
		return ""
	case who.UserID == c.BuyerID:
		return ActorBuyer
	case who.UserID == c.SellerID:
		return ActorSeller
	case who.Admin:
		return ActorAdmin
	}
	return ""
}

// Resolution is an outcome with what it needs: the buyer's exact amount of a compensation (base
// units), a replacement's delivery time in days.
type Resolution struct {
	Outcome         Outcome `json:"outcome"`
	BuyerAmount     string  `json:"buyerAmount,omitempty"`
	ReplacementDays int     `json:"replacementDays,omitempty"`
	Note            string  `json:"note"`
}

// Proposal is a proposed resolution and who accepted it.
type Proposal struct {
	ID uuid.UUID
	Resolution
	ProposedBy                        uuid.UUID
	Proposer                          Actor
	BuyerAcceptedAt, SellerAcceptedAt *time.Time
	CreatedAt                         time.Time
}

// Accepted reports whether both parties accepted p.
func (p *Proposal) Accepted() bool { return p.BuyerAcceptedAt != nil && p.SellerAcceptedAt != nil }

// Files is package upload's side: evidence files are uploads their uploader attaches to the case.
type Files interface {
	Get(ctx context.Context, who upload.Caller, id uuid.UUID) (*upload.Upload, error)
	Attach(ctx context.Context, q upload.Querier, who upload.Caller, id uuid.UUID, k upload.Kind, attachedID string) error
}

// Accounts is the accounts' side (auth.Service through the command's wiring): a ban (no sign-in,
// no offers) and whether a user is an admin (to be given a case).
type Accounts interface {
	Ban(ctx context.Context, actor string, user uuid.UUID, reason string) error
	IsAdmin(ctx context.Context, user uuid.UUID) (bool, error)
}

// Payouts asks for the payout intent of a resolved payment (the custodians approve it on their
// hardware wallets, as any release or refund): refund true for the buyer, false for the seller.
type Payouts interface {
	DisputePayout(ctx context.Context, paymentID uuid.UUID, refund bool, actor, reason string) error
}

// Notifier tells a case's parties that it was opened and that it ended (resolved or withdrawn):
// package notify's Disputes. It is called in the transaction of the step, so the notifications
// commit with the case or not at all; its error fails the step.
// title is the deal's (the market's request title).
type Notifier interface {
	DisputeOpened(ctx context.Context, tx pgx.Tx, c *Case, title string) error
	DisputeResolved(ctx context.Context, tx pgx.Tx, c *Case, title string) error
	// DisputeReminder tells side (buyer or seller), which has not answered, that its answer is
	// due at due.
	DisputeReminder(ctx context.Context, tx pgx.Tx, c *Case, side Actor, due time.Time, title string) error
}

// Service runs disputes.
type Service struct {
	pool     *pgxpool.Pool
	cfg      Config
	deals    *market.Service
	payments *payment.Service
	files    Files
	accounts Accounts
	payouts  Payouts
	notifier Notifier
	log      *slog.Logger
	jobs     *river.Client[pgx.Tx]
	now      func() time.Time
}

// New returns the disputes on pool. files, accounts, payouts and notifier are optional (With…):
// without files evidence is statements only; without accounts (a TxBanner) a ban is refused;
// payouts are the worker's: PayoutWorker asks through them for the intent of a resolution's
// dispute_payout job (without them the job fails and is retried).
func New(pool *pgxpool.Pool, cfg Config, deals *market.Service, payments *payment.Service) *Service {
	return &Service{pool: pool, cfg: cfg, deals: deals, payments: payments, log: slog.New(slog.DiscardHandler),
		jobs: insertOnly(pool), now: time.Now}
}

// insertOnly returns a River client that only inserts jobs (the worker works them).
func insertOnly(pool *pgxpool.Pool) *river.Client[pgx.Tx] {
	c, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		panic(fmt.Sprintf("dispute: an insert-only River client: %v", err))
	}
	return c
}

// WithFiles lets parties attach uploads as evidence; WithAccounts lets a resolution ban;
// WithPayouts asks for payout intents on resolutions; WithNotifier tells of cases; WithLog logs.
func (s *Service) WithFiles(f Files) *Service       { c := *s; c.files = f; return &c }
func (s *Service) WithAccounts(a Accounts) *Service { c := *s; c.accounts = a; return &c }
func (s *Service) WithPayouts(p Payouts) *Service   { c := *s; c.payouts = p; return &c }
func (s *Service) WithNotifier(n Notifier) *Service { c := *s; c.notifier = n; return &c }
func (s *Service) WithLog(l *slog.Logger) *Service  { c := *s; c.log = l; return &c }

// WithClock replaces time.Now (tests).
func (s *Service) WithClock(now func() time.Time) *Service { c := *s; c.now = now; return &c }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// PublicKey is the key bundles are signed with (nil without one).
func (s *Service) PublicKey() ed25519.PublicKey {
	if s.cfg.BundleKey == nil {
		return nil
	}
	return s.cfg.BundleKey.Public().(ed25519.PublicKey)
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Limits of what people write, in characters.
const (
	MaxStatement = 5000
	MaxNote      = 2000
)

// checkText trims and bounds text a person wrote: printable, at most max characters.
func checkText(field, text string, max int, required bool) (string, error) {
	t := strings.TrimSpace(text)
	switch {
	case !utf8.ValidString(t):
		return "", invalid("%s must be UTF-8 text", field)
	case required && t == "":
		return "", invalid("%s is required", field)
	case utf8.RuneCountInString(t) > max:
		return "", invalid("%s must be at most %d characters", field, max)
	case strings.ContainsFunc(t, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }):
		return "", invalid("%s must be printable text", field)
	}
	return t, nil
}

// OpenInput is what a party opens a case with.
type OpenInput struct {
	RequestID uuid.UUID
	Reason    Reason
	Statement string
}

// Open is a party of a funded deal opening a dispute. In one transaction: the request moves to
// disputed (its inspection period paused), the payment to disputed (with its on-chain freeze
// queued), the three-way conversation opens, the case is written with its first entry (the
// reason and the opener's statement), and the deadlines are scheduled: the other side's answer
// and the escalation of a case nobody takes.
func (s *Service) Open(ctx context.Context, who Caller, in OpenInput) (*Case, error) {
	statement, err := checkText("statement", in.Statement, MaxStatement, true)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(Reasons(), in.Reason) {
		return nil, invalid("unknown reason %q", in.Reason)
	}
	id := uuid.New()
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		d, err := s.deals.DisputeTx(ctx, tx, market.Caller{UserID: who.UserID}, in.RequestID)
		if errors.Is(err, market.ErrNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		side := Actor(d.Opener)
		if !slices.Contains(reasons[side], in.Reason) {
			return invalid("a %s may open a dispute for %s, not %q", side, joinReasons(reasons[side]), in.Reason)
		}
		p, err := s.payments.DisputeTx(ctx, tx, [16]byte(d.PaymentID), "dispute:"+id.String(), string(in.Reason))
		if err != nil {
			return err
		}
		// Every money outcome pays out of the escrow: a dispute opened while the deposit is
		// still on its way there (funded, sweeping) could never end in one. (The transaction,
		// and the request's step with it, rolls back.)
		if p.DisputedFrom != payment.InEscrow {
			return fmt.Errorf("%w (the payment is %s)", ErrNotInEscrow, p.DisputedFrom)
		}
		conv, err := chat.OpenDisputeTx(ctx, tx, chat.DisputeParties{DisputeID: id, RequestID: d.RequestID, OfferID: d.OfferID,
			BuyerID: d.BuyerID, SellerID: d.SellerID})
		if err != nil {
			return err
		}
		now := s.clock()
		_, err = tx.Exec(ctx, insertCase, id, d.RequestID, d.PaymentID, d.OfferID, d.BuyerID, d.SellerID, who.UserID, string(side),
			string(in.Reason), string(d.From), conv.ID, db.Numeric(orZero(p.Received)), int(p.Decimals), p.Ledger, now)
		if db.IsUniqueViolation(err, "dispute_cases_live") {
			return ErrLive
		}
		if err != nil {
			return err
		}
		sum := digest([]byte(statement))
		if _, err := s.appendEntry(ctx, tx, id, EvOpen, side, who.UserID, Open, map[string]any{
			"reason": in.Reason, "statement": statement, "sha256": sum, "size": len(statement), "contentType": statementType,
			"request": d.RequestID, "payment": d.PaymentID, "interrupted": d.From, "conversation": conv.ID,
		}); err != nil {
			return err
		}
		other := ActorSeller
		if side == ActorSeller {
			other = ActorBuyer
		}
		if err := s.scheduleOpened(ctx, tx, id, other, now); err != nil {
			return err
		}
		if s.notifier == nil {
			return nil
		}
		c, err := s.read(ctx, tx, id)
		if err != nil {
			return err
		}
		title, err := s.deals.TitleTx(ctx, tx, c.RequestID)
		if err != nil {
			return err
		}
		return s.notifier.DisputeOpened(ctx, tx, c, title)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, who, id)
}

// Reasons lists every reason.
func Reasons() []Reason {
	return []Reason{ReasonNotReceived, ReasonNotAsDescribed, ReasonSellerUnresponsive, ReasonBuyerUnresponsive,
		ReasonPaymentProblem, ReasonOther}
}

func joinReasons(rs []Reason) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return strings.Join(out, ", ")
}

func orZero(x *big.Int) *big.Int {
	if x == nil {
		return new(big.Int)
	}
	return x
}

// tellEnded tells, in tx, the parties of locked case c that it ended (its status already moved:
// resolved with outcome, or withdrawn with none).
func (s *Service) tellEnded(ctx context.Context, tx pgx.Tx, c *Case, outcome *Outcome) error {
	if s.notifier == nil {
		return nil
	}
	title, err := s.deals.TitleTx(ctx, tx, c.RequestID)
	if err != nil {
		return err
	}
	now := s.clock()
	c.Resolution, c.ResolvedAt = outcome, &now
	return s.notifier.DisputeResolved(ctx, tx, c, title)
}

// Get is a case with its live proposal and timeline, for its parties and admins; anyone else
// gets ErrNotFound.
func (s *Service) Get(ctx context.Context, who Caller, id uuid.UUID) (*Case, error) {
	c, err := s.read(ctx, s.pool, id)
	if err != nil {
		return nil, err
	}
	if c.sideOf(who) == "" {
		return nil, ErrNotFound
	}
	if c.Entries, err = entries(ctx, s.pool, id); err != nil {
		return nil, err
	}
	return c, nil
}

// MayRead reports whether who may read case id (its evidence, its export): its parties and
// admins.
func (s *Service) MayRead(ctx context.Context, who Caller, id uuid.UUID) (bool, error) {
	c, err := s.read(ctx, s.pool, id)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return c.sideOf(who) != "", nil
}

// EvidenceRule is package upload's Rule for dispute evidence: the case's parties and admins may
// read it. Until it is registered, nobody but an upload's owner and admins may.
func (s *Service) EvidenceRule(ctx context.Context, who upload.Caller, attachedID string) (bool, error) {
	id, err := uuid.Parse(attachedID)
	if err != nil {
		return false, nil
	}
	return s.MayRead(ctx, Caller{UserID: who.UserID, Admin: who.Admin}, id)
}

// Cursor is where a page of cases continues (the last case's creation and id).
type Cursor struct {
	CreatedAt time.Time
	ID        uuid.UUID
}

// List is a page of who's cases (as buyer or seller), newest first, at most n (1 to 100). An
// admin with all lists every case, optionally of one status.
func (s *Service) List(ctx context.Context, who Caller, all bool, status Status, after *Cursor, n int) ([]Case, error) {
	if n < 1 || n > 100 {
		return nil, invalid("a page holds 1 to 100 cases")
	}
	if status != "" && !slices.Contains(Statuses, status) {
		return nil, invalid("unknown status %q", status)
	}
	var user *uuid.UUID
	if !all || !who.Admin {
		user = &who.UserID
	}
	var at *time.Time
	var aid *uuid.UUID
	if after != nil {
		at, aid = &after.CreatedAt, &after.ID
	}
	var st *string
	if status != "" {
		st = (*string)(&status)
	}
	rows, err := s.pool.Query(ctx, casesOf, user, at, aid, st, n)
	if err != nil {
		return nil, err
	}
	cs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Case, error) {
		c, err := scanCase(r)
		if err != nil {
			return Case{}, err
		}
		return *c, nil
	})
	if err != nil {
		return nil, err
	}
	for i := range cs {
		if cs[i].Proposal, err = liveProposalOf(ctx, s.pool, cs[i].ID); err != nil {
			return nil, err
		}
		if err := pendingHashOf(ctx, s.pool, &cs[i]); err != nil {
			return nil, err
		}
	}
	return cs, nil
}

// read is a case with its live proposal (no access check).
func (s *Service) read(ctx context.Context, q querier, id uuid.UUID) (*Case, error) {
	c, err := scanCase(q.QueryRow(ctx, caseByID, id))
	if err != nil {
		return nil, err
	}
	if c.Proposal, err = liveProposalOf(ctx, q, id); err != nil {
		return nil, err
	}
	return c, pendingHashOf(ctx, q, c)
}

// lock locks case id in tx for a step by who, and says in which role who acts; a case who is
// not a party of is ErrNotFound.
func (s *Service) lock(ctx context.Context, tx pgx.Tx, who Caller, id uuid.UUID) (*Case, Actor, error) {
	c, err := scanCase(tx.QueryRow(ctx, lockCase, id))
	if err != nil {
		return nil, "", err
	}
	side := c.sideOf(who)
	if side == "" {
		return nil, "", ErrNotFound
	}
	if c.Legacy {
		return nil, "", ErrLegacy
	}
	if c.Proposal, err = liveProposalOf(ctx, tx, id); err != nil {
		return nil, "", err
	}
	return c, side, pendingHashOf(ctx, tx, c)
}

func scanCase(row pgx.Row) (*Case, error) {
	var c Case
	var opener, reason, status string
	var amount pgtype.Numeric
	var pending []byte
	var resolution *string
	var offer, conv uuid.NullUUID
	err := row.Scan(&c.ID, &c.RequestID, &c.PaymentID, &offer, &c.BuyerID, &c.SellerID, &c.OpenedBy, &opener, &reason, &status,
		&c.Interrupted, &c.AssignedAdmin, &conv, &amount, &c.Decimals, &c.Ledger, &pending, &c.PendingBy, &resolution,
		&c.ResolvedAt, &c.CreatedAt, &c.UpdatedAt, &c.Legacy)
	c.OfferID, c.ConversationID = offer.UUID, conv.UUID
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	c.Opener, c.Reason, c.Status = Actor(opener), Reason(reason), Status(status)
	if c.Amount, err = db.BigFromNumeric(amount); err != nil {
		return nil, err
	}
	if pending != nil {
		c.Pending = &Resolution{}
		if err := json.Unmarshal(pending, c.Pending); err != nil {
			return nil, err
		}
	}
	if resolution != nil {
		o := Outcome(*resolution)
		c.Resolution = &o
	}
	return &c, nil
}

// pendingHashOf sets c.PendingHash: the hash of the approval_requested entry of the resolution
// that waits (Resolve writes both in one transaction; the last such entry is its).
func pendingHashOf(ctx context.Context, q querier, c *Case) error {
	c.PendingHash = ""
	if c.Pending == nil {
		return nil
	}
	return q.QueryRow(ctx, lastApprovalRequest, c.ID).Scan(&c.PendingHash)
}

func liveProposalOf(ctx context.Context, q querier, caseID uuid.UUID) (*Proposal, error) {
	var p Proposal
	var outcome, proposer string
	var amount pgtype.Numeric
	var days *int32
	err := q.QueryRow(ctx, liveProposal, caseID).Scan(&p.ID, &outcome, &amount, &days, &p.Note, &p.ProposedBy, &proposer,
		&p.BuyerAcceptedAt, &p.SellerAcceptedAt, &p.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p.Outcome, p.Proposer = Outcome(outcome), Actor(proposer)
	if amount.Valid {
		n, err := db.BigFromNumeric(amount)
		if err != nil {
			return nil, err
		}
		p.BuyerAmount = n.String()
	}
	if days != nil {
		p.ReplacementDays = int(*days)
	}
	return &p, nil
}

// scheduleOpened inserts the deadlines of a case opened at now: the other side's answer (with its
// reminder) and the escalation of a case nobody takes.
func (s *Service) scheduleOpened(ctx context.Context, tx pgx.Tx, id uuid.UUID, other Actor, now time.Time) error {
	due := now.Add(time.Duration(s.cfg.AnswerHours) * s.cfg.Hour)
	_, err := s.jobs.InsertManyTx(ctx, tx, append(deadline(AnswerDueArgs{CaseID: id, Side: other, Since: now, Seq: 1}, due),
		river.InsertManyParams{Args: EscalateArgs{CaseID: id, OpenedAt: now, Hours: s.cfg.EscalateHours},
			InsertOpts: &river.InsertOpts{ScheduledAt: now.Add(time.Duration(s.cfg.EscalateHours) * s.cfg.Hour)}}))
	return err
}

// move takes step ev on a locked case as actor and appends its entry; c.Status follows.
func (s *Service) move(ctx context.Context, tx pgx.Tx, c *Case, ev Event, actor Actor, actorID uuid.UUID, body any) (Entry, error) {
	to, err := Next(c.Status, ev, actor)
	if err != nil {
		return Entry{}, err
	}
	if to != c.Status {
		if _, err := tx.Exec(ctx, setStatus, c.ID, string(to), s.clock()); err != nil {
			return Entry{}, err
		}
		c.Status = to
	}
	return s.appendEntry(ctx, tx, c.ID, ev, actor, actorID, to, body)
}

// step runs fn on case id locked for who, in one transaction, and returns the case after it.
func (s *Service) step(ctx context.Context, who Caller, id uuid.UUID, fn func(tx pgx.Tx, c *Case, side Actor) error) (*Case, error) {
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		c, side, err := s.lock(ctx, tx, who, id)
		if err != nil {
			return err
		}
		return fn(tx, c, side)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, who, id)
}
