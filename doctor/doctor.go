// Package doctor checks that a deployment can work before (or while) it runs: the settings, the
// database (reachable, migrated, every role granted exactly what docs/security.md says), Redis,
// every RPC endpoint of every chain (chain id, the finalized tag, eth_getLogs), the account xpub
// against the deposit addresses already handed out, and the signer's heartbeat. Each check gives
// one Result: what it found and, when something is wrong, the fix.
//
// It only reads: it never migrates, grants, writes a row or sends a transaction, so it is safe
// against production. It never prints a secret: URLs are masked in every detail.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/ops"
	"github.com/amanat/amn/payment"
)

// Status is a check's verdict. Only Fail makes `amn doctor` exit non-zero.
type Status int

const (
	OK   Status = iota
	Warn        // works, but something an operator should know (no signer has run yet)
	Fail        // this will not work: Result.Fix says what to do
)

func (s Status) String() string {
	switch s {
	case OK:
		return "ok"
	case Warn:
		return "warn"
	}
	return "FAIL"
}

// Result is one check's outcome.
type Result struct {
	Name   string `json:"name"` // "postgres", "grants amn_api", "rpc bsc http://node:8545", …
	Status Status `json:"status"`
	Detail string `json:"detail"`        // what was found (URLs masked)
	Fix    string `json:"fix,omitempty"` // what to do, for Warn and Fail
}

// Config is what to check. Chains are checked endpoint by endpoint.
type Config struct {
	DatabaseURL string
	RedisURL    string // empty: not checked
	Chains      []chain.Config
	Xpub        string // the account xpub the API derives deposit addresses from; empty: not checked
	// SignerRoles are the heartbeat roles that run a signer; nil means "signer" and "dev" (amn
	// dev runs one in its process).
	SignerRoles  []string
	SignerMaxAge time.Duration // a heartbeat older than this is stale; 0 means one minute
	Timeout      time.Duration // for each check; 0 means 10 s
	LogRange     uint64        // blocks of the eth_getLogs probe; 0 means 10
}

func (c *Config) defaults() {
	if c.SignerRoles == nil {
		c.SignerRoles = []string{"signer", "dev"}
	}
	if c.SignerMaxAge == 0 {
		c.SignerMaxAge = time.Minute
	}
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Second
	}
	if c.LogRange == 0 {
		c.LogRange = 10
	}
}

// Failed counts the results that failed.
func Failed(rs []Result) int {
	n := 0
	for _, r := range rs {
		if r.Status == Fail {
			n++
		}
	}
	return n
}

// Run runs every check, in a fixed order: configuration, the database and what depends on it,
// Redis, then each chain's endpoints. A database that cannot be reached fails once; the checks
// that need it are not run.
func Run(ctx context.Context, c Config) []Result {
	c.defaults()
	out := []Result{checkConfig(c)}
	out = append(out, checkDatabase(ctx, c)...)
	if c.RedisURL != "" {
		out = append(out, checkRedis(ctx, c))
	}
	for _, ch := range c.Chains {
		for _, url := range ch.Endpoints {
			out = append(out, checkEndpoint(ctx, c, ch, url))
		}
	}
	return out
}

func ok(name, detail string) Result { return Result{Name: name, Status: OK, Detail: detail} }

func failed(name, detail, fix string) Result {
	return Result{Name: name, Status: Fail, Detail: ops.MaskURLs(detail), Fix: fix}
}

func checkConfig(c Config) Result {
	const name = "config"
	if err := config.ValidateDatabaseURL("database-url", c.DatabaseURL); err != nil {
		return failed(name, err.Error(), "set --database-url (AMN_DATABASE_URL) to the owner's postgres:// URL")
	}
	if c.RedisURL != "" {
		if err := config.ValidateRedisURL("redis-url", c.RedisURL); err != nil {
			return failed(name, err.Error(), "fix --redis-url (AMN_REDIS_URL): redis://host:6379/0")
		}
	}
	var keys []string
	for _, ch := range c.Chains {
		if err := ch.Validate(); err != nil {
			return failed(name, err.Error(), "fix the chain config file (--chain-config; docs/indexer.md)")
		}
		if len(ch.Endpoints) == 0 {
			return failed(name, fmt.Sprintf("chain %s has no RPC endpoint", ch.Key),
				"add endpoints for it to the chain config file (--chain-config), or leave it out of --chains")
		}
		keys = append(keys, ch.Key)
	}
	if len(keys) == 0 {
		return Result{Name: name, Status: Warn, Detail: "no chain has an RPC endpoint: no chain checked",
			Fix: "give --chain-config with each chain's endpoints (docs/indexer.md)"}
	}
	return ok(name, "settings valid; chains "+strings.Join(keys, ", "))
}

