-- +goose Up
-- The legacy MongoDB import's own bookkeeping (package migrate/mongo owns both tables; docs/import.md).
-- Only the owner login (the one `amn migrate` and `amn import mongo` use) touches them: no role
-- of a running process reads or writes them.

-- Every source document imported: its collection and ObjectId (hex), the id it has here (derived
-- from the two, so a rerun finds the same row), a digest of the document as read (a rerun whose
-- digest is unchanged writes nothing) and the source's updatedAt.
CREATE TABLE import_mongo_ids (
    collection  text NOT NULL CHECK (collection ~ '^[A-Za-z0-9_]{1,64}$'),
    old_id      text NOT NULL CHECK (old_id ~ '^[0-9a-f]{24}$'),
    new_id      uuid NOT NULL,
    digest      bytea NOT NULL CHECK (length(digest) = 32),
    source_at   timestamptz,
    imported_at timestamptz NOT NULL,
    PRIMARY KEY (collection, old_id)
);
CREATE UNIQUE INDEX import_mongo_ids_new ON import_mongo_ids (collection, new_id);

-- A run's place in each collection: the last _id it finished, for the run of the same --since
-- (its "scope") to resume after a crash. finished_at is set when the collection was read to its
-- end; the next run of that scope then starts from the beginning again.
CREATE TABLE import_mongo_checkpoints (
    collection  text NOT NULL,
    scope       text NOT NULL,
    last_id     text NOT NULL CHECK (last_id = '' OR last_id ~ '^[0-9a-f]{24}$'),
    finished_at timestamptz,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (collection, scope)
);

-- +goose Down
DROP TABLE import_mongo_checkpoints, import_mongo_ids;
