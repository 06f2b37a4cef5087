// Package mongo imports the legacy backend's MongoDB store (its Mongoose models: User,
// PointTransaction, RequestTemplate, PurchaseRequest, SellerOffer, Payment, Chat, BlogPost,
// Dispute, Notification) into
// this backend, idempotently, resumably and verified (docs/import.md; `amn import mongo`).
//
// It owns two tables (migration 00054): import_mongo_ids, every source document imported (its
// collection and ObjectId, the id it has here, a digest of what was read) and
// import_mongo_checkpoints, each collection's place for a run to resume from. Each collection is
// read in _id order; each batch of documents is one transaction with a savepoint per document,
// so a malformed one (missing fields, wrong types, dangling references, a rule of the target
// broken) is rolled back alone, reported with its _id and reason, and skipped, and the batch's
// checkpoint commits with its documents: a killed run resumes where its last batch ended. A
// document whose digest is unchanged is not written again: a rerun changes nothing.
//
// It must never write another package's tables but through that package's Import* entry point
// (auth.ImportUser, points.ImportOpening, market.ImportRequest, …), never move money (old
// payments are history; one still holding funds is listed for an operator and fails --strict, as
// is an old dispute on one: disputes become legacy cases, history on which no step is taken), never
// notify anyone (old notifications are written as history: no mail, no socket event), and never
// guess at a value it cannot map (an old status missing from the maps is a malformed document).
package mongo
