-- +goose Up
-- The marketplace's deals (package market owns every table here; docs/market.md). Amounts are
-- integers in the token's base units; what was paid, held and released is read from payments and
-- the ledger, never copied here.

-- A purchase request: what a buyer wants, for how much, and where its deal stands (status: the
-- machine of market/state.go). resume_to is the step a dispute interrupted.
CREATE TABLE market_requests (
    id              uuid PRIMARY KEY,
    buyer_id        uuid NOT NULL REFERENCES users (id),
    title           text NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
    description     text NOT NULL CHECK (length(description) <= 20000),
    category        text NOT NULL CHECK (category ~ '^[a-z0-9_-]{1,64}$'),
    product_type    text NOT NULL CHECK (product_type IN ('physical_product', 'digital_product', 'service', 'consultation')),
    chain_key       text NOT NULL CHECK (chain_key ~ '^[a-z0-9_-]{1,32}$'),
    token_symbol    text NOT NULL CHECK (token_symbol ~ '^[A-Za-z0-9]{1,16}$'),
    budget_min      numeric(78, 0) NOT NULL CHECK (budget_min >= 0),
    budget_max      numeric(78, 0) NOT NULL CHECK (budget_max >= budget_min AND budget_max > 0),
    urgency         text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('low', 'normal', 'high', 'urgent')),
    delivery        jsonb NOT NULL DEFAULT '{"kind": "online"}',
    visibility      text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'private')),
    status          text NOT NULL CHECK (status IN ('pending_payment', 'pending', 'active', 'received_offers', 'in_negotiation',
                        'payment', 'processing', 'delivery', 'delivered', 'confirming', 'completed', 'cancelled', 'expired', 'disputed')),
    resume_to       text CHECK (resume_to IN ('processing', 'delivery', 'delivered')),
    accepted_offer  uuid,
    payment_id      uuid REFERENCES payments (id),
    template_id     uuid,
    shipment        jsonb,          -- carrier and tracking, or a delivery note for online goods
    delivered_at    timestamptz,
    inspection_days int NOT NULL DEFAULT 7 CHECK (inspection_days BETWEEN 1 AND 60),
    expires_at      timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'disputed') = (resume_to IS NOT NULL)),
    CHECK (status NOT IN ('payment', 'pending_payment', 'processing', 'delivery', 'delivered', 'confirming', 'completed') OR payment_id IS NOT NULL)
);
CREATE INDEX market_requests_buyer ON market_requests (buyer_id, created_at DESC, id DESC);
CREATE INDEX market_requests_browse ON market_requests (category, created_at DESC, id DESC) WHERE status IN ('active', 'received_offers', 'in_negotiation') AND visibility = 'public';
CREATE INDEX market_requests_open ON market_requests (created_at DESC, id DESC) WHERE status IN ('active', 'received_offers', 'in_negotiation') AND visibility = 'public';
-- Full-text search over title and description: queries use this expression exactly.
CREATE INDEX market_requests_search ON market_requests USING gin (to_tsvector('simple', title || ' ' || description));
CREATE INDEX market_requests_following ON market_requests (status) WHERE status IN ('payment', 'pending_payment', 'processing', 'delivery', 'delivered', 'confirming', 'disputed');

