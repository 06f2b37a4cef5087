package db

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/kind"
)

// The database roles, one per process (docs/security.md). Each is NOLOGIN: a login user is made a
// member of exactly one of them, and OpenAs runs SET ROLE on every connection.
const (
	RoleAPI     = "amn_api"     // amn api, and the admin, custody, payments and ledger commands
	RoleIndexer = "amn_indexer" // amn indexer (and its status and reconcile commands)
	RoleWorker  = "amn_worker"  // amn worker (and amn admin sweep, which does the worker's job)
	RoleSigner  = "amn_signer"  // amn signer
	RoleCustody = "amn_custody" // amn custody enroll: the only writer of custodians
	RoleImport  = "amn_import"  // amn import mongo: writes what the packages' Import* entry points write
	// Owner is the login itself, without SET ROLE: the owner of the schema, used only by
	// `amn migrate` (and by `amn dev` to migrate and reset its own database).
	Owner = "owner"
)

// Roles lists the roles of Grants, in the order docs/security.md shows them.
var Roles = []string{RoleAPI, RoleIndexer, RoleWorker, RoleSigner, RoleCustody, RoleImport}

// ErrRole reports a login that cannot work as the role a process needs.
var ErrRole = kind.New(kind.Refused, "cannot work as the database role")

// OpenAs is Open for a process that works as role: every connection of the pool runs SET ROLE
// role before it is used, so the login user must be role or a member of it. With Owner it is Open.
func OpenAs(ctx context.Context, rawURL, role string) (*pgxpool.Pool, error) {
	if role == Owner {
		return Open(ctx, rawURL)
	}
	cfg, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	setRole := "SET ROLE " + pgx.Identifier{role}.Sanitize()
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, setRole)
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		var pe *pgconn.PgError
		if errors.As(err, &pe) && (pe.Code == "42704" || pe.Code == "42501") { // undefined_object, insufficient_privilege
			return nil, fmt.Errorf("postgres at %s: %w %s: %s (run `amn migrate up`, and make the login a member of %s; docs/security.md)",
				Redact(rawURL), ErrRole, role, pe.Message, role)
		}
		return nil, fmt.Errorf("postgres at %s unreachable: %s", Redact(rawURL), shortPgErr(err))
	}
	return pool, nil
}

// CheckRole reports whether q works as role, and whether role may do exactly what Grants says:
// an error wrapping ErrRole names the role q works as instead; a *GrantsError names every
// privilege, attribute or membership beyond the table (and what the table gives that the
// database lacks). Every process's /readyz runs it on its pool (RoleReadiness).
func CheckRole(ctx context.Context, q Querier, role string) error {
	var current string
	if err := q.QueryRow(ctx, currentUserSQL).Scan(&current); err != nil {
		return fmt.Errorf("reading current_user: %w", err)
	}
	if current != role {
		return fmt.Errorf("%w %s: the connections work as %s", ErrRole, role, current)
	}
	return VerifyGrants(ctx, q, role)
}

// RoleReadiness is CheckRole as a readiness check of a pool that works as role.
func RoleReadiness(q Querier, role string) func(context.Context) error {
	return func(ctx context.Context) error { return CheckRole(ctx, q, role) }
}

// currentUserSQL is the role a connection works as, after OpenAs's SET ROLE.
const currentUserSQL = `SELECT current_user::text`

// LoginBeyond lists what the login of q's connections (session_user) may do beyond role, all of
// which a RESET ROLE regains: being a superuser, creating roles or databases, bypassing
// row-level security, owning the schema's tables (migrate's login), or being a member of another
// role. It is empty for a login that is a member of role and of nothing else, as
// docs/security.md asks; the processes warn at start when it is not.
func LoginBeyond(ctx context.Context, q Querier, role string) ([]string, error) {
	var (
		login                               string
		super, createRole, createDB, bypass bool
		owns                                bool
		memberOf                            []string
	)
	err := q.QueryRow(ctx, loginSQL, role).Scan(&login, &super, &createRole, &createDB, &bypass, &owns, &memberOf)
	if err != nil {
		return nil, fmt.Errorf("reading the login's attributes: %w", err)
	}
	if super {
		return []string{"login " + login + " is a superuser"}, nil
	}
	var out []string
	for _, a := range []struct {
		set  bool
		what string
	}{{createRole, "may create roles"}, {createDB, "may create databases"}, {bypass, "bypasses row-level security"},
		{owns, "owns the schema's tables (it is the owner, amn migrate's login)"}} {
		if a.set {
			out = append(out, "login "+login+" "+a.what)
		}
	}
	for _, o := range memberOf {
		out = append(out, "login "+login+" is a member of role "+o)
	}
	return out, nil
}

