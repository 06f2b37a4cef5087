package signer

import (
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
)

// policyFile is the JSON form of a Policy:
//
//	{"limits": [{"chain_id": 56, "token": "0x55d3…", "per_tx": "10000000000000000000000",
//	             "per_day": "100000000000000000000000"}],
//	 "fee_recipients": {"56": ["0x…"]},
//	 "gas_topups": [{"chain_id": 56, "destinations": ["0x…"], "per_tx": "50000000000000000",
//	                 "per_day": "200000000000000000"}]}
//
// Amounts are decimal strings of the token's base units (wei for gas top-ups).
type policyFile struct {
	Limits []struct {
		ChainID uint64         `json:"chain_id"`
		Token   common.Address `json:"token"`
		PerTx   string         `json:"per_tx"`
		PerDay  string         `json:"per_day"`
	} `json:"limits"`
	FeeRecipients map[string][]common.Address `json:"fee_recipients"`
	GasTopups     []struct {
		ChainID      uint64           `json:"chain_id"`
		Destinations []common.Address `json:"destinations"`
		PerTx        string           `json:"per_tx"`
		PerDay       string           `json:"per_day"`
	} `json:"gas_topups"`
}

// LoadPolicy reads a policy file.
func LoadPolicy(path string) (Policy, error) {
	p := Policy{Limits: map[LimitKey]Limit{}, FeeRecipients: map[uint64][]common.Address{}, GasTopups: map[uint64]GasTopupPolicy{}}
	b, err := os.ReadFile(path)
	if err != nil {
		return p, fmt.Errorf("policy: %w", err)
	}
	var f policyFile
	if err := json.Unmarshal(b, &f); err != nil {
		return p, fmt.Errorf("policy %s: %w", path, err)
	}
	amount := func(s, what string) (*big.Int, error) {
		if s == "" {
			return nil, nil
		}
		v, ok := new(big.Int).SetString(s, 10)
		if !ok || v.Sign() < 0 {
			return nil, fmt.Errorf("policy %s: %s %q is not a non-negative integer of base units", path, what, s)
		}
		return v, nil
	}
	for i, l := range f.Limits {
		if l.ChainID == 0 || l.Token == (common.Address{}) {
			return p, fmt.Errorf("policy %s: limit %d needs chain_id and token", path, i)
		}
		var lim Limit
		if lim.PerTx, err = amount(l.PerTx, "per_tx"); err != nil {
			return p, err
		}
		if lim.PerDay, err = amount(l.PerDay, "per_day"); err != nil {
			return p, err
		}
		p.Limits[LimitKey{l.ChainID, l.Token}] = lim
	}
	for k, v := range f.FeeRecipients {
		id, err := strconv.ParseUint(k, 10, 64)
		if err != nil {
			return p, fmt.Errorf("policy %s: fee_recipients key %q is not a chain id", path, k)
		}
		p.FeeRecipients[id] = v
	}
	for i, g := range f.GasTopups {
		if g.ChainID == 0 || len(g.Destinations) == 0 || g.PerTx == "" || g.PerDay == "" {
			return p, fmt.Errorf("policy %s: gas_topups %d needs chain_id, destinations, per_tx and per_day", path, i)
		}
		if _, dup := p.GasTopups[g.ChainID]; dup {
			return p, fmt.Errorf("policy %s: gas_topups for chain %d given twice", path, g.ChainID)
		}
		gp := GasTopupPolicy{Destinations: g.Destinations}
		for _, d := range g.Destinations {
			if d == (common.Address{}) {
				return p, fmt.Errorf("policy %s: gas_topups %d: the zero address is not a destination", path, i)
			}
		}
		if gp.PerTx, err = amount(g.PerTx, "gas_topups per_tx"); err != nil {
			return p, err
		}
		if gp.PerDay, err = amount(g.PerDay, "gas_topups per_day"); err != nil {
			return p, err
		}
		p.GasTopups[g.ChainID] = gp
	}
	return p, nil
}
