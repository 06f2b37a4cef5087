package ledger

import (
	"context"
	"encoding/hex"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

// TestWriteOnlyFromTheStateRead: each write statement (singleSQL, writeSQL, and writeSQL after
// COPY) changes an account only if its entry_seq is still the one the batch started from, and
// otherwise fails as a whole, so that nothing of the batch is written. The one-round-trip path
// relies on this to turn a stale remembered state into a conflict rather than a lost update.
func TestWriteOnlyFromTheStateRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.Pool(t)
	l := New(pool)
	id := NewID()
	name := "s" + hex.EncodeToString(id[:6]) + ":USDT"
	a, c := NewID(), NewID()
	if _, err := l.CreateAccounts(ctx, Account{ID: a, Ledger: name, Code: CodeEscrow},
		Account{ID: c, Ledger: name, Code: CodeEscrow}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Transfer(ctx, Transfer{ID: NewID(), DebitAccountID: a, CreditAccountID: c, Amount: big.NewInt(5), Code: 1}); err != nil {
		t.Fatal(err)
	}
	before, err := l.Accounts(ctx, a, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{1, 2, copyThreshold} {
		e := newEngine(l.clock())
		if !l.cache.fill(e, []ID{a, c}) {
			t.Fatal("a and c are not remembered after a transfer between them")
		}
		// Pretend that a was read at an entry_seq it does not have (its entries then get numbers
		// no entry has yet, so only the account update can stop the write).
		e.accounts[a].seq += 1000
		e.accounts[a].seq0 += 1000
		ts := make([]Transfer, size)
		for i := range ts {
			ts[i] = Transfer{ID: NewID(), DebitAccountID: a, CreditAccountID: c, Amount: big.NewInt(1), Code: 1}
		}
		if _, err := e.run(ts, true); err != nil {
			t.Fatal(err)
		}
		if got := e.single(); got != (size == 1) {
			t.Fatalf("%d transfers: single() = %v", size, got)
		}
		err := onConn(ctx, l.pool, func(q querier) error { return e.store(ctx, q, true, true) })
		if !db.Retryable(err) {
			t.Fatalf("%d transfers from a state the row no longer has: %v, want a serialization failure", size, err)
		}
		for _, tr := range ts {
			if _, err := l.LookupTransfer(ctx, tr.ID); !errors.Is(err, ErrTransferNotFound) {
				t.Fatalf("%d transfers: transfer %s was written: %v", size, tr.ID, err)
			}
		}
		after, err := l.Accounts(ctx, a, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []ID{a, c} {
			if after[id].DebitsPosted.Cmp(before[id].DebitsPosted) != 0 || after[id].CreditsPosted.Cmp(before[id].CreditsPosted) != 0 {
				t.Fatalf("%d transfers: account %s moved: %+v → %+v", size, id, before[id], after[id])
			}
		}
	}
}

// TestAppendNumeric: the COPY encoder's NUMERIC is the number, as pgx reads it back, on the fast
// path and the slow one.
func TestAppendNumeric(t *testing.T) {
	pow := func(b, e int64) *big.Int { return new(big.Int).Exp(big.NewInt(b), big.NewInt(e), nil) }
	minus1 := func(x *big.Int) *big.Int { return x.Sub(x, big.NewInt(1)) }
	values := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(9999), big.NewInt(10000), big.NewInt(10001),
		big.NewInt(-1), pow(10, 30), new(big.Int).Neg(pow(10, 30)), minus1(pow(2, 64)), pow(2, 64), minus1(pow(2, 256)),
		minus1(pow(10, 78)), pow(10, 96), pow(2, 400)}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		b := make([]byte, 1+rng.IntN(40))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		v := new(big.Int).SetBytes(b)
		if rng.IntN(4) == 0 {
			v.Neg(v)
		}
		values = append(values, v)
	}
	m := pgtype.NewMap()
	for _, v := range values {
		for name, enc := range map[string]func([]byte, *big.Int) []byte{"fast": appendNumeric, "slow": appendNumericSlow} {
			var n pgtype.Numeric
			if err := m.Scan(pgtype.NumericOID, pgtype.BinaryFormatCode, enc(nil, v), &n); err != nil {
				t.Fatalf("%s %s: %v", name, v, err)
			}
			got, err := db.BigFromNumeric(n)
			if err != nil || got.Cmp(v) != 0 {
				t.Fatalf("%s: encoded %s, read back %s (%v)", name, v, got, err)
			}
		}
	}
}