-- A seller's offer on a request; its current terms are its latest revision. One live (pending)
-- offer per seller per request. The payout address is proven by the seller's EIP-712 signature of
-- the Offer (payment.Offer), checked when the offer is made and again by payment.Create.
CREATE TABLE market_offers (
    id               uuid PRIMARY KEY,
    request_id       uuid NOT NULL REFERENCES market_requests (id),
    seller_id        uuid NOT NULL REFERENCES users (id),
    status           text NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected', 'withdrawn', 'expired')),
    revision         int NOT NULL DEFAULT 1 CHECK (revision >= 1),
    price            numeric(78, 0) NOT NULL CHECK (price > 0),
    delivery_days    int NOT NULL CHECK (delivery_days BETWEEN 0 AND 365),
    valid_until      timestamptz NOT NULL,
    notes            text NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
    payout_address   bytea NOT NULL CHECK (length(payout_address) = 20),
    payout_signature bytea NOT NULL CHECK (length(payout_signature) = 65),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX market_offers_one_live ON market_offers (request_id, seller_id) WHERE status = 'pending';
CREATE UNIQUE INDEX market_offers_one_accepted ON market_offers (request_id) WHERE status = 'accepted';
CREATE INDEX market_offers_request ON market_offers (request_id, created_at DESC, id DESC);
CREATE INDEX market_offers_seller ON market_offers (seller_id, created_at DESC, id DESC);
ALTER TABLE market_requests ADD FOREIGN KEY (accepted_offer) REFERENCES market_offers (id);

-- Every revision of an offer, the first included: the history is kept.
CREATE TABLE market_offer_revisions (
    offer_id         uuid NOT NULL REFERENCES market_offers (id),
    revision         int NOT NULL,
    price            numeric(78, 0) NOT NULL,
    delivery_days    int NOT NULL,
    valid_until      timestamptz NOT NULL,
    notes            text NOT NULL,
    payout_address   bytea NOT NULL,
    payout_signature bytea NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (offer_id, revision)
);

-- A seller's reusable express-checkout request at a fixed price.
CREATE TABLE market_templates (
    id               uuid PRIMARY KEY,
    seller_id        uuid NOT NULL REFERENCES users (id),
    title            text NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
    description      text NOT NULL CHECK (length(description) <= 20000),
    category         text NOT NULL CHECK (category ~ '^[a-z0-9_-]{1,64}$'),
    product_type     text NOT NULL CHECK (product_type IN ('physical_product', 'digital_product', 'service', 'consultation')),
    chain_key        text NOT NULL,
    token_symbol     text NOT NULL,
    price            numeric(78, 0) NOT NULL CHECK (price > 0),
    delivery_days    int NOT NULL CHECK (delivery_days BETWEEN 0 AND 365),
    payout_address   bytea NOT NULL CHECK (length(payout_address) = 20),
    payout_signature bytea NOT NULL CHECK (length(payout_signature) = 65),
    active           boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX market_templates_seller ON market_templates (seller_id, created_at DESC, id DESC);
ALTER TABLE market_requests ADD FOREIGN KEY (template_id) REFERENCES market_templates (id);

-- A request's timeline: every event of its status machine, who fired it, from where to where.
-- seq orders a request's events (the realtime issue replays rooms from it).
CREATE TABLE market_events (
    request_id  uuid NOT NULL REFERENCES market_requests (id),
    seq         int NOT NULL,
    event       text NOT NULL,
    actor       text NOT NULL CHECK (actor IN ('buyer', 'seller', 'admin', 'system')),
    actor_id    uuid,
    from_status text,
    to_status   text NOT NULL,
    detail      jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, seq)
);

-- One review per side per completed deal: rating 1–5 and text, editable for 14 days.
CREATE TABLE market_reviews (
    request_id uuid NOT NULL REFERENCES market_requests (id),
    author_id  uuid NOT NULL REFERENCES users (id),
    subject_id uuid NOT NULL REFERENCES users (id),
    rating     int NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body       text NOT NULL DEFAULT '' CHECK (length(body) <= 5000),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, author_id),
    CHECK (author_id <> subject_id)
);
CREATE INDEX market_reviews_subject ON market_reviews (subject_id, created_at DESC);

GRANT SELECT, INSERT, UPDATE (status, resume_to, accepted_offer, payment_id, title, description, category, urgency, delivery, visibility,
    budget_min, budget_max, shipment, delivered_at, expires_at, updated_at) ON market_requests TO amn_api;
GRANT SELECT, INSERT, UPDATE (status, revision, price, delivery_days, valid_until, notes, payout_address, payout_signature, updated_at) ON market_offers TO amn_api;
GRANT SELECT, INSERT ON market_offer_revisions TO amn_api;
GRANT SELECT, INSERT, UPDATE (title, description, price, delivery_days, active, payout_address, payout_signature, updated_at) ON market_templates TO amn_api;
GRANT SELECT, INSERT ON market_events TO amn_api;
GRANT SELECT, INSERT, UPDATE (rating, body, updated_at) ON market_reviews TO amn_api;
-- The worker follows the payments (paid, expired, released, refunded) and runs the timers
-- (inspection, offer and request expiry).
GRANT SELECT, UPDATE (status, resume_to, delivered_at, updated_at) ON market_requests TO amn_worker;
GRANT SELECT, UPDATE (status, updated_at) ON market_offers TO amn_worker;
GRANT SELECT, INSERT ON market_events TO amn_worker;

-- +goose Down
ALTER TABLE market_requests DROP CONSTRAINT IF EXISTS market_requests_template_id_fkey, DROP CONSTRAINT IF EXISTS market_requests_accepted_offer_fkey;
DROP TABLE market_reviews, market_events, market_templates, market_offer_revisions, market_offers, market_requests;
