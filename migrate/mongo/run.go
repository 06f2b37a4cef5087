package mongo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/amanat/amn/blog"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/points"
)

// DefaultBatch is how many documents one transaction writes.
const DefaultBatch = 500

// Options are a run's settings.
type Options struct {
	// DryRun writes every batch and rolls it back: the report says what would change.
	DryRun bool
	// Since imports only documents whose updatedAt is after it (or that have none): the cut-over's
	// delta. Its checkpoints are its own (a full run's are not resumed by a delta, nor the reverse).
	Since *time.Time
	// Batch is how many documents one transaction writes (0: DefaultBatch).
	Batch int
	// Progress hears each collection's counts after each batch and at its end.
	Progress func(Counts)
	// AfterDocument, if set, is called after each document a run handles (tests stop a run there).
	AfterDocument func(collection string, n int64)
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Importer reads one source database into the target.
type Importer struct {
	pool   *pgxpool.Pool
	src    *mongo.Database
	opts   Options
	points *points.Service
	blog   *blog.Service
	// dry is a dry run's one transaction: every batch is a savepoint of it (so later collections
	// see what earlier ones would have written), and it is rolled back at the end.
	dry pgx.Tx
	// last is when the document being written was last imported (nil: never), while it is
	// converted and written: a row changed here since is left alone (the Import* entry points'
	// LastImported).
	last *time.Time
}

// ErrInvalid: the run's settings are wrong.
var ErrInvalid = kind.New(kind.Invalid, "invalid import settings")

// New returns an importer from src into the database of pool (`amn import mongo` opens it as
// amn_import, which may write what the packages' Import* entry points write and nothing else).
func New(pool *pgxpool.Pool, src *mongo.Database, opts Options) (*Importer, error) {
	if opts.Batch < 0 || opts.Batch > 10_000 {
		return nil, fmt.Errorf("%w: batch %d is not 1 to 10000", ErrInvalid, opts.Batch)
	}
	if opts.Batch == 0 {
		opts.Batch = DefaultBatch
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	pts, err := points.New(pool, points.DefaultConfig())
	if err != nil {
		return nil, err
	}
	bl, err := blog.New(pool, nil, blog.DefaultConfig())
	if err != nil {
		return nil, err
	}
	return &Importer{pool: pool, src: src, opts: opts, points: pts, blog: bl}, nil
}

func (im *Importer) now() time.Time { return im.opts.Now().UTC().Truncate(time.Microsecond) }

func (im *Importer) scope() string {
	if im.opts.Since == nil {
		return "full"
	}
	return "since " + im.opts.Since.UTC().Format(time.RFC3339Nano)
}

// Run imports every collection in order and then (unless dry) verifies the target against the
// source. An error is a run that stopped (the source or the target failed, or ctx ended): what
// it committed stays, and the next run of the same scope resumes after it.
func (im *Importer) Run(ctx context.Context) (*Report, error) {
	rep := &Report{DryRun: im.opts.DryRun, Since: im.opts.Since, Started: im.now(),
		Problems: []Problem{}, Notes: []Problem{}, OpenPayments: []OpenPayment{}, OpenDisputes: []OpenDispute{}, NotImported: []string{}}
	res := &resolver{pool: im.pool, known: map[string]bool{}}
	if im.opts.DryRun {
		tx, err := im.pool.Begin(ctx)
		if err != nil {
			return rep, err
		}
		im.dry = tx
		defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)); im.dry = nil }()
	}
	for _, c := range collections {
		counts, err := im.importCollection(ctx, c, res, rep)
		rep.Collections = append(rep.Collections, counts)
		if err != nil {
			return rep, fmt.Errorf("import: %s: %w", c.name, err)
		}
	}
	if !im.opts.DryRun {
		// Every collection read to its end: the next run of this scope starts from the beginning.
		if _, err := im.pool.Exec(ctx, clearCheckpointsSQL, im.scope()); err != nil {
			return rep, fmt.Errorf("import: %w", err)
		}
		if err := im.verify(ctx, res, rep); err != nil {
			return rep, fmt.Errorf("import: verify: %w", err)
		}
	}
	rep.Finished = im.now()
	return rep, nil
}