// loginSQL reads the session user's attributes, whether it owns a table of schema public, and
// the roles other than $1 it may SET ROLE to.
const loginSQL = `SELECT r.rolname::text, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls,
		EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relowner = r.oid),
		coalesce((SELECT array_agg(o.rolname::text ORDER BY o.rolname) FROM pg_roles o
			WHERE o.oid <> r.oid AND o.rolname <> $1 AND pg_has_role(r.oid, o.oid, 'MEMBER')), '{}')
	FROM pg_roles r WHERE r.rolname = session_user`

// Grant is what one role may do with one table or sequence, as docs/security.md writes it:
// privileges separated by commas, a column-level one with its columns in parentheses, for
// example "SELECT, INSERT, UPDATE (state, updated_at)". A table or sequence a role has no row for
// is one it may not touch at all.
type Grant struct {
	Role, Object, Privileges string
}

// Grants is the one table of what each role may do: migration 00011 (and each later migration,
// for what it adds) grants exactly this, docs/security.md shows it, and VerifyGrants (every
// process's /readyz) refuses a role that may do more. Tests hold the three together.
//
// Widening an entry widens what a compromised host can do: justify it in docs/security.md.
var Grants = []Grant{
	// amn_api: creates payments and their accounts, asks for releases, refunds, top-ups and sweeps'
	// follow-ups as intents awaiting the signer, takes webhooks and custodian enrolments and
	// approvals. It never writes amounts, parties or the books' balances.
	{RoleAPI, "goose_db_version", "SELECT"},
	{RoleAPI, "river_migration", "SELECT"},
	{RoleAPI, "process_heartbeat", "SELECT, INSERT, UPDATE (seen_at, version)"},
	{RoleAPI, "payments", "SELECT, INSERT (" + paymentInsertColumns + "), UPDATE (state, disputed_from, updated_at, buyer_address, buyer_signature, payout_attempt, split_buyer_amount)"},
	{RoleAPI, "deposit_index_seq", "USAGE"},
	{RoleAPI, "payment_timeline", "SELECT, INSERT"},
	{RoleAPI, "webhook_deliveries", "SELECT, INSERT"},
	{RoleAPI, "ledger_accounts", "SELECT, INSERT (" + accountInsertColumns + ")"},
	{RoleAPI, "ledger_transfers", "SELECT"},
	{RoleAPI, "ledger_entries", "SELECT"},
	{RoleAPI, "ledger_pending", "SELECT"},
	{RoleAPI, "river_job", "SELECT, INSERT, UPDATE (kind)"},
	{RoleAPI, "river_job_id_seq", "USAGE"},
	{RoleAPI, "signer_intents", "SELECT, INSERT (" + intentInsertColumns + ")"},
	{RoleAPI, "signer_txs", "SELECT"},
	{RoleAPI, "signer_batch_members", "SELECT"},
	{RoleAPI, "signer_audit", "SELECT"},
	{RoleAPI, "custodians", "SELECT"},
	{RoleAPI, "custody_approvals", "SELECT, INSERT, UPDATE (signature, created_at)"},
	{RoleAPI, "indexer_observations", "SELECT"},
	// Accounts and sign-in (migration 00021, package auth): only the API touches them.
	{RoleAPI, "users", "SELECT, INSERT, UPDATE (email, email_verified_at, password_hash, roles, status, display_name, bio, avatar_url, locale, updated_at)"},
	{RoleAPI, "auth_identities", "SELECT, INSERT, DELETE"}, // DELETE: a first email proof unlinks what came before it (00061)
	{RoleAPI, "auth_codes", "SELECT, INSERT, UPDATE (attempts, used_at), DELETE"},
	{RoleAPI, "auth_sessions", "SELECT, INSERT, UPDATE (last_used_at, revoked_at, revoked_reason)"},
	{RoleAPI, "auth_refresh_tokens", "SELECT, INSERT, UPDATE (used_at), DELETE"},
	{RoleAPI, "auth_passkeys", "SELECT, INSERT, UPDATE (credential, sign_count, last_used_at), DELETE"},
	{RoleAPI, "auth_ceremonies", "SELECT, INSERT, UPDATE (used_at), DELETE"},
	{RoleAPI, "auth_wallets", "SELECT, INSERT, DELETE"},
	{RoleAPI, "auth_audit", "SELECT, INSERT"},
	// The marketplace's deals (migration 00025, package market).
	{RoleAPI, "market_requests", "SELECT, INSERT, UPDATE (status, resume_to, accepted_offer, payment_id, title, description, category, urgency, delivery, visibility, budget_min, budget_max, shipment, delivered_at, expires_at, updated_at)"},
	{RoleAPI, "market_offers", "SELECT, INSERT, UPDATE (status, revision, price, delivery_days, valid_until, notes, payout_address, payout_signature, updated_at)"},
	{RoleAPI, "market_offer_revisions", "SELECT, INSERT"},
	{RoleAPI, "market_templates", "SELECT, INSERT, UPDATE (title, description, price, delivery_days, active, payout_address, payout_signature, updated_at)"},
	{RoleAPI, "market_events", "SELECT, INSERT"},
	{RoleAPI, "market_reviews", "SELECT, INSERT, UPDATE (rating, body, updated_at)"},
	// The requests' search vectors and what the public list filters by (migrations 00042, 00069,
	// package market): written by the triggers of the API's writes of market_requests, read by
	// the browse search.
	{RoleAPI, "market_request_search", "SELECT, INSERT, UPDATE (search, category, listed)"},
	// What admins did over the API (migration 00027, package admin): append-only.
	{RoleAPI, "admin_audit", "SELECT, INSERT"},
	// Real time (migration 00034, package realtime): publishing, replay, pruning past the
	// retention, presence.
	{RoleAPI, "realtime_rooms", "SELECT, INSERT, UPDATE (last_seq)"},
	{RoleAPI, "realtime_events", "SELECT, INSERT, DELETE"},
	{RoleAPI, "realtime_nodes", "SELECT, INSERT, UPDATE (seen_at), DELETE"},
	{RoleAPI, "realtime_presence", "SELECT, INSERT, DELETE"},
	// Uploaded files' metadata (migration 00036, package upload): a row changes only to be attached.
	{RoleAPI, "uploads", "SELECT, INSERT, UPDATE (attached_kind, attached_id, attached_at)"},
	// The blog's posts (migration 00037, package blog): the slug, author and creation never change.
	{RoleAPI, "blog_posts", "SELECT, INSERT, UPDATE (title, summary, body_markdown, body_html, cover_upload_id, categories, tags, locale, status, publish_at, updated_at)"},
	// Points and referrals (migration 00038, package points): codes, referrals recorded at sign-up,
	// admins' adjustments for the worker to book. The points books themselves are the worker's.
	{RoleAPI, "points_codes", "SELECT, INSERT"},
	{RoleAPI, "points_referrals", "SELECT, INSERT"},
	{RoleAPI, "points_adjustments", "SELECT, INSERT"},
	{RoleAPI, "points_memos", "SELECT"},
	// Points spends (migration 00047): recorded by the API under the user's key, booked by the worker.
	// The API inserts only what a spend is (00059): booked_at and refused are the worker's word.
	{RoleAPI, "points_spends", "SELECT, INSERT (id, user_id, key, amount, purpose, created_at)"},
	// Chat (migration 00040, package chat): conversations, messages (edited and deleted in place),
	// read receipts.
	{RoleAPI, "chat_conversations", "SELECT, INSERT"},
	{RoleAPI, "chat_messages", "SELECT, INSERT, UPDATE (body, attachments, edited_at, deleted_at)"},
	{RoleAPI, "chat_reads", "SELECT, INSERT, UPDATE (last_read_seq, updated_at)"},
	// Disputes (migration 00051, package dispute): cases, their append-only hash-chained timeline
	// (a trigger refuses UPDATE, DELETE and unlinked entries), proposals and their acceptances.
	{RoleAPI, "dispute_cases", "SELECT, INSERT, UPDATE (status, assigned_admin, pending, pending_by, resolution, resolved_at, updated_at)"},
	{RoleAPI, "dispute_entries", "SELECT, INSERT"},
	{RoleAPI, "dispute_proposals", "SELECT, INSERT, UPDATE (buyer_accepted_at, seller_accepted_at, superseded_at)"},
	// Notifications (migration 00045, package notify): a caller's list, read marks, email preferences.
	{RoleAPI, "notifications", "SELECT, INSERT, UPDATE (read_at)"},
	{RoleAPI, "notification_prefs", "SELECT, INSERT, UPDATE (email, updated_at)"},

	// amn_indexer: records what the chains show and moves payments and the books as the chain
	// does (credits, sweeps, releases, refunds, a freeze), with the sweep jobs they cause.
	{RoleIndexer, "goose_db_version", "SELECT"},
	{RoleIndexer, "river_migration", "SELECT"},
	{RoleIndexer, "process_heartbeat", "SELECT, INSERT, UPDATE (seen_at, version)"},
	{RoleIndexer, "payments", "SELECT, UPDATE (state, disputed_from, received, pending_amount, pending_count, paid_late, updated_at, payout_attempt, split_buyer_amount)"},
	{RoleIndexer, "payment_timeline", "SELECT, INSERT"},
	{RoleIndexer, "deposit_exceptions", "SELECT, INSERT, DELETE"}, // DELETE: exceptions a reorg took away (00029)
	{RoleIndexer, "deposit_exceptions_id_seq", "USAGE"},
	{RoleIndexer, "ledger_accounts", "SELECT, UPDATE (" + accountBalanceColumns + ")"},
	{RoleIndexer, "ledger_transfers", "SELECT, INSERT"},
	{RoleIndexer, "ledger_entries", "SELECT, INSERT"},
	{RoleIndexer, "ledger_pending", "SELECT, INSERT, UPDATE (state, resolved_by)"},
	{RoleIndexer, "indexer_checkpoints", "SELECT, INSERT, UPDATE (processed, processed_hash, halted, halt_reason, halted_at, status, updated_at)"},
	{RoleIndexer, "indexer_blocks", "SELECT, INSERT, UPDATE (hash, parent_hash), DELETE"},
	{RoleIndexer, "indexer_observations", "SELECT, INSERT, UPDATE (state, note, updated_at, quarantine_op, transfer_id, incarnation)"},
	{RoleIndexer, "indexer_rescans", "SELECT, UPDATE (done_at)"},
	{RoleIndexer, "river_job", "SELECT, INSERT, UPDATE (kind)"},
	{RoleIndexer, "river_job_id_seq", "USAGE"},

	// amn_worker: works the job queue: expiry, sweeps handed to the signer as pending intents,
	// payments kept in step with the signer, gas booked, rescans requested.
	{RoleWorker, "goose_db_version", "SELECT"},
	{RoleWorker, "river_migration", "SELECT"},
	{RoleWorker, "process_heartbeat", "SELECT, INSERT, UPDATE (seen_at, version)"},
	{RoleWorker, "payments", "SELECT, UPDATE (state, updated_at, payout_attempt)"},
	{RoleWorker, "payment_timeline", "SELECT, INSERT"},
	{RoleWorker, "ledger_accounts", "SELECT, INSERT (" + accountInsertColumns + "), UPDATE (" + accountBalanceColumns + ")"},
	{RoleWorker, "ledger_transfers", "SELECT, INSERT"},
	{RoleWorker, "ledger_entries", "SELECT, INSERT"},
	{RoleWorker, "ledger_pending", "SELECT, INSERT, UPDATE (state, resolved_by)"},
	{RoleWorker, "indexer_rescans", "SELECT, INSERT"},
	{RoleWorker, "signer_intents", "SELECT, INSERT (" + intentInsertColumns + "), UPDATE (gas_booked_at)"},
	{RoleWorker, "signer_txs", "SELECT"},
	{RoleWorker, "signer_batch_members", "SELECT"},
	{RoleWorker, "river_job", "SELECT, INSERT, UPDATE, DELETE"},
	{RoleWorker, "river_leader", "SELECT, INSERT, UPDATE, DELETE"},
	{RoleWorker, "river_queue", "SELECT, INSERT, UPDATE, DELETE"},
	{RoleWorker, "river_job_id_seq", "USAGE"},
	// The marketplace: following payments and running the deal's timers (migration 00025).
	{RoleWorker, "market_requests", "SELECT, UPDATE (status, resume_to, delivered_at, updated_at)"},
	// The trigger of a status change keeps the search's listed flag (migration 00069).
	{RoleWorker, "market_request_search", "SELECT (request_id), UPDATE (listed)"},
	{RoleWorker, "market_offers", "SELECT, UPDATE (status, updated_at)"},
	{RoleWorker, "market_events", "SELECT, INSERT"},
	// Real time (migration 00034): the market's jobs publish their status changes.
	{RoleWorker, "realtime_rooms", "SELECT, INSERT, UPDATE (last_seq)"},
	{RoleWorker, "realtime_events", "INSERT"},
	// Points (migration 00038): deals, referral rewards and admins' adjustments booked.
	{RoleWorker, "points_referrals", "SELECT, UPDATE (status, rewarded_at, reward_transfer)"},
	{RoleWorker, "points_adjustments", "SELECT, UPDATE (booked_at, refused)"},
	{RoleWorker, "points_memos", "SELECT, INSERT"},
	{RoleWorker, "points_cursor", "SELECT, INSERT, UPDATE (tx, request_id, seq, updated_at)"},
	// Points (migration 00047): spends booked, and how far each user's grants were looked at for expiry.
	{RoleWorker, "points_spends", "SELECT, UPDATE (booked_at, refused)"},
	{RoleWorker, "points_expiry", "SELECT, INSERT, UPDATE (through, updated_at)"},
	// Chat (migration 00040): the deal's payment steps, written as the market follows the payment.
	{RoleWorker, "chat_conversations", "SELECT, INSERT"},
	{RoleWorker, "chat_messages", "SELECT, INSERT"},
	// Disputes (migration 00051): deadlines write missing answers, move silent cases to review and
	// escalate unassigned ones; (00058) a case whose payment ended on chain is closed as resolved.
	{RoleWorker, "dispute_cases", "SELECT, UPDATE (status, pending, pending_by, resolution, resolved_at, updated_at)"},
	{RoleWorker, "dispute_entries", "SELECT, INSERT"},
	// Notifications (migration 00045): the deal's steps the worker's market tells the parties, and
	// their mail: the recipient's preferences and, through auth.Contacts, address, locale and standing.
	{RoleWorker, "notifications", "SELECT, INSERT"},
	{RoleWorker, "notification_prefs", "SELECT"},
	{RoleWorker, "users", "SELECT (id, email, email_verified_at, status, locale)"},

	// amn_signer (migration 00005): reads intents, approvals, payments and the books; moves
	// intents; writes only its own tables.
	{RoleSigner, "goose_db_version", "SELECT"},
	{RoleSigner, "river_migration", "SELECT"},
	{RoleSigner, "process_heartbeat", "SELECT, INSERT, UPDATE"},
	{RoleSigner, "payments", "SELECT"},
	{RoleSigner, "payment_timeline", "SELECT"},
	{RoleSigner, "ledger_accounts", "SELECT"},
	{RoleSigner, "ledger_transfers", "SELECT"},
	{RoleSigner, "ledger_entries", "SELECT"},
	{RoleSigner, "ledger_pending", "SELECT"},
	{RoleSigner, "signer_intents", "SELECT, UPDATE (state, reason, updated_at, signed_at, gas_used, gas_cost)"},
	{RoleSigner, "custodians", "SELECT"},
	{RoleSigner, "custody_approvals", "SELECT"},
	{RoleSigner, "signer_nonces", "SELECT, INSERT, UPDATE"},
	{RoleSigner, "signer_txs", "SELECT, INSERT, UPDATE"},
	{RoleSigner, "signer_batch_members", "SELECT, INSERT"},
	{RoleSigner, "signer_audit", "SELECT, INSERT"},
	{RoleSigner, "signer_leader", "SELECT, UPDATE (epoch, holder, taken_at)"},

	// amn_custody (migration 00017): enrols custodians, whose hardware flag the signer trusts;
	// nothing else.
	{RoleCustody, "custodians", "SELECT, INSERT, UPDATE (label, hardware, enrolled_at, chain_id, contract, path, device, challenge, proof, updated_at)"},
	{RoleCustody, "custody_challenges", "SELECT, INSERT, UPDATE (used_at), DELETE"},

	// amn_import (migration 00072): the legacy MongoDB import writes what each package's Import*
	// entry point writes (history, legacy rows, accounts, opening balances) and its own
	// bookkeeping; nothing of payments, intents, the signer, custody or the job queue. An upsert
	// reads the columns it conflicts on and sets (SELECT); DELETE only where a rerun removes what
	// the old store no longer lists.
	{RoleImport, "import_mongo_ids", "SELECT, INSERT, UPDATE (digest, source_at, imported_at)"},
	{RoleImport, "import_mongo_checkpoints", "SELECT, INSERT, UPDATE (last_id, finished_at, updated_at), DELETE"},
	// auth.ImportUser.
	{RoleImport, "users", "SELECT, INSERT (id, email, email_verified_at, password_hash, roles, status, display_name, created_at, updated_at), UPDATE (email, email_verified_at, password_hash, roles, status, display_name, updated_at)"},
	{RoleImport, "auth_identities", "SELECT, INSERT (provider, subject, user_id, profile, created_at), UPDATE (user_id), DELETE"},
	{RoleImport, "auth_passkeys", "SELECT, INSERT (id, user_id, credential_id, credential, sign_count, name, created_at, legacy_user_handle), UPDATE (credential, sign_count, name, legacy_user_handle), DELETE"},
	// points.ImportOpening (one posted transfer booked through package ledger, as amn_worker
	// books points: the single-transfer write, which neither reserves nor resolves, so
	// ledger_pending is only read), ImportReferral, ImportHistory.
	{RoleImport, "ledger_accounts", "SELECT, INSERT (" + accountInsertColumns + "), UPDATE (" + accountBalanceColumns + ")"},
	{RoleImport, "ledger_transfers", "SELECT, INSERT"},
	{RoleImport, "ledger_entries", "INSERT"},
	{RoleImport, "ledger_pending", "SELECT"},
	{RoleImport, "points_memos", "SELECT, INSERT"},
	{RoleImport, "points_codes", "SELECT (user_id, code), INSERT (user_id, code, created_at), UPDATE (code)"},
	{RoleImport, "points_referrals", "SELECT (referred_id), INSERT (referred_id, referrer_id, status, created_at)"},
	{RoleImport, "points_legacy_history", "SELECT, INSERT, UPDATE (user_id, amount, kind, reason, created_at)"},
	// market.ImportTemplate, ImportRequest, ImportOffer (and the search rows the requests' triggers write).
	{RoleImport, "market_templates", "SELECT, INSERT (id, seller_id, title, description, category, product_type, chain_key, token_symbol, price, delivery_days, active, created_at, updated_at, legacy), UPDATE (seller_id, title, description, category, product_type, chain_key, token_symbol, price, delivery_days, updated_at)"},
	{RoleImport, "market_requests", "SELECT, INSERT (id, buyer_id, title, description, category, product_type, chain_key, token_symbol, budget_min, budget_max, urgency, delivery, visibility, status, resume_to, template_id, delivered_at, inspection_days, expires_at, created_at, updated_at, legacy), UPDATE (buyer_id, title, description, category, product_type, chain_key, token_symbol, budget_min, budget_max, urgency, delivery, visibility, status, resume_to, template_id, delivered_at, inspection_days, expires_at, updated_at, accepted_offer)"},
	{RoleImport, "market_request_search", "SELECT (request_id), INSERT (request_id, search, created_at, category, listed), UPDATE (search, category, listed)"},
	{RoleImport, "market_offers", "SELECT, INSERT (id, request_id, seller_id, status, price, delivery_days, valid_until, notes, created_at, updated_at, legacy), UPDATE (request_id, seller_id, status, price, delivery_days, valid_until, notes, updated_at)"},
	// payment.ImportLegacy: history records, never payments.
	{RoleImport, "payment_legacy", "SELECT, INSERT, UPDATE (request_id, buyer_id, seller_id, amount, token_symbol, chain_key, old_status, state, provider, provider_ids, updated_at)"},
	// chat.ImportConversation: each message published into its room.
	{RoleImport, "chat_conversations", "SELECT, INSERT"},
	{RoleImport, "chat_messages", "SELECT, INSERT"},
	{RoleImport, "realtime_rooms", "SELECT, INSERT, UPDATE (last_seq)"},
	{RoleImport, "realtime_events", "INSERT"},
	// blog.ImportPost.
	{RoleImport, "blog_posts", "SELECT, INSERT (id, slug, title, summary, body_markdown, body_html, cover_upload_id, categories, tags, author_id, locale, status, publish_at, created_at, updated_at), UPDATE (title, summary, body_markdown, body_html, categories, tags, author_id, locale, status, publish_at, updated_at)"},
	// dispute.ImportCase: a legacy case and its append-only timeline.
	{RoleImport, "dispute_cases", "SELECT, INSERT (id, request_id, payment_id, offer_id, buyer_id, seller_id, opened_by, opener, reason, status, interrupted, conversation_id, amount, decimals, ledger, resolution, resolved_at, created_at, updated_at, legacy), UPDATE (status, reason, amount, decimals, ledger, resolution, resolved_at, updated_at)"},
	{RoleImport, "dispute_entries", "SELECT, INSERT"},
	// notify.ImportNotification: history, no mail, no socket event.
	{RoleImport, "notifications", "SELECT, INSERT (id, user_id, kind, data, created_at, read_at), UPDATE (kind, data, read_at)"},
}

