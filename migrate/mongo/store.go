package mongo

// The statements on the package's own tables (migration 00054).
const (
	// knownSQL says whether a document was imported (a reference to it resolves).
	knownSQL = `SELECT EXISTS (SELECT 1 FROM import_mongo_ids WHERE collection = $1 AND old_id = $2)`
	// digestsSQL reads what a batch's documents looked like when they were last imported.
	digestsSQL = `SELECT old_id, digest, imported_at FROM import_mongo_ids WHERE collection = $1 AND old_id = ANY($2::text[])`
	// mapSQL records a document imported (created: true for a first import).
	mapSQL = `INSERT INTO import_mongo_ids (collection, old_id, new_id, digest, source_at, imported_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (collection, old_id) DO UPDATE SET digest = excluded.digest, source_at = excluded.source_at,
		imported_at = excluded.imported_at
		RETURNING (xmax = 0)`
	// checkpointSQL reads a collection's place for a scope.
	checkpointSQL = `SELECT last_id, finished_at IS NOT NULL FROM import_mongo_checkpoints WHERE collection = $1 AND scope = $2`
	// clearCheckpointsSQL forgets a scope's places once a run has read every collection.
	clearCheckpointsSQL = `DELETE FROM import_mongo_checkpoints WHERE scope = $1`
	// saveCheckpointSQL moves it on (finished: the collection was read to its end).
	saveCheckpointSQL = `INSERT INTO import_mongo_checkpoints (collection, scope, last_id, finished_at, updated_at)
		VALUES ($1, $2, $3, CASE WHEN $4::bool THEN $5::timestamptz END, $5)
		ON CONFLICT (collection, scope) DO UPDATE SET last_id = excluded.last_id, finished_at = excluded.finished_at,
		updated_at = excluded.updated_at`
)
