-- +goose Up
-- `amn import mongo` works as a role of its own, amn_import (docs/security.md, docs/import.md),
-- no longer as the schema's owner: it may write exactly what each package's Import* entry point
-- writes, and read what they and the import's verification read. It has nothing of the signer's
-- tables, custody, payments, intents or the job queue, and cannot create, alter or drop objects.
-- Column lists are the statements' own: an INSERT's columns, an upsert's SET columns (and, since
-- ON CONFLICT … DO UPDATE reads them, SELECT), a DELETE only where a rerun removes what the old
-- store no longer lists.
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'amn_import') THEN
        BEGIN
            CREATE ROLE amn_import NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
END
$$;
-- +goose StatementEnd
GRANT USAGE ON SCHEMA public TO amn_import;

-- The import's own bookkeeping (migration 00054, package migrate/mongo): every document imported,
-- and each collection's place; a finished run clears its scope's places.
GRANT SELECT, INSERT ON import_mongo_ids, import_mongo_checkpoints TO amn_import;
GRANT UPDATE (digest, source_at, imported_at) ON import_mongo_ids TO amn_import;
GRANT UPDATE (last_id, finished_at, updated_at) ON import_mongo_checkpoints TO amn_import;
GRANT DELETE ON import_mongo_checkpoints TO amn_import;

-- auth.ImportUser: the account, its Telegram identity and passkeys; a rerun removes an imported
-- Telegram link or passkey the old store no longer lists.
GRANT SELECT, INSERT (id, email, email_verified_at, password_hash, roles, status, display_name, created_at, updated_at),
    UPDATE (email, email_verified_at, password_hash, roles, status, display_name, updated_at) ON users TO amn_import;
GRANT SELECT, INSERT (provider, subject, user_id, profile, created_at), UPDATE (user_id), DELETE ON auth_identities TO amn_import;
GRANT SELECT, INSERT (id, user_id, credential_id, credential, sign_count, name, created_at, legacy_user_handle),
    UPDATE (credential, sign_count, name, legacy_user_handle), DELETE ON auth_passkeys TO amn_import;

-- points.ImportOpening, ImportReferral, ImportHistory: the opening balance is one posted ledger
-- transfer booked through package ledger (its accounts opened as amn_worker opens them; the
-- single-transfer write, which reserves nothing and resolves no pending transfer, so
-- ledger_pending is only read), with its memo.
GRANT SELECT, INSERT (id, ledger, code, owner_ref, debits_must_not_exceed_credits, credits_must_not_exceed_debits),
    UPDATE (debits_pending, debits_posted, credits_pending, credits_posted, entry_seq) ON ledger_accounts TO amn_import;
GRANT SELECT, INSERT ON ledger_transfers TO amn_import;
GRANT INSERT ON ledger_entries TO amn_import;
GRANT SELECT ON ledger_pending TO amn_import;
GRANT SELECT, INSERT ON points_memos TO amn_import;
GRANT SELECT (user_id, code), INSERT (user_id, code, created_at), UPDATE (code) ON points_codes TO amn_import;
GRANT SELECT (referred_id), INSERT (referred_id, referrer_id, status, created_at) ON points_referrals TO amn_import;
GRANT SELECT, INSERT, UPDATE (user_id, amount, kind, reason, created_at) ON points_legacy_history TO amn_import;

-- market.ImportTemplate, ImportRequest, ImportOffer: legacy rows (and the requests' search rows
-- their triggers write).
GRANT SELECT, INSERT (id, seller_id, title, description, category, product_type, chain_key, token_symbol, price,
        delivery_days, active, created_at, updated_at, legacy),
    UPDATE (seller_id, title, description, category, product_type, chain_key, token_symbol, price, delivery_days, updated_at)
    ON market_templates TO amn_import;
GRANT SELECT, INSERT (id, buyer_id, title, description, category, product_type, chain_key, token_symbol, budget_min,
        budget_max, urgency, delivery, visibility, status, resume_to, template_id, delivered_at, inspection_days,
        expires_at, created_at, updated_at, legacy),
    UPDATE (buyer_id, title, description, category, product_type, chain_key, token_symbol, budget_min, budget_max,
        urgency, delivery, visibility, status, resume_to, template_id, delivered_at, inspection_days, expires_at,
        updated_at, accepted_offer)
    ON market_requests TO amn_import;
GRANT SELECT (request_id), INSERT (request_id, search, created_at, category, listed), UPDATE (search, category, listed)
    ON market_request_search TO amn_import;
GRANT SELECT, INSERT (id, request_id, seller_id, status, price, delivery_days, valid_until, notes, created_at, updated_at, legacy),
    UPDATE (request_id, seller_id, status, price, delivery_days, valid_until, notes, updated_at)
    ON market_offers TO amn_import;

-- payment.ImportLegacy: the old payments as history (payment_legacy); never payments itself.
GRANT SELECT, INSERT, UPDATE (request_id, buyer_id, seller_id, amount, token_symbol, chain_key, old_status, state,
    provider, provider_ids, updated_at) ON payment_legacy TO amn_import;

-- chat.ImportConversation: the conversation and its messages, each published into its room.
GRANT SELECT, INSERT ON chat_conversations, chat_messages TO amn_import;
GRANT SELECT, INSERT, UPDATE (last_seq) ON realtime_rooms TO amn_import;
GRANT INSERT ON realtime_events TO amn_import;

-- blog.ImportPost: the post under its old slug.
GRANT SELECT, INSERT (id, slug, title, summary, body_markdown, body_html, cover_upload_id, categories, tags, author_id,
        locale, status, publish_at, created_at, updated_at),
    UPDATE (title, summary, body_markdown, body_html, categories, tags, author_id, locale, status, publish_at, updated_at)
    ON blog_posts TO amn_import;

-- dispute.ImportCase: the legacy case and its (append-only, hash-chained) timeline.
GRANT SELECT, INSERT (id, request_id, payment_id, offer_id, buyer_id, seller_id, opened_by, opener, reason, status,
        interrupted, conversation_id, amount, decimals, ledger, resolution, resolved_at, created_at, updated_at, legacy),
    UPDATE (status, reason, amount, decimals, ledger, resolution, resolved_at, updated_at)
    ON dispute_cases TO amn_import;
GRANT SELECT, INSERT ON dispute_entries TO amn_import;

-- notify.ImportNotification: the old notifications, as history (no mail, no socket event).
GRANT SELECT, INSERT (id, user_id, kind, data, created_at, read_at), UPDATE (kind, data, read_at)
    ON notifications TO amn_import;

-- +goose Down
REVOKE ALL ON import_mongo_ids, import_mongo_checkpoints, users, auth_identities, auth_passkeys, ledger_accounts,
    ledger_transfers, ledger_entries, ledger_pending, points_memos, points_codes, points_referrals,
    points_legacy_history, market_templates, market_requests, market_request_search, market_offers, payment_legacy,
    chat_conversations, chat_messages, realtime_rooms, realtime_events, blog_posts, dispute_cases, dispute_entries,
    notifications FROM amn_import;
REVOKE USAGE ON SCHEMA public FROM amn_import;
