package signer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"slices"
	"strconv"
	"strings"

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
// Amounts are decimal strings of the token's base units (wei for gas top-ups). The file fails
// closed: every limit must give both per_tx and per_day ("0" allows nothing), and a key the
// signer does not know (a misspelled "per_dya") refuses the file, naming it, rather than being
// read as "no limit".
type policyFile struct {
	Limits []struct {
		ChainID uint64          `json:"chain_id"`
		Token   common.Address  `json:"token"`
		PerTx   json.RawMessage `json:"per_tx"`
		PerDay  json.RawMessage `json:"per_day"`
	} `json:"limits"`
	FeeRecipients map[string][]common.Address `json:"fee_recipients"`
	GasTopups     []struct {
		ChainID      uint64           `json:"chain_id"`
		Destinations []common.Address `json:"destinations"`
		PerTx        json.RawMessage  `json:"per_tx"`
		PerDay       json.RawMessage  `json:"per_day"`
	} `json:"gas_topups"`
}

// policyKeys are the keys each object of the file may carry, by its place ("" is the top).
var policyKeys = map[string][]string{
	"":           {"limits", "fee_recipients", "gas_topups"},
	"limits":     {"chain_id", "token", "per_tx", "per_day"},
	"gas_topups": {"chain_id", "destinations", "per_tx", "per_day"},
}

// PolicyError names the key of a policy file that is missing, unknown or wrong.
type PolicyError struct {
	File string
	Key  string // e.g. limits[0].per_day
	What string
}

func (e *PolicyError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("policy %s: %s", e.File, e.What)
	}
	return fmt.Sprintf("policy %s: %s %s", e.File, e.Key, e.What)
}

// LoadPolicy reads a policy file. Any missing limit, unknown key or malformed value is a
// *PolicyError naming the key: the signer refuses to start rather than run with less policy than
// the file meant.
func LoadPolicy(path string) (Policy, error) {
	p := Policy{Limits: map[LimitKey]Limit{}, FeeRecipients: map[uint64][]common.Address{}, GasTopups: map[uint64]GasTopupPolicy{}}
	b, err := os.ReadFile(path)
	if err != nil {
		return p, fmt.Errorf("policy: %w", err)
	}
	fail := func(key, format string, a ...any) error {
		return &PolicyError{File: path, Key: key, What: fmt.Sprintf(format, a...)}
	}
	if err := checkPolicyKeys(b); err != nil {
		var pe *PolicyError
		if errors.As(err, &pe) {
			pe.File = path
		}
		return p, err
	}
	var f policyFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return p, fail("", "%v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return p, fail("", "more than one JSON value")
	}
	amount := func(raw json.RawMessage, key string) (*big.Int, error) {
		var s string
		if len(raw) == 0 || string(raw) == "null" {
			return nil, fail(key, `is missing (every limit needs per_tx and per_day; "0" allows nothing)`)
		}
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fail(key, `must be a string of base units, like "1000000", not %s`, raw)
		}
		v, ok := new(big.Int).SetString(s, 10)
		if s == "" || !ok || v.Sign() < 0 || strings.TrimLeft(s, "0123456789") != "" {
			return nil, fail(key, "%q is not a non-negative integer of base units", s)
		}
		return v, nil
	}
	for i, l := range f.Limits {
		at := fmt.Sprintf("limits[%d]", i)
		switch {
		case l.ChainID == 0:
			return p, fail(at+".chain_id", "is missing")
		case l.Token == (common.Address{}):
			return p, fail(at+".token", "is missing or the zero address")
		}
		var lim Limit
		if lim.PerTx, err = amount(l.PerTx, at+".per_tx"); err != nil {
			return p, err
		}
		if lim.PerDay, err = amount(l.PerDay, at+".per_day"); err != nil {
			return p, err
		}
		k := LimitKey{l.ChainID, l.Token}
		if _, dup := p.Limits[k]; dup {
			return p, fail(at, "repeats the limit of token %s on chain %d", l.Token.Hex(), l.ChainID)
		}
		p.Limits[k] = lim
	}
	for k, v := range f.FeeRecipients {
		id, err := strconv.ParseUint(k, 10, 64)
		if err != nil || id == 0 {
			return p, fail("fee_recipients", "key %q is not a chain id", k)
		}
		p.FeeRecipients[id] = v
	}
	for i, g := range f.GasTopups {
		at := fmt.Sprintf("gas_topups[%d]", i)
		switch {
		case g.ChainID == 0:
			return p, fail(at+".chain_id", "is missing")
		case len(g.Destinations) == 0:
			return p, fail(at+".destinations", "is missing or empty")
		case slices.Contains(g.Destinations, common.Address{}):
			return p, fail(at+".destinations", "lists the zero address")
		}
		if _, dup := p.GasTopups[g.ChainID]; dup {
			return p, fail(at, "repeats gas_topups for chain %d", g.ChainID)
		}
		gp := GasTopupPolicy{Destinations: g.Destinations}
		if gp.PerTx, err = amount(g.PerTx, at+".per_tx"); err != nil {
			return p, err
		}
		if gp.PerDay, err = amount(g.PerDay, at+".per_day"); err != nil {
			return p, err
		}
		p.GasTopups[g.ChainID] = gp
	}
	return p, nil
}

// checkPolicyKeys refuses a key the signer does not know, at any depth, naming where it is.
func checkPolicyKeys(b []byte) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return &PolicyError{What: fmt.Sprintf("not a JSON object: %v", err)}
	}
	if err := knownKeys(top, "", policyKeys[""]); err != nil {
		return err
	}
	for _, list := range []string{"limits", "gas_topups"} {
		raw, ok := top[list]
		if !ok || string(raw) == "null" {
			continue
		}
		var entries []map[string]json.RawMessage
		if err := json.Unmarshal(raw, &entries); err != nil {
			return &PolicyError{Key: list, What: "must be a list of objects"}
		}
		for i, e := range entries {
			if err := knownKeys(e, fmt.Sprintf("%s[%d].", list, i), policyKeys[list]); err != nil {
				return err
			}
		}
	}
	return nil
}

func knownKeys(obj map[string]json.RawMessage, prefix string, known []string) error {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys) // name the same key every time
	for _, k := range keys {
		if !slices.Contains(known, k) {
			return &PolicyError{Key: prefix + k, What: fmt.Sprintf("is not a policy key (known here: %s)", strings.Join(known, ", "))}
		}
	}
	return nil
}

// Validate refuses a policy built in code with a limit missing (a nil per_tx or per_day would
// otherwise read as "no limit").
func (p Policy) Validate() error {
	for k, l := range p.Limits {
		if l.PerTx == nil || l.PerDay == nil || l.PerTx.Sign() < 0 || l.PerDay.Sign() < 0 {
			return fmt.Errorf("signer: policy limit of token %s on chain %d needs per_tx and per_day", k.Token.Hex(), k.ChainID)
		}
	}
	for id, g := range p.GasTopups {
		if g.PerTx == nil || g.PerDay == nil || g.PerTx.Sign() < 0 || g.PerDay.Sign() < 0 || len(g.Destinations) == 0 {
			return fmt.Errorf("signer: policy gas_topups of chain %d needs destinations, per_tx and per_day", id)
		}
	}
	return nil
}