// Column lists used by several roles.
const (
	// What a new payment is made of; its state and amounts start at their defaults.
	paymentInsertColumns = "id, buyer_ref, offer_ref, seller_address, buyer_address, chain_id, ledger, token_address, " +
		"token_decimals, amount, fee, fee_address, commission, tolerance, deposit_index, deposit_address, request_id, " +
		"salt, reference, expires_at, watch_until, deposit_account, created_at, updated_at, escrow_id, seller_signature"
	// A new account's identity and limits; its balances start at zero.
	accountInsertColumns  = "id, ledger, code, owner_ref, debits_must_not_exceed_credits, credits_must_not_exceed_debits"
	accountBalanceColumns = "debits_pending, debits_posted, credits_pending, credits_posted, entry_seq"
	// What an intent asks for; its outcome (reason, signed_at, gas, gas_booked_at) is the signer's
	// and the worker's to write. Row-level security lets these roles insert it only as pending or
	// awaiting_approvals.
	intentInsertColumns = "id, kind, payment_id, chain_id, contract, token, seller, seller_amount, fee_recipient, " +
		"fee_amount, buyer, amount, recipient, resolves_dispute, deadline, state, requested_by, escrow_id, buyer_amount"
)

// Privilege is one privilege on one object: Columns is empty for the whole table.
type Privilege struct {
	Object, Name string
	Columns      []string
}

