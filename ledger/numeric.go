package ledger

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/jackc/pgx/v5/pgtype"
)

// bigNum scans a NUMERIC(78,0) into a *big.Int; amounts never pass through a float or a string.
type bigNum struct{ v *big.Int }

func (b *bigNum) ScanNumeric(n pgtype.Numeric) error {
	v, err := numericToBig(n)
	b.v = v
	return err
}

func numericToBig(n pgtype.Numeric) (*big.Int, error) {
	if !n.Valid {
		return nil, errors.New("ledger: NULL amount")
	}
	if n.NaN || n.InfinityModifier != pgtype.Finite {
		return nil, errors.New("ledger: amount is not a finite number")
	}
	v := new(big.Int).Set(n.Int)
	switch {
	case n.Exp > 0:
		v.Mul(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n.Exp)), nil))
	case n.Exp < 0:
		var rem big.Int
		v.QuoRem(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-n.Exp)), nil), &rem)
		if rem.Sign() != 0 {
			return nil, fmt.Errorf("ledger: amount %se%d is not an integer", n.Int, n.Exp)
		}
	}
	return v, nil
}

func bigToNumeric(v *big.Int) pgtype.Numeric { return pgtype.Numeric{Int: v, Valid: true} }
