package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"

	"github.com/amanat/amn/admin"
	"github.com/amanat/amn/api"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/dispute"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/indexer"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/internal/devdeal"
	"github.com/amanat/amn/internal/mailbox"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/notify"
	"github.com/amanat/amn/ops"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/points"
	"github.com/amanat/amn/realtime"
	"github.com/amanat/amn/signer"
	"github.com/amanat/amn/signer/keystore"
)

// devOptions configure the all-in-one local stack.
type devOptions struct {
	commonOptions
	RedisURL      string
	AnvilBasePort int
	BlockTime     time.Duration
	NoDeal        bool
	MarketDay     time.Duration
	Verbose       bool
	Content       contentOptions
}

func (o *devOptions) Validate() error {
	if err := o.Common.Validate(); err != nil {
		return err
	}
	if o.RedisURL != "" {
		if err := config.ValidateRedisURL("redis-url", o.RedisURL); err != nil {
			return err
		}
	}
	if o.AnvilBasePort < 1 || o.AnvilBasePort+len(chain.Mainnets) > 65535 {
		return fmt.Errorf("%w: --anvil-base-port (AMN_ANVIL_BASE_PORT) must leave room for %d ports below 65536", config.ErrInvalid, len(chain.Mainnets))
	}
	if o.MarketDay < 100*time.Millisecond || o.MarketDay > 24*time.Hour {
		return fmt.Errorf("%w: --market-day (AMN_MARKET_DAY) must be between 100ms and 24h", config.ErrInvalid)
	}
	if o.BlockTime < 100*time.Millisecond || o.BlockTime%(100*time.Millisecond) != 0 {
		return fmt.Errorf("%w: --block-time (AMN_BLOCK_TIME) must be a multiple of 100ms, at least 100ms", config.ErrInvalid)
	}
	return o.Content.Validate()
}