// checkDatabase: reachable, migrated, the roles' grants, then what reads the tables.
func checkDatabase(ctx context.Context, c Config) []Result {
	if config.ValidateDatabaseURL("database-url", c.DatabaseURL) != nil {
		return nil // the config check said so
	}
	cctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	pool, err := db.Open(cctx, c.DatabaseURL)
	if err != nil {
		return []Result{failed("postgres", err.Error(),
			"check --database-url (AMN_DATABASE_URL), that the server runs and that it accepts this login from this host")}
	}
	defer pool.Close()
	out := []Result{ok("postgres", "reachable at "+db.Redact(c.DatabaseURL))}
	migrated := checkMigrations(cctx, pool)
	out = append(out, migrated)
	for _, role := range db.Roles {
		out = append(out, checkGrants(cctx, pool, role))
	}
	if migrated.Status != OK {
		return out // the tables below may not be there yet
	}
	if c.Xpub != "" {
		out = append(out, checkXpub(cctx, pool, c.Xpub))
	}
	return append(out, checkSigner(cctx, pool, c))
}

func checkMigrations(ctx context.Context, pool *pgxpool.Pool) Result {
	const name = "migrations"
	m, err := db.NewMigrator(pool)
	if err != nil {
		return failed(name, err.Error(), "")
	}
	st, err := m.Status(ctx)
	if err != nil {
		return failed(name, "reading the applied migrations: "+err.Error(), "run `amn migrate status` with the owner's login")
	}
	pending := 0
	for _, s := range st {
		if !s.Applied {
			pending++
		}
	}
	if pending > 0 {
		return failed(name, fmt.Sprintf("%d of %d migrations pending", pending, len(st)),
			"run `amn migrate up` with the owner's login (the same binary version as the processes)")
	}
	return ok(name, fmt.Sprintf("all %d applied", len(st)))
}

func checkGrants(ctx context.Context, pool *pgxpool.Pool, role string) Result {
	name := "grants " + role
	err := db.VerifyGrants(ctx, pool, role)
	var ge *db.GrantsError
	switch {
	case err == nil:
		return ok(name, "exactly what docs/security.md grants")
	case errors.As(err, &ge):
		var fix []string
		if len(ge.Missing) > 0 {
			fix = append(fix, "run `amn migrate up` (a migration grants what is missing)")
		}
		if len(ge.Extra) > 0 {
			fix = append(fix, fmt.Sprintf("REVOKE from %s what is beyond its grants (docs/security.md), or find who granted it", role))
		}
		return failed(name, ge.Error(), strings.Join(fix, "; "))
	}
	return failed(name, err.Error(), "run `amn migrate up` (it creates the roles)")
}

// checkXpub parses the account xpub and derives the first deposit addresses the payments table
// holds: a different xpub hands out addresses whose keys the signer does not have.
func checkXpub(ctx context.Context, pool *pgxpool.Pool, xpub string) Result {
	const name = "xpub"
	d, err := hd.ParseXpub(xpub)
	if err != nil {
		return failed(name, err.Error(), "give the account xpub (m/44'/60'/0') that `amn signer init` printed")
	}
	deposits, err := payment.New(pool, nil).ListDestinations(ctx, payment.DestinationFilter{Limit: 20})
	if err != nil {
		return failed(name, "reading deposit addresses: "+err.Error(), "")
	}
	for _, dep := range deposits {
		got, err := d.Address(dep.Index)
		if err != nil {
			return failed(name, fmt.Sprintf("deriving deposit %d: %v", dep.Index, err), "")
		}
		if got != dep.Address {
			return failed(name, fmt.Sprintf("deposit %d (payment %s) is %s; this xpub derives %s: it is not the xpub the deposits were made with",
				dep.Index, dep.PaymentID, dep.Address.Hex(), got.Hex()),
				"configure the xpub of the signer's keys (`amn signer init` printed it) everywhere deposit addresses are made")
		}
	}
	if len(deposits) == 0 {
		return ok(name, "an account xpub; no deposit address handed out yet")
	}
	return ok(name, fmt.Sprintf("derives the %d first deposit addresses", len(deposits)))
}