func (p Privilege) String() string {
	if len(p.Columns) == 0 {
		return p.Name + " on " + p.Object
	}
	return fmt.Sprintf("%s (%s) on %s", p.Name, strings.Join(p.Columns, ", "), p.Object)
}

// privSet is a role's privileges: object → privilege → columns ("" for the whole object).
type privSet map[string]map[string]map[string]bool

func (s privSet) add(object, priv, column string) {
	if s[object] == nil {
		s[object] = map[string]map[string]bool{}
	}
	if s[object][priv] == nil {
		s[object][priv] = map[string]bool{}
	}
	s[object][priv][column] = true
}

// has reports whether s allows priv on column of object (column "" = the whole object).
func (s privSet) has(object, priv, column string) bool {
	cols := s[object][priv]
	return cols[""] || (column != "" && cols[column])
}

// ParsePrivileges reads a Grant's Privileges ("SELECT, UPDATE (a, b)").
func ParsePrivileges(s string) ([]Privilege, error) {
	var out []Privilege
	for rest := strings.TrimSpace(s); rest != ""; {
		name := rest
		var cols []string
		i := strings.IndexAny(rest, ",(")
		switch {
		case i < 0:
			rest = ""
		case rest[i] == ',':
			name, rest = rest[:i], rest[i+1:]
		default:
			j := strings.IndexByte(rest, ')')
			if j < i {
				return nil, fmt.Errorf("privileges %q: unclosed column list", s)
			}
			name = rest[:i]
			for _, c := range strings.Split(rest[i+1:j], ",") {
				if c = strings.TrimSpace(c); c != "" {
					cols = append(cols, c)
				}
			}
			if len(cols) == 0 {
				return nil, fmt.Errorf("privileges %q: empty column list", s)
			}
			rest = strings.TrimSpace(rest[j+1:])
			if rest != "" && rest[0] != ',' {
				return nil, fmt.Errorf("privileges %q: want a comma after the column list", s)
			}
			rest = strings.TrimPrefix(rest, ",")
		}
		name = strings.ToUpper(strings.TrimSpace(name))
		if !slices.Contains(knownPrivileges, name) {
			return nil, fmt.Errorf("privileges %q: unknown privilege %q", s, name)
		}
		out = append(out, Privilege{Name: name, Columns: cols})
		rest = strings.TrimSpace(rest)
	}
	return out, nil
}