func newDevCmd() *cobra.Command {
	var o devOptions
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Run the whole stack locally: migrations, three anvil chains (ids 1, 56, 137) with the contracts, Redis, indexers, signer, worker, the API, and a scripted deal",
		Long: `dev runs the local stack in one process with devnet keys only. It creates the database when
it is missing and applies migrations, starts anvil nodes for chain ids 1, 56 and 137 on
consecutive ports from --anvil-base-port and deploys on each Request Network's real fee proxies,
two test stablecoins and AmnEscrow with a 2-of-3 custodian set, uses --redis-url or else an in-process Redis
(miniredis), serves the API with /readyz and /metrics, and stops everything on Ctrl-C.

It also runs, in process and wired as the separate roles are, one indexer per chain, the signer
(keys in a temporary directory: a public devnet mnemonic and a fresh operator key funded on each
chain; a permissive devnet policy) and the worker's job queue. Unless --no-deal, it then plays a
whole deal on bsc and prints each step: a payment of 125 USDT paid by the fixture's buyer through
Request Network's ERC20FeeProxy, credited by the indexer, swept into AmnEscrow by the signer,
released to the seller with two custodians' approvals, and the final balances and ledger; then a
deal whose buyer disputes it, settled 30/70 with the custodians' approvals (docs/disputes.md).

The chains are new on every run, so dev forgets the chain state a previous run left in the
database (indexer checkpoints, open signer intents); it refuses a database that other roles used.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return badInput(err)
			}
			return runDev(cmd.Context(), &o)
		},
	}
	o.addFlags(cmd.Flags(), config.Common{
		Listen:      "127.0.0.1:8080",
		DatabaseURL: "postgres://postgres@127.0.0.1:5432/amn_dev?sslmode=disable",
		LogFormat:   "text",
	})
	cmd.Flags().StringVar(&o.RedisURL, "redis-url", "", "Redis URL; empty runs an in-process Redis")
	cmd.Flags().IntVar(&o.AnvilBasePort, "anvil-base-port", 8545, "first of the ports for the local chains (eth, bsc, polygon)")
	cmd.Flags().DurationVar(&o.BlockTime, "block-time", time.Second, "block interval of the local chains (finalized = head − 2)")
	cmd.Flags().BoolVar(&o.NoDeal, "no-deal", false, "do not play the demo deals on bsc")
	cmd.Flags().DurationVar(&o.MarketDay, "market-day", time.Second, "how long a day of the marketplace's deal timers lasts here (the inspection period, the delivery grace): the silent buyer's deal ends its 7-day inspection in 7 of them")
	cmd.Flags().BoolVar(&o.Verbose, "verbose", false, "log River's routine lines too (client start, producer job counts every 5 s)")
	o.Content.addFlags(cmd.Flags())
	return cmd
}

func runDev(ctx context.Context, o *devOptions) error {
	p := newProcess("dev", o.logger())
	defer p.close()
	out := os.Stdout
	if !o.Verbose { // the deal's story, not the job queue's routine
		p.queueLog = ops.AtLeast(p.log, slog.LevelWarn)
	}
	pools, err := p.devDatabase(ctx, o.DatabaseURL)
	if err != nil {
		return err
	}
	redisURL, rdb, err := p.devRedis(ctx, out, o.RedisURL)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "amn-dev-")
	if err != nil {
		return err
	}
	p.closers = append(p.closers, func() { _ = os.RemoveAll(dir) })
	st, err := p.devChains(ctx, out, o, dir, pools)
	if err != nil {
		return err
	}
	keys, err := p.startDevSigner(ctx, o, dir, st.reg, st.fixtures, st.operator, pools.signer)
	if err != nil {
		return err
	}
	mailer, err := p.devMail(out)
	if err != nil {
		return err
	}
	ptsCfg := points.DefaultConfig()
	// Unsubscribe links are signed with a key of this run's (the API and the worker share it).
	notifyKey := make([]byte, 32)
	if _, err := rand.Read(notifyKey); err != nil {
		return err
	}
	notes := notify.Config{UnsubscribeKey: []byte(hex.EncodeToString(notifyKey)), APIURL: "http://" + o.Listen, AppURL: "http://localhost:3000"}
	if err := p.startJobs(ctx, o.ShutdownTimeout, st.reg, pools.worker, mailer, &ptsCfg, notes); err != nil {
		return err
	}
	printDevStack(out, o, dir, redisURL, keys)
	if !o.NoDeal {
		d, err := newDevDeal(out, st.fixtures[1], st.reg, o.Listen, pools)
		if err != nil {
			return err
		}
		p.runners = append(p.runners, func(ctx context.Context) { d.run(ctx, p.log.Error) })
	}
	pts, err := points.New(pools.api, ptsCfg)
	if err != nil {
		return err
	}
	authSvc, err := devAuth(dir, pools.api, pts.RecordReferral)
	if err != nil {
		return err
	}
	if err := seedDevAccounts(ctx, out, authSvc, o.Listen); err != nil {
		return err
	}
	edge, err := devEdge(rdb)
	if err != nil {
		return err
	}
	adm := admin.New(pools.api, admin.Config{Registry: st.reg, SweepByJob: true, SignerTxs: signer.TxRecord{}, Xpub: keys.Ring.Xpub(),
		ParseXpub: parseXpub, QuorumTTL: time.Minute})
	mkt, err := devMarket(pools.api, st, keys, o.MarketDay)
	if err != nil {
		return err
	}
	notifications, err := notify.New(pools.api, notes)
	if err != nil {
		return err
	}
	mkt = mkt.WithNotifier(notify.Deals{Notify: notifications})
	uploads, blogSvc, err := o.Content.services(pools.api)
	if err != nil {
		return err
	}
	chats := newChat(pools.api, mkt, uploads)
	rt := realtimeOptions{cfg: realtime.DefaultConfig()}
	hub := rt.hub(p, pools.api, authSvc, mkt, chats, edge)
	if err := seedDevPosts(ctx, out, blogSvc, authSvc, o.Listen); err != nil {
		return err
	}
	// Dev's bundles are signed with a key made for this run (its public key is served as always).
	dcfg := dispute.DefaultConfig()
	if _, dcfg.BundleKey, err = ed25519.GenerateKey(rand.Reader); err != nil {
		return err
	}
	h := api.NewRouter(api.Deps{Log: p.log, Registry: p.reg, Checks: p.checks, Auth: authSvc, Edge: edge, Admin: adm, Market: mkt,
		Realtime: hub, Uploads: uploads, Blog: blogSvc, Chat: chats, Points: pts, SignupURL: "http://localhost:3000/signup", PublicURL: "http://" + o.Listen,
		Disputes: newDisputes(pools.api, dcfg, mkt, uploads, authSvc, notifications),
		Notify:   notifications})
	return p.serve(ctx, o.Listen, h, o.ShutdownTimeout)
}

// devDatabase creates and migrates the database as its owner, forgets the chains of earlier runs,
// and opens a pool per component, each working as its own role.
func (p *process) devDatabase(ctx context.Context, url string) (devPools, error) {
	if err := db.CreateDatabaseIfMissing(ctx, url); err != nil {
		return devPools{}, badInput(err)
	}
	p.ownerLogin = true
	if err := p.openDB(ctx, url, db.Owner); err != nil {
		return devPools{}, err
	}
	mig, err := db.NewMigrator(p.pool)
	if err != nil {
		return devPools{}, err
	}
	applied, err := mig.Up(ctx)
	if err != nil {
		return devPools{}, err
	}
	p.log.Info("migrations applied", "count", len(applied))
	pools, err := p.openDevPools(ctx, url)
	if err != nil {
		return devPools{}, err
	}
	return pools, forgetPreviousDevnets(ctx, p.pool)
}

// devRedis connects to url, or starts an in-process miniredis when url is empty; it returns the
// URL in use and the client.
func (p *process) devRedis(ctx context.Context, out io.Writer, url string) (string, *redis.Client, error) {
	if url == "" {
		mr, err := miniredis.Run()
		if err != nil {
			return "", nil, err
		}
		p.closers = append(p.closers, mr.Close)
		url = "redis://" + mr.Addr() + "/0"
		fmt.Fprintf(out, "redis     %s (in-process miniredis; set --redis-url to use a server)\n", url)
	} else {
		fmt.Fprintf(out, "redis     %s\n", config.MaskURL(url))
	}
	rdb, err := p.openRedis(ctx, url)
	return url, rdb, err
}

// devStack is what devChains made: the chains' fixtures, their registry, and the signer's
// operator key (the gas tank, and each escrow's arbiter).
type devStack struct {
	fixtures []*devnet.Fixture
	reg      *chain.Registry
	operator *ecdsa.PrivateKey
}

// devChains starts the three anvil chains with their contracts, writes their chain config to
// dir, and runs an indexer on each.
func (p *process) devChains(ctx context.Context, out io.Writer, o *devOptions, dir string, pools devPools) (devStack, error) {
	var st devStack
	nodes, err := startChains(ctx, o.AnvilBasePort, o.BlockTime)
	for _, n := range nodes {
		p.closers = append(p.closers, n.Stop)
	}
	if err != nil {
		return st, badInput(err)
	}
	st.fixtures, err = deployFixtures(ctx, nodes)
	for _, f := range st.fixtures {
		p.closers = append(p.closers, f.Close)
	}
	if err != nil {
		return st, err
	}
	// The signer's gas tank, made first so that the chain config can name it: the indexers must
	// not take its top-ups of deposit addresses for payments. It is each escrow's arbiter too: the
	// signer freezes the escrows of disputed payments.
	if st.operator, err = crypto.GenerateKey(); err != nil {
		return st, err
	}
	opAddr := crypto.PubkeyToAddress(st.operator.PublicKey)
	// And the only caller of each chain's AmnSweeper: the signer sweeps in EIP-7702 batches.
	sweepers := make([]common.Address, len(st.fixtures))
	for i, f := range st.fixtures {
		if err := f.SetArbiter(ctx, devnet.Account{Address: opAddr, Key: st.operator}); err != nil {
			return st, err
		}
		if sweepers[i], err = f.DeploySweeper(ctx, opAddr); err != nil {
			return st, err
		}
	}
	if st.reg, err = devRegistry(dir, nodes, st.fixtures, sweepers, o.BlockTime, opAddr); err != nil {
		return st, err
	}
	for i, c := range chain.Mainnets {
		cfg, err := st.reg.Get(c.Key)
		if err != nil {
			return st, err
		}
		// As `amn indexer` runs it; its head tracker is the chain's readiness check.
		if err := p.runIndexer(ctx, cfg, pools.indexer); err != nil {
			return st, err
		}
		a := st.fixtures[i].Addresses
		fmt.Fprintf(out, "chain     %-8s id %-4d %s (anvil pid %d)\n", c.Key, c.ID, nodes[i].URL, nodes[i].Pid())
		fmt.Fprintf(out, "          AmnEscrow %s  ERC20FeeProxy %s  EthereumFeeProxy %s\n", a.Escrow.Hex(), a.ERC20FeeProxy.Hex(), a.EthereumFeeProxy.Hex())
		fmt.Fprintf(out, "          AmnSweeper %s (EIP-7702 batched sweeps, operator the gas tank)\n", cfg.Sweeper.Hex())
		fmt.Fprintf(out, "          USDT (6 dec.) %s  TUSD (18 dec.) %s  custodians %d of %d\n", a.USDT.Hex(), a.TUSD.Hex(), st.fixtures[i].Threshold, len(st.fixtures[i].Custodians))
	}
	return st, nil
}

// printDevStack tells where each part of the stack is.
func printDevStack(out io.Writer, o *devOptions, dir, redisURL string, keys *keystore.Keys) {
	fmt.Fprintf(out, "postgres  %s (migrated by the owner; roles: api %s, indexer %s, worker %s, signer %s)\n", db.Redact(o.DatabaseURL),
		db.RoleAPI, db.RoleIndexer, db.RoleWorker, db.RoleSigner)
	fmt.Fprintf(out, "indexer   eth, bsc, polygon (chain config %s; credits at the finalized block, depth ≥ %d)\n", filepath.Join(dir, "chains.json"), devDepthFloor)
	fmt.Fprintf(out, "signer    operator (gas tank) %s, xpub %s… (devnet mnemonic; keys in %s)\n", keys.OperatorAddress().Hex(), keys.Ring.Xpub()[:24], filepath.Join(dir, "keys"))
	fmt.Fprintln(out, "worker    River: payment_sweep → sweep intents, signer_follow, expiry")
	fmt.Fprintf(out, "api       http://%s  (/healthz /readyz /metrics, /v1/docs)\n", o.Listen)
	fmt.Fprintf(out, "doctor    amn doctor --database-url '%s' --redis-url %s --chain-config %s --xpub %s\n",
		db.Redact(o.DatabaseURL), config.MaskURL(redisURL), filepath.Join(dir, "chains.json"), keys.Ring.Xpub())
	fmt.Fprintln(out, "Ctrl-C stops everything.")
}

// devPools are the pools of amn dev's components, each working as the role of the process it
// stands for, as if each ran on its own host.
type devPools struct {
	api, indexer, worker, signer, custody *pgxpool.Pool
}

// openDevPools opens a pool per component, each with its readiness check (postgres_role_api, …).
func (p *process) openDevPools(ctx context.Context, url string) (devPools, error) {
	var d devPools
	for _, c := range []struct {
		pool **pgxpool.Pool
		role string
	}{{&d.api, db.RoleAPI}, {&d.indexer, db.RoleIndexer}, {&d.worker, db.RoleWorker}, {&d.signer, signer.Role}, {&d.custody, db.RoleCustody}} {
		pool, err := p.openPool(ctx, url, c.role, "postgres_role_"+strings.TrimPrefix(c.role, "amn_"))
		if err != nil {
			return d, err
		}
		*c.pool = pool
	}
	return d, nil
}

// startChains starts one anvil per built-in chain, concurrently, with fast finality.
func startChains(ctx context.Context, basePort int, blockTime time.Duration) ([]*devnet.Anvil, error) {
	nodes := make([]*devnet.Anvil, len(chain.Mainnets))
	errs := make([]error, len(chain.Mainnets))
	var wg sync.WaitGroup
	for i, c := range chain.Mainnets {
		wg.Go(func() {
			nodes[i], errs[i] = devnet.StartAnvil(ctx, devnet.AnvilOptions{
				// A block a second (--block-time) so that a demo moves, one slot per epoch so that
				// finality follows two blocks behind the head.
				// Prague: EIP-7702, so that the signer sweeps deposits in batches through AmnSweeper.
				ChainID: c.ID, Port: basePort + i, SlotsInEpoch: 1, BlockTime: blockTime, Hardfork: "prague",
			})
		})
	}
	wg.Wait()
	var started []*devnet.Anvil
	for _, n := range nodes {
		if n != nil {
			started = append(started, n)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return started, err
	}
	return nodes, nil
}

// deployFixtures deploys the money path's contracts (Request Network's real fee proxies, two test
// stablecoins, AmnEscrow with a 2-of-3 custodian set) on every local chain, concurrently.
func deployFixtures(ctx context.Context, nodes []*devnet.Anvil) ([]*devnet.Fixture, error) {
	fixtures := make([]*devnet.Fixture, len(nodes))
	errs := make([]error, len(nodes))
	var wg sync.WaitGroup
	for i, n := range nodes {
		wg.Go(func() { fixtures[i], errs[i] = devnet.Deploy(ctx, n, devnet.FixtureOptions{}) })
	}
	wg.Wait()
	var deployed []*devnet.Fixture
	for _, f := range fixtures {
		if f != nil {
			deployed = append(deployed, f)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return deployed, fmt.Errorf("deploying the devnet contracts: %w", err)
	}
	return fixtures, nil
}

// devMnemonic is the deposit wallet of the local stack: BIP39's public test mnemonic. Not anvil's
// "test … junk": its first addresses are the fixture's deployer, seller and buyers, and deposit
// indices start at 0.
const devMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

// devDepthFloor is the local chains' depth floor: finality is the node's `finalized` tag (head − 2).
const devDepthFloor = 2

// devRegistry writes the local chains' config (endpoints, escrow, tokens, fee proxies from block
// 0, EIP-7702 on with each chain's AmnSweeper) to dir/chains.json and loads it as the signer,
// indexer and worker load --chain-config.
func devRegistry(dir string, nodes []*devnet.Anvil, fixtures []*devnet.Fixture, sweepers []common.Address, blockTime time.Duration, gasTank common.Address) (*chain.Registry, error) {
	type entry struct {
		Key           string        `json:"key"`
		BlockTime     string        `json:"block_time"`
		DepthFloor    uint64        `json:"depth_floor"`
		Finality      string        `json:"finality"`
		FinalityStall string        `json:"finality_stall"`
		Endpoints     []string      `json:"endpoints"`
		Escrow        string        `json:"escrow"`
		Tokens        []chain.Token `json:"tokens"`
		FeeProxies    []chain.Proxy `json:"fee_proxies"`
		StartBlock    uint64        `json:"start_block"`
		GasTanks      []string      `json:"gas_tanks"`
		EIP7702       bool          `json:"eip7702"`
		Sweeper       string        `json:"sweeper"`
	}
	var doc struct {
		Chains []entry `json:"chains"`
	}
	for i, c := range chain.Mainnets {
		a := fixtures[i].Addresses
		doc.Chains = append(doc.Chains, entry{Key: c.Key, BlockTime: blockTime.String(), DepthFloor: devDepthFloor,
			Finality: chain.FinalityTag, FinalityStall: "1m", Endpoints: []string{nodes[i].URL}, Escrow: a.Escrow.Hex(),
			Tokens:     []chain.Token{{Symbol: "USDT", Address: a.USDT, Decimals: 6}, {Symbol: "TUSD", Address: a.TUSD, Decimals: 18}},
			FeeProxies: []chain.Proxy{{Address: a.ERC20FeeProxy}, {Address: a.EthereumFeeProxy, Native: true}},
			GasTanks:   []string{gasTank.Hex()}, EIP7702: true, Sweeper: sweepers[i].Hex()})
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "chains.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, err
	}
	return chain.LoadRegistry(path)
}

// startDevSigner creates the signer's key files in dir/keys with the keystore package (the
// devnet mnemonic and a fresh operator key, funded on every chain), writes a permissive devnet
// policy, and adds the signer, as `amn signer` runs it, on every chain through spool (its role's pool).
func (p *process) startDevSigner(ctx context.Context, o *devOptions, dir string, reg *chain.Registry, fixtures []*devnet.Fixture, op *ecdsa.PrivateKey, spool *pgxpool.Pool) (*keystore.Keys, error) {
	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	pass := hex.EncodeToString(secret)
	keyDir := filepath.Join(dir, "keys")
	if _, err := keystore.Init(keyDir, devMnemonic, op, pass, keystore.Light); err != nil {
		return nil, err
	}
	keys, err := keystore.Load(keyDir, pass)
	if err != nil {
		return nil, err
	}
	// Permissive: up to a million whole tokens per release, ten million a day, commission to the
	// fixture's fee recipient.
	type limit struct {
		ChainID uint64 `json:"chain_id"`
		Token   string `json:"token"`
		PerTx   string `json:"per_tx"`
		PerDay  string `json:"per_day"`
	}
	var policy struct {
		Limits        []limit             `json:"limits"`
		FeeRecipients map[string][]string `json:"fee_recipients"`
	}
	policy.FeeRecipients = map[string][]string{}
	units := func(whole int64, decimals int) string {
		return new(big.Int).Mul(big.NewInt(whole), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil)).String()
	}
	for i, f := range fixtures {
		c := chain.Mainnets[i]
		for _, t := range []struct {
			addr     string
			decimals int
		}{{f.Addresses.USDT.Hex(), 6}, {f.Addresses.TUSD.Hex(), 18}, {chain.NativeToken.Hex(), 18}} {
			policy.Limits = append(policy.Limits, limit{ChainID: c.ID, Token: t.addr, PerTx: units(1_000_000, t.decimals), PerDay: units(10_000_000, t.decimals)})
		}
		policy.FeeRecipients[strconv.FormatUint(c.ID, 10)] = []string{f.FeeRecipient.Address.Hex()}
		// The gas tank: 100 of the chain's currency.
		if err := f.SetBalance(ctx, keys.OperatorAddress(), new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))); err != nil {
			return nil, fmt.Errorf("funding the operator on %s: %w", c.Key, err)
		}
	}
	b, err := json.MarshalIndent(policy, "", "  ")
	if err != nil {
		return nil, err
	}
	policyPath := filepath.Join(dir, "policy.json")
	if err := os.WriteFile(policyPath, b, 0o600); err != nil {
		return nil, err
	}
	pol, err := signer.LoadPolicy(policyPath)
	if err != nil {
		return nil, err
	}
	var chains []*signer.Chain
	for _, c := range chain.Mainnets {
		cfg, err := reg.Get(c.Key)
		if err != nil {
			return nil, err
		}
		client, err := chain.Dial(ctx, cfg.Endpoints[0], cfg.ID)
		if err != nil {
			return nil, fmt.Errorf("chain %s at %s: %v", cfg.Key, cfg.Endpoints[0], err)
		}
		p.closers = append(p.closers, client.Close)
		chains = append(chains, &signer.Chain{ID: cfg.ID, Key: cfg.Key, Client: client, Escrow: cfg.Escrow, Sweeper: cfg.BatchSweeper(),
			MaxFeeCap: big.NewInt(500e9), StuckAfter: 30 * time.Second})
	}
	m, err := signer.NewMetrics(p.reg)
	if err != nil {
		return nil, err
	}
	// Rows of earlier `amn dev` runs were signed by their own fresh operator keys: this run's
	// signatures are checked from its first row on.
	head, err := signer.ReadAuditHead(ctx, spool)
	if err != nil {
		return nil, err
	}
	audit := signer.AuditCheck{Operator: keys.OperatorAddress(), SignedFrom: head.Seq + 1}
	s, err := signer.New(signer.Config{Pool: spool, Keys: keys, Chains: chains, Policy: pol, Enrolment: custody.NewEnrolments(spool),
		Poll: min(o.BlockTime/2, time.Second), Log: p.log.With("part", "signer"), Metrics: m})
	if err != nil {
		return nil, err
	}
	p.runners = append(p.runners,
		func(ctx context.Context) {
			if err := s.Run(ctx); err != nil && ctx.Err() == nil {
				p.log.Error("signer stopped", "err", err)
			}
		},
		func(ctx context.Context) { signer.WatchAudit(ctx, spool, audit, time.Minute, m, p.log) },
	)
	return keys, nil
}

// forgetPreviousDevnets drops the chain state a previous `amn dev` left in the database: its
// chains are gone (anvil starts new ones with the same ids on every run), so the indexer
// checkpoints would see a reorg deeper than any window and halt, and open signer intents could
// never complete. Payments, the ledger and the audit log stay. A database that another role
// (a real indexer, signer, worker or API) has used is refused: this must never touch one.
func forgetPreviousDevnets(ctx context.Context, pool *pgxpool.Pool) error {
	seen, used, err := ops.LastSeen(ctx, pool, "api", "indexer", "worker", "signer", "reconcile")
	if err != nil {
		return err
	}
	if used {
		return badInput(fmt.Errorf("--database-url (AMN_DATABASE_URL): `amn %s` has used this database; amn dev resets the chain state of the database it runs on, so give it one of its own", seen.Role))
	}
	ids := make([]uint64, len(chain.Mainnets))
	for i, c := range chain.Mainnets {
		ids[i] = c.ID
	}
	return db.InTx(ctx, pool, func(tx pgx.Tx) error {
		if err := indexer.ForgetChains(ctx, tx, ids); err != nil {
			return err
		}
		return intent.RejectOpenOnChains(ctx, tx, ids, "its devnet is gone (amn dev restarted)")
	})
}

// devTelegramBotToken is the local stack's Telegram bot token: public, like every key of amn dev,
// so that a developer can sign Mini App or Login Widget data for it (docs/auth.md).
const devTelegramBotToken = "0:amn-dev-telegram-bot-token"

// devAuth makes the access-token key of the local stack (dir/auth-keys.pem, as --auth-keys-file
// would name it) and the sign-in service on the API's pool.
func devAuth(dir string, pool *pgxpool.Pool, signedUp func(context.Context, pgx.Tx, uuid.UUID, string) error) (*auth.Service, error) {
	o := authOptions{KeysFile: filepath.Join(dir, "auth-keys.pem"), Issuer: "amn", Audience: "amn-api", AccessTTL: auth.DefaultAccessTTL,
		// Passkeys for the frontend on localhost:3000; Google sign-in is off (no client id).
		WebAuthnRPID: auth.DefaultPasskeyRPID, WebAuthnRPName: auth.DefaultPasskeyRPName, WebAuthnOrigins: auth.DefaultPasskeyOrigins}
	o.Telegram = auth.TelegramConfig{BotToken: devTelegramBotToken, InitDataMaxAge: auth.DefaultTelegramInitDataMaxAge, WidgetMaxAge: auth.DefaultTelegramWidgetMaxAge}
	keys, err := auth.GenerateKeys()
	if err != nil {
		return nil, err
	}
	pem, err := keys.MarshalPEM()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(o.KeysFile, pem, 0o600); err != nil {
		return nil, err
	}
	return o.newAuth(pool, signedUp)
}

// devMail starts the local stack's mail catcher (package mailbox) and the worker's mailer that
// sends to it: every email (sign-in codes and notices, notifications) is printed instead of
// delivered.
func (p *process) devMail(out io.Writer) (*auth.Mailer, error) {
	codeRE := regexp.MustCompile(`\b[0-9]{6}\b`)
	mb, err := mailbox.Start("amn-dev", "amn-dev-smtp", func(m mailbox.Mail) {
		code := ""
		if c := codeRE.FindString(m.Body); c != "" {
			code = " (code " + c + ")"
		}
		fmt.Fprintf(out, "mail      to %s: %s%s\n", strings.Join(m.To, ", "), m.Subject, code)
	})
	if err != nil {
		return nil, err
	}
	p.closers = append(p.closers, func() { _ = mb.Close() })
	return auth.NewMailer(auth.MailConfig{SMTPURL: mb.URL(), From: "Amn dev <no-reply@amn.localhost>"})
}

// devAccounts are the local stack's accounts, with public test passwords.
var devAccounts = []struct {
	email, password string
	roles           []auth.Role
}{
	{"admin@amn.localhost", "amn-dev-admin-pass", []auth.Role{auth.RoleAdmin}},
	{"buyer@amn.localhost", "amn-dev-buyer-pass", []auth.Role{auth.RoleBuyer}},
	{"seller@amn.localhost", "amn-dev-seller-pass", []auth.Role{auth.RoleSeller}},
	{"seller2@amn.localhost", "amn-dev-seller2-pass", []auth.Role{auth.RoleSeller}},
}

// devAccount is devAccounts[i] as the demo deals sign in with it.
func devAccount(i int) devdeal.Account {
	return devdeal.Account{Email: devAccounts[i].email, Password: devAccounts[i].password}
}

// seedDevAccounts makes the accounts (once per database) and tells how to sign in.
func seedDevAccounts(ctx context.Context, out io.Writer, svc *auth.Service, listen string) error {
	for i, a := range devAccounts {
		hash, err := auth.HashPassword(a.password)
		if err != nil {
			return err
		}
		_, err = svc.CreateUser(ctx, auth.NewUser{Email: a.email, EmailVerified: true, PasswordHash: hash, Roles: a.roles, DisplayName: string(a.roles[0])})
		if err != nil && !errors.Is(err, auth.ErrEmailTaken) {
			return err
		}
		label := "accounts"
		if i > 0 {
			label = ""
		}
		fmt.Fprintf(out, "%-9s %-6s %-22s password %s\n", label, a.roles[0], a.email, a.password)
	}
	fmt.Fprintf(out, "          sign in: curl -s http://%s/v1/auth/login -H 'Content-Type: application/json' -d '{\"email\":\"%s\",\"password\":\"%s\"}'\n",
		listen, devAccounts[1].email, devAccounts[1].password)
	return nil
}

// devMarket is the API's marketplace on the local chains: deposit addresses from the devnet
// account xpub, the deal's fee (1%, to the fixture's fee recipient) and commission (2%).
func devMarket(pool *pgxpool.Pool, st devStack, keys *keystore.Keys, day time.Duration) (*market.Service, error) {
	d, err := hd.ParseXpub(keys.Ring.Xpub())
	if err != nil {
		return nil, err
	}
	cfg := market.DefaultConfig()
	cfg.FeeAddress = st.fixtures[0].FeeRecipient.Address
	cfg.Day = day
	return market.New(pool, payment.New(pool, d), st.reg, cfg), nil
}
