package db

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/jackc/pgx/v5/pgtype"
)

// Amount scans a NUMERIC(78,0) column into a *big.Int without passing through a float or a
// string: token amounts are integers of up to 78 digits.
type Amount struct{ V *big.Int }

// ScanNumeric implements pgtype.NumericScanner.
func (a *Amount) ScanNumeric(n pgtype.Numeric) error {
	v, err := BigFromNumeric(n)
	a.V = v
	return err
}

// BigFromNumeric converts a NUMERIC to an integer, refusing NULL, NaN, infinities and fractions.
func BigFromNumeric(n pgtype.Numeric) (*big.Int, error) {
	if !n.Valid {
		return nil, errors.New("NULL amount")
	}
	if n.NaN || n.InfinityModifier != pgtype.Finite {
		return nil, errors.New("amount is not a finite number")
	}
	v := new(big.Int).Set(n.Int)
	switch {
	case n.Exp > 0:
		v.Mul(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n.Exp)), nil))
	case n.Exp < 0:
		var rem big.Int
		v.QuoRem(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-n.Exp)), nil), &rem)
		if rem.Sign() != 0 {
			return nil, fmt.Errorf("amount %se%d is not an integer", n.Int, n.Exp)
		}
	}
	return v, nil
}

// Numeric encodes an integer amount as a NUMERIC query argument.
func Numeric(v *big.Int) pgtype.Numeric { return pgtype.Numeric{Int: v, Valid: true} }
