package signer

import "github.com/amanat/amn/db"

// numeric scans a NUMERIC into a *big.Int (never NULL here).
type numeric = db.Amount