// importCollection reads one collection in _id order from its checkpoint, in batches.
func (im *Importer) importCollection(ctx context.Context, c collection, res *resolver, rep *Report) (Counts, error) {
	counts := Counts{Collection: c.name}
	started := time.Now()
	last := ""
	if !im.opts.DryRun {
		var finished bool
		err := im.pool.QueryRow(ctx, checkpointSQL, c.name, im.scope()).Scan(&last, &finished)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			last = ""
		case err != nil:
			return counts, err
		case finished:
			// Finished by a run that stopped in a later collection: this run resumes that one.
			counts.Done = true
			return counts, nil
		}
	}
	filter := bson.D{}
	if last != "" {
		oid, err := bson.ObjectIDFromHex(last)
		if err != nil {
			return counts, err
		}
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$gt", Value: oid}}})
	}
	if im.opts.Since != nil {
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "updatedAt", Value: bson.D{{Key: "$gt", Value: *im.opts.Since}}}},
			bson.D{{Key: "updatedAt", Value: bson.D{{Key: "$exists", Value: false}}}},
		}})
	}
	cur, err := im.src.Collection(c.name).Find(ctx, filter,
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetBatchSize(int32(im.opts.Batch)))
	if err != nil {
		return counts, err
	}
	defer cur.Close(context.WithoutCancel(ctx))
	progress := func(done bool) {
		counts.Done = done
		if s := time.Since(started).Seconds(); s > 0 {
			counts.Rate = float64(counts.Read) / s
		}
		if im.opts.Progress != nil {
			im.opts.Progress(counts)
		}
	}
	batch := make([]bson.Raw, 0, im.opts.Batch)
	for cur.Next(ctx) {
		batch = append(batch, bytes.Clone(cur.Current))
		if len(batch) == im.opts.Batch {
			if err := im.writeBatch(ctx, c, batch, res, rep, &counts, false); err != nil {
				return counts, err
			}
			batch = batch[:0]
			progress(false)
		}
	}
	if err := cur.Err(); err != nil {
		return counts, err
	}
	if err := im.writeBatch(ctx, c, batch, res, rep, &counts, true); err != nil {
		return counts, err
	}
	progress(true)
	return counts, nil
}

