-- +goose Up
-- The blog (package blog, docs/blog.md): posts written in Markdown by admins, stored with the
-- sanitized HTML rendered from it. The public sees a post once its status is published or
-- scheduled and its publish time has come: a scheduled post appears at its time with no job.
CREATE TABLE blog_posts (
    id              uuid PRIMARY KEY,
    -- Set once, from the title (transliterated) or given; never changes, so links stay.
    slug            text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    summary         text NOT NULL DEFAULT '' CHECK (length(summary) <= 1000),
    body_markdown   text NOT NULL CHECK (length(body_markdown) <= 200000),
    body_html       text NOT NULL,
    cover_upload_id uuid REFERENCES uploads (id),
    categories      text[] NOT NULL DEFAULT '{}' CHECK (cardinality(categories) <= 10),
    tags            text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
    author_id       uuid NOT NULL REFERENCES users (id),
    locale          text NOT NULL CHECK (locale ~ '^[a-z]{2}(-[A-Z]{2})?$'),
    status          text NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'archived')),
    publish_at      timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CHECK (status NOT IN ('scheduled', 'published') OR publish_at IS NOT NULL)
);
-- The public list: visible posts, newest first.
CREATE INDEX blog_posts_public ON blog_posts (publish_at DESC, id DESC) WHERE status IN ('published', 'scheduled');
CREATE INDEX blog_posts_admin ON blog_posts (created_at DESC, id DESC);
CREATE INDEX blog_posts_tags ON blog_posts USING gin (tags);
CREATE INDEX blog_posts_categories ON blog_posts USING gin (categories);

GRANT SELECT, INSERT, UPDATE (title, summary, body_markdown, body_html, cover_upload_id, categories, tags, locale,
    status, publish_at, updated_at) ON blog_posts TO amn_api;

-- +goose Down
DROP TABLE blog_posts;
