-- +goose Up
-- Uploaded files (package upload, docs/uploads.md). The bytes live in the upload store
-- (AMN_UPLOAD_PATH, or an S3-compatible store), named by their SHA-256; a row says whose a file
-- is, what it is, its resized variants, and what it is attached to, which decides who may read it.
-- A row never changes but for its attachment, made once.
CREATE TABLE uploads (
    id            uuid PRIMARY KEY,
    owner_id      uuid NOT NULL REFERENCES users (id),
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size          bigint NOT NULL CHECK (size > 0),
    content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    width         integer NOT NULL CHECK (width > 0),
    height        integer NOT NULL CHECK (height > 0),
    -- [{"name", "sha256", "size", "width", "height", "contentType"}], smallest first.
    variants      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(variants) = 'array'),
    -- What the file belongs to: '' (nothing yet: its owner's and admins' only), 'blog_cover'
    -- (public), 'dispute_evidence' (the dispute's parties and admins).
    attached_kind text NOT NULL DEFAULT '' CHECK (attached_kind IN ('', 'blog_cover', 'dispute_evidence')),
    attached_id   text NOT NULL DEFAULT '' CHECK (length(attached_id) <= 100),
    attached_at   timestamptz,
    created_at    timestamptz NOT NULL,
    CHECK ((attached_kind = '') = (attached_id = '') AND (attached_kind = '') = (attached_at IS NULL))
);
CREATE INDEX uploads_owner ON uploads (owner_id, created_at DESC, id DESC);

GRANT SELECT, INSERT, UPDATE (attached_kind, attached_id, attached_at) ON uploads TO amn_api;

-- +goose Down
DROP TABLE uploads;