// writeBatch writes a batch in one transaction, each document in a savepoint of its own, and
// moves the collection's checkpoint in the same transaction (finished: this is the last batch).
func (im *Importer) writeBatch(ctx context.Context, c collection, batch []bson.Raw, res *resolver, rep *Report, counts *Counts, finished bool) error {
	begin := im.pool.Begin
	if im.dry != nil {
		begin = im.dry.Begin
	}
	tx, err := begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // after Commit it does nothing
	prev, err := im.digests(ctx, tx, c.name, batch)
	if err != nil {
		return err
	}
	last := ""
	for _, raw := range batch {
		counts.Read++
		oid, ok := raw.Lookup("_id").ObjectIDOK()
		if !ok {
			rep.problem(c.name, raw.Lookup("_id").String(), "_id is not an ObjectId")
			counts.Skipped++
			continue
		}
		last = oid.Hex()
		sum := sha256.Sum256(raw)
		p, ok := prev[oid.Hex()]
		if ok && bytes.Equal(p.digest, sum[:]) {
			counts.Unchanged++
			res.mark(c.name, oid)
			im.afterDocument(c.name, counts.Read)
			continue
		}
		im.last = nil
		if ok {
			im.last = &p.at
		}
		created, note, err := im.writeDocument(ctx, tx, c, oid, raw, sum[:], res)
		im.last = nil
		if ctx.Err() != nil {
			return ctx.Err()
		}
		switch {
		case err != nil:
			rep.problem(c.name, oid.Hex(), err.Error())
			counts.Skipped++
		case created:
			counts.Created++
		default:
			counts.Updated++
		}
		if err == nil {
			res.mark(c.name, oid)
			if note != "" {
				rep.Notes = append(rep.Notes, Problem{Collection: c.name, ID: oid.Hex(), Reason: note})
			}
		}
		im.afterDocument(c.name, counts.Read)
	}
	if im.opts.DryRun {
		return tx.Commit(ctx) // releases the savepoint: the run's transaction is rolled back at its end
	}
	if last != "" || finished {
		if last == "" {
			last = im.lastCheckpoint(ctx, tx, c.name)
		}
		if _, err := tx.Exec(ctx, saveCheckpointSQL, c.name, im.scope(), last, finished, im.now()); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

func (im *Importer) lastCheckpoint(ctx context.Context, tx pgx.Tx, coll string) string {
	var last string
	var finished bool
	_ = tx.QueryRow(ctx, checkpointSQL, coll, im.scope()).Scan(&last, &finished)
	return last
}

func (im *Importer) afterDocument(coll string, n int64) {
	if im.opts.AfterDocument != nil {
		im.opts.AfterDocument(coll, n)
	}
}

// writeDocument converts one document and writes it in a savepoint: all of it or none.
func (im *Importer) writeDocument(ctx context.Context, tx pgx.Tx, c collection, oid bson.ObjectID, raw bson.Raw, digest []byte, res *resolver) (bool, string, error) {
	f := &fields{raw: raw}
	res.ctx = ctx
	it, err := c.convert(im, oid, f, res)
	if err != nil {
		return false, "", err
	}
	sp, err := tx.Begin(ctx)
	if err != nil {
		return false, "", err
	}
	var created bool
	err = it.write(ctx, sp)
	if err == nil {
		sourceAt := orTime(f.time("updatedAt", false), f.time("createdAt", false))
		var at *time.Time
		if !sourceAt.IsZero() {
			at = &sourceAt
		}
		err = sp.QueryRow(ctx, mapSQL, c.name, oid.Hex(), it.newID, digest, at, im.now()).Scan(&created)
	}
	if err != nil {
		_ = sp.Rollback(context.WithoutCancel(ctx))
		return false, "", err
	}
	return created, it.note, sp.Commit(ctx)
}

// imported is a document's last import: its digest then, and when.
type imported struct {
	digest []byte
	at     time.Time
}

// digests reads what the batch's documents looked like at their last import.
func (im *Importer) digests(ctx context.Context, tx pgx.Tx, coll string, batch []bson.Raw) (map[string]imported, error) {
	ids := make([]string, 0, len(batch))
	for _, raw := range batch {
		if oid, ok := raw.Lookup("_id").ObjectIDOK(); ok {
			ids = append(ids, oid.Hex())
		}
	}
	out := map[string]imported{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, digestsSQL, coll, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var d imported
		if err := rows.Scan(&id, &d.digest, &d.at); err != nil {
			return nil, err
		}
		out[id] = d
	}
	return out, rows.Err()
}

func (r *Report) problem(coll, id, reason string) {
	for _, p := range r.Problems {
		if p.Collection == coll && p.ID == id {
			return
		}
	}
	r.Problems = append(r.Problems, Problem{Collection: coll, ID: id, Reason: reason})
}

// resolver finds the documents references point to: imported before (import_mongo_ids) or in
// this run (a dry run's are known only here).
type resolver struct {
	ctx   context.Context
	pool  *pgxpool.Pool
	known map[string]bool
}

func (r *resolver) mark(coll string, oid bson.ObjectID) { r.known[coll+"/"+oid.Hex()] = true }

// ref is the id here of the document of coll that field points to; one not imported is the
// document's reason to be skipped (a dangling reference).
func (r *resolver) ref(f *fields, field, coll string, oid bson.ObjectID) uuid.UUID {
	key := coll + "/" + oid.Hex()
	if !r.known[key] {
		var ok bool
		if r.pool == nil {
			f.fail("dangling reference %s: %s %s is not imported", field, coll, oid.Hex())
		} else if err := r.pool.QueryRow(r.ctx, knownSQL, coll, oid.Hex()).Scan(&ok); err != nil {
			f.fail("resolving %s: %v", field, err)
		} else if !ok {
			f.fail("dangling reference %s: %s %s is not imported", field, coll, oid.Hex())
		} else {
			r.known[key] = true
		}
	}
	return NewID(coll, oid)
}

// verify reads every source document again, converts it (without writing) and compares what
// converts (count and sum) with what the target holds of it. Documents that do not convert are
// the report's problems and explain the difference; any other difference fails the check.
func (im *Importer) verify(ctx context.Context, res *resolver, rep *Report) error {
	res.ctx = ctx
	rep.Verified = true
	for _, c := range collections {
		ch := Check{Collection: c.name, SumName: c.sumName, sourceSumInt: new(big.Int)}
		var ids []uuid.UUID
		cur, err := im.src.Collection(c.name).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			return err
		}
		// Each document that converts must be in the target as it is now: its digest recorded by
		// the write that imported it. One whose last write failed (its old row stays, so the
		// counts match) or that was never written is stale.
		pending := map[string][sha256.Size]byte{}
		flush := func() error {
			if len(pending) == 0 {
				return nil
			}
			stale, err := im.staleDigests(ctx, c.name, pending)
			clear(pending)
			for _, id := range stale {
				ch.Stale++
				if len(ch.StaleIDs) < maxStaleIDs {
					ch.StaleIDs = append(ch.StaleIDs, id)
				}
			}
			return err
		}
		for cur.Next(ctx) {
			ch.SourceTotal++
			raw := cur.Current
			oid, ok := raw.Lookup("_id").ObjectIDOK()
			if !ok {
				ch.Malformed++
				rep.problem(c.name, raw.Lookup("_id").String(), "_id is not an ObjectId")
				continue
			}
			it, err := c.convert(im, oid, &fields{raw: raw}, res)
			if err != nil {
				ch.Malformed++
				rep.problem(c.name, oid.Hex(), err.Error())
				continue
			}
			ids = append(ids, it.newID)
			pending[oid.Hex()] = sha256.Sum256(raw)
			if len(pending) == verifyDigestBatch {
				if err := flush(); err != nil {
					cur.Close(context.WithoutCancel(ctx))
					return err
				}
			}
			if it.sum != nil {
				ch.sourceSumInt.Add(ch.sourceSumInt, it.sum)
			}
			if it.open != nil {
				rep.OpenPayments = append(rep.OpenPayments, *it.open)
			}
			if it.openDispute != nil {
				rep.OpenDisputes = append(rep.OpenDisputes, *it.openDispute)
			}
		}
		err = cur.Err()
		cur.Close(context.WithoutCancel(ctx))
		if err == nil {
			err = flush()
		}
		if err != nil {
			return err
		}
		ch.SourceCount = int64(len(ids))
		var targetSum *big.Int
		err = pgx.BeginTxFunc(ctx, im.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
			var err error
			ch.TargetCount, targetSum, err = c.totals(ctx, im, tx, ids)
			return err
		})
		if err != nil {
			return err
		}
		ch.OK = ch.TargetCount == ch.SourceCount && ch.Stale == 0
		if c.sumName != "" {
			ch.SourceSum, ch.TargetSum = ch.sourceSumInt.String(), targetSum.String()
			ch.OK = ch.OK && ch.sourceSumInt.Cmp(targetSum) == 0
		}
		rep.Verified = rep.Verified && ch.OK
		rep.Checks = append(rep.Checks, ch)
	}
	return nil
}

// Verification reads the digests of this many documents at a time, and lists at most
// maxStaleIDs stale documents per collection (Check.Stale counts them all).
const (
	verifyDigestBatch = 1000
	maxStaleIDs       = 20
)

// staleDigests lists, in _id order, the documents of want (old id → digest of the document now)
// whose recorded digest is missing or different.
func (im *Importer) staleDigests(ctx context.Context, coll string, want map[string][sha256.Size]byte) ([]string, error) {
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	rows, err := im.pool.Query(ctx, digestsSQL, coll, ids)
	if err != nil {
		return nil, err
	}
	have := map[string][]byte{}
	for rows.Next() {
		var id string
		var d []byte
		var at time.Time
		if err := rows.Scan(&id, &d, &at); err != nil {
			rows.Close()
			return nil, err
		}
		have[id] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var stale []string
	for id, sum := range want {
		if d, ok := have[id]; !ok || !bytes.Equal(d, sum[:]) {
			stale = append(stale, id)
		}
	}
	slices.Sort(stale)
	return stale, nil
}