func checkSigner(ctx context.Context, pool *pgxpool.Pool, c Config) Result {
	const name = "signer"
	fix := "start `amn signer` against this database (docs/signer.md)"
	s, found, err := ops.LastSeen(ctx, pool, c.SignerRoles...)
	switch {
	case err != nil:
		return failed(name, "reading heartbeats: "+err.Error(), "")
	case !found:
		return Result{Name: name, Status: Warn, Detail: "no signer has run against this database", Fix: fix}
	}
	age := time.Since(s.At).Round(time.Second)
	detail := fmt.Sprintf("heartbeat of %s (%s, version %s) %s ago", s.Instance, s.Role, s.Version, age)
	if age > c.SignerMaxAge {
		return Result{Name: name, Status: Warn, Detail: detail + ": not running", Fix: fix}
	}
	return ok(name, detail)
}

func checkRedis(ctx context.Context, c Config) Result {
	name := "redis"
	opt, err := redis.ParseURL(c.RedisURL)
	if err != nil {
		return failed(name, err.Error(), "fix --redis-url (AMN_REDIS_URL)")
	}
	rdb := redis.NewClient(opt)
	defer func() { _ = rdb.Close() }()
	cctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	if err := rdb.Ping(cctx).Err(); err != nil {
		return failed(name, fmt.Sprintf("%s: %v", config.MaskURL(c.RedisURL), err),
			"check --redis-url (AMN_REDIS_URL) and that Redis runs and accepts this client")
	}
	return ok(name, "answers at "+config.MaskURL(c.RedisURL))
}

// checkEndpoint asks one endpoint for its chain id, the finalized block (unless the chain is
// configured to credit by depth) and the logs of the configured contracts over a few blocks.
func checkEndpoint(ctx context.Context, c Config, ch chain.Config, url string) Result {
	name := "rpc " + ch.Key + " " + config.MaskURL(url)
	cctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	client, err := chain.Dial(cctx, url, ch.ID)
	if err != nil {
		fix := "check the URL (and its key) and that the node is reachable from this host"
		if errors.Is(err, chain.ErrWrongChain) {
			fix = fmt.Sprintf("this endpoint serves another chain: give chain %s (id %d) an endpoint of that chain", ch.Key, ch.ID)
		}
		return failed(name, err.Error(), fix)
	}
	defer client.Close()
	head, err := client.BlockNumber(cctx)
	if err != nil {
		return failed(name, "eth_blockNumber: "+err.Error(), "use an endpoint that answers eth_blockNumber")
	}
	to := head - min(head, ch.DepthFloor)
	detail := fmt.Sprintf("chain id %d, head %d", ch.ID, head)
	if ch.Finality != chain.FinalityDepth {
		h, err := client.HeaderByNumber(cctx, big.NewInt(int64(rpc.FinalizedBlockNumber)))
		if err != nil {
			return failed(name, "the finalized tag: "+err.Error(), fmt.Sprintf(
				"use a node that serves the finalized tag, or set \"finality\": \"depth\" for %s in the chain config", ch.Key))
		}
		to = h.Number.Uint64()
		detail += fmt.Sprintf(", finalized %d", to)
	}
	from := to - min(to, c.LogRange-1)
	logs, err := client.FilterLogs(cctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(to), Addresses: watched(ch)})
	if err != nil {
		return failed(name, fmt.Sprintf("eth_getLogs over blocks %d–%d: %v", from, to, err),
			"use an endpoint that serves eth_getLogs over block ranges (a full node, not a light or pruned one)")
	}
	return ok(name, fmt.Sprintf("%s, eth_getLogs %d–%d: %d logs", detail, from, to, len(logs)))
}

// watched are the contracts whose logs the indexer asks for: fee proxies, tokens and the escrow.
func watched(ch chain.Config) []common.Address {
	var out []common.Address
	add := func(a common.Address) {
		if a != (common.Address{}) && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	for _, p := range ch.FeeProxies {
		add(p.Address)
	}
	for _, t := range ch.Tokens {
		add(t.Address)
	}
	add(ch.Escrow)
	return out
}