var knownPrivileges = []string{"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "USAGE"}

// expected is role's privileges as Grants states them.
func expected(role string) (privSet, error) {
	s := privSet{}
	for _, g := range Grants {
		if g.Role != role {
			continue
		}
		ps, err := ParsePrivileges(g.Privileges)
		if err != nil {
			return nil, fmt.Errorf("grants of %s on %s: %w", role, g.Object, err)
		}
		for _, p := range ps {
			if len(p.Columns) == 0 {
				s.add(g.Object, p.Name, "")
			}
			for _, c := range p.Columns {
				s.add(g.Object, p.Name, c)
			}
		}
	}
	if len(s) == 0 {
		return nil, fmt.Errorf("no grants are written down for role %q", role)
	}
	return s, nil
}

// Statements that read what a role may actually do in the current database's public schema,
// whoever gave it (directly, through PUBLIC, through another role it is a member of, or by owning
// the object). Column privileges are listed only where the table-wide one is not held.
const (
	tablePrivilegesSQL = `SELECT c.relname, p.priv FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p(priv)
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND has_table_privilege($1::name, c.oid, p.priv)`
	columnPrivilegesSQL = `SELECT c.relname, p.priv, a.attname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'REFERENCES']) AS p(priv)
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
		  AND NOT has_table_privilege($1::name, c.oid, p.priv) AND has_column_privilege($1::name, c.oid, a.attnum, p.priv)`
	sequencePrivilegesSQL = `SELECT c.relname, p.priv FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		CROSS JOIN unnest(ARRAY['USAGE', 'SELECT', 'UPDATE']) AS p(priv)
		WHERE n.nspname = 'public' AND c.relkind = 'S' AND has_sequence_privilege($1::name, c.oid, p.priv)`
	// What a role is beyond its grants: attributes that bypass them, other roles whose privileges
	// it has, and the right to create objects in the schema.
	roleAttributesSQL = `SELECT r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls, r.rolreplication,
			has_schema_privilege(r.oid, 'public', 'CREATE'),
			coalesce((SELECT array_agg(o.rolname::text ORDER BY o.rolname) FROM pg_roles o
				WHERE o.oid <> r.oid AND pg_has_role(r.oid, o.oid, 'USAGE')), '{}')
		FROM pg_roles r WHERE r.rolname = $1`
)

// Querier is a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// actual reads what role may do.
func actual(ctx context.Context, q Querier, role string) (privSet, []string, error) {
	s := privSet{}
	read := func(sql string) error {
		rows, err := q.Query(ctx, sql, role)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var object, priv, column string
			dest := []any{&object, &priv}
			if len(rows.FieldDescriptions()) == 3 {
				dest = append(dest, &column)
			}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			s.add(object, priv, column)
		}
		return rows.Err()
	}
	for _, sql := range []string{tablePrivilegesSQL, columnPrivilegesSQL, sequencePrivilegesSQL} {
		if err := read(sql); err != nil {
			return nil, nil, fmt.Errorf("reading the privileges of %s: %w", role, err)
		}
	}
	var super, createRole, createDB, bypassRLS, replication, createSchema bool
	var memberOf []string
	err := q.QueryRow(ctx, roleAttributesSQL, role).Scan(&super, &createRole, &createDB, &bypassRLS, &replication, &createSchema, &memberOf)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, fmt.Errorf("role %s does not exist: run `amn migrate up`", role)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading the attributes of %s: %w", role, err)
	}
	var beyond []string
	for _, a := range []struct {
		set  bool
		what string
	}{{super, "is a superuser"}, {createRole, "may create roles"}, {createDB, "may create databases"},
		{bypassRLS, "bypasses row-level security"}, {replication, "may replicate"}, {createSchema, "may create objects in schema public"}} {
		if a.set {
			beyond = append(beyond, a.what)
		}
	}
	for _, o := range memberOf {
		beyond = append(beyond, "has the privileges of role "+o)
	}
	return s, beyond, nil
}

