package ledger_test

import (
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/amanat/amn/ledger"
)

// benchAccounts creates count funded accounts in a fresh ledger.
func benchAccounts(b *testing.B, count int) (*books, []ledger.ID) {
	bk := newBooks(b)
	ids := make([]ledger.ID, count)
	as := make([]ledger.Account, count)
	ts := make([]ledger.Transfer, count)
	for i := range ids {
		ids[i] = ledger.DeriveID(bk.name + "/" + strconv.Itoa(i))
		as[i] = ledger.Account{ID: ids[i], Ledger: bk.name, Code: ledger.CodeSellerPayable, Flags: ledger.DebitsMustNotExceedCredits}
		ts[i] = ledger.Transfer{ID: ledger.NewID(), DebitAccountID: bk.world, CreditAccountID: ids[i], Code: 1,
			Amount: new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil)}
	}
	if _, err := bk.l.CreateAccounts(bk.ctx, as...); err != nil {
		b.Fatal(err)
	}
	bk.mustTransfer(ts...)
	return bk, ids
}

func randomTransfer(rng *rand.Rand, ids []ledger.ID) ledger.Transfer {
	dr, cr := pair(rng, len(ids))
	return xfer(ids[dr], ids[cr], 1+rng.Int64N(1000))
}

// BenchmarkTransfer records single transfers from parallel callers over 1,000 accounts.
// bench/ledger measures the same with the knobs (workers, duration) and its own database.
func BenchmarkTransfer(b *testing.B) {
	bk, ids := benchAccounts(b, 1000)
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		rng := rand.New(rand.NewPCG(rand.Uint64(), 1))
		for pb.Next() {
			if _, err := bk.l.Transfer(bk.ctx, randomTransfer(rng, ids)); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "transfers/s")
}

// BenchmarkBatch1000 records batches of 1,000 unlinked transfers over 1,000 accounts.
func BenchmarkBatch1000(b *testing.B) {
	bk, ids := benchAccounts(b, 1000)
	rng := rand.New(rand.NewPCG(1, 2))
	batch := make([]ledger.Transfer, 1000)
	b.ResetTimer()
	for b.Loop() {
		for i := range batch {
			batch[i] = randomTransfer(rng, ids)
		}
		res, err := bk.l.CreateTransfers(bk.ctx, batch)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "transfers/s")
}