// GrantsError says how a role's privileges differ from Grants.
type GrantsError struct {
	Role    string
	Extra   []string // what it may do beyond Grants: each one is a finding
	Missing []string // what Grants gives it that the database does not
}

func (e *GrantsError) Error() string {
	var parts []string
	if len(e.Extra) > 0 {
		parts = append(parts, fmt.Sprintf("role %s can do more than docs/security.md grants it: %s", e.Role, strings.Join(e.Extra, "; ")))
	}
	if len(e.Missing) > 0 {
		parts = append(parts, fmt.Sprintf("role %s lacks what docs/security.md grants it (run `amn migrate up`): %s", e.Role, strings.Join(e.Missing, "; ")))
	}
	return strings.Join(parts, "; and ")
}

// VerifyGrants compares what role may do in the database q is connected to with Grants. It
// returns a *GrantsError naming every privilege, attribute or membership beyond them (and every
// granted privilege the database lacks).
func VerifyGrants(ctx context.Context, q Querier, role string) error {
	want, err := expected(role)
	if err != nil {
		return err
	}
	have, beyond, err := actual(ctx, q, role)
	if err != nil {
		return err
	}
	e := &GrantsError{Role: role, Extra: beyond, Missing: missing(want, have)}
	e.Extra = append(e.Extra, missing(have, want)...)
	if len(e.Extra) == 0 && len(e.Missing) == 0 {
		return nil
	}
	return e
}

// missing lists what a allows and b does not, one line per object and privilege.
func missing(a, b privSet) []string {
	var out []string
	for object, privs := range a {
		for priv, cols := range privs {
			var lack []string
			whole := false
			for c := range cols {
				if !b.has(object, priv, c) {
					if c == "" {
						whole = true
					} else {
						lack = append(lack, c)
					}
				}
			}
			switch {
			case whole:
				// b may still hold some of the columns; a holds them all.
				out = append(out, Privilege{Object: object, Name: priv}.String())
			case len(lack) > 0:
				sort.Strings(lack)
				out = append(out, Privilege{Object: object, Name: priv, Columns: lack}.String())
			}
		}
	}
	sort.Strings(out)
	return out
}
