package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/spf13/cobra"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ops"
	"github.com/amanat/amn/signer"
	"github.com/amanat/amn/signer/keystore"
)

// signerOptions are the settings of `amn signer`.
type signerOptions struct {
	commonOptions
	KeyDir          string
	PassphraseFile  string
	ChainConfig     string
	Chains          []string
	PolicyFile      string
	RequireHardware bool
	Poll            time.Duration
	MaxFeeGwei      int64
	StuckAfter      time.Duration
	MaxApprovalTTL  time.Duration
	AuditSignedFrom int64
}

func (o *signerOptions) Validate() error {
	if err := o.Common.Validate(); err != nil {
		return err
	}
	if o.KeyDir == "" {
		return nil // idle: ops endpoints and heartbeat only (see runSigner)
	}
	switch {
	case o.PassphraseFile == "":
		return errors.New("--passphrase-file is required (AMN_PASSPHRASE_FILE)")
	case len(o.Chains) == 0:
		return errors.New("--chains is required (AMN_CHAINS): e.g. bsc,polygon; endpoints and escrow come from --chain-config")
	case o.PolicyFile == "":
		return errors.New("--policy is required (AMN_POLICY): per-chain, per-token limits (deny by default)")
	case o.Poll <= 0:
		return errors.New("--poll must be positive")
	case o.MaxFeeGwei <= 0:
		return errors.New("--max-fee-gwei must be positive")
	case o.MaxApprovalTTL <= 0:
		return errors.New("--max-approval-ttl must be positive")
	}
	return nil
}

// signerSubcommands adds init and audit under `amn signer`.
func signerSubcommands(cmd *cobra.Command) *cobra.Command {
	cmd.AddCommand(newSignerInitCmd(), newSignerAuditCmd())
	return cmd
}

func addSignerFlags(cmd *cobra.Command, o *signerOptions) {
	f := cmd.Flags()
	f.StringVar(&o.KeyDir, "key-dir", "", "directory with the encrypted key files (amn signer init)")
	f.StringVar(&o.PassphraseFile, "passphrase-file", "", "file holding the key passphrase (mode 0600)")
	f.StringVar(&o.ChainConfig, "chain-config", "", "chain config file (endpoints, escrow contract per chain); built-in mainnet defaults otherwise")
	f.StringSliceVar(&o.Chains, "chains", nil, "chains to sign on, e.g. bsc,polygon (each needs endpoints and an escrow in the chain config)")
	f.StringVar(&o.PolicyFile, "policy", "", "policy file: limits per chain and token, allowed fee recipients (JSON, see docs/signer.md)")
	f.BoolVar(&o.RequireHardware, "custody-require-hardware", false, "count approvals only from custodians enrolled as hardware-held")
	f.DurationVar(&o.Poll, "poll", time.Second, "how often the intent queue is looked at")
	f.Int64Var(&o.MaxFeeGwei, "max-fee-gwei", 500, "cap on max_fee_per_gas of any attempt, replacements included (gwei)")
	f.DurationVar(&o.StuckAfter, "stuck-after", 2*time.Minute, "re-sign a transaction with 10%+ higher fees when unmined this long")
	f.DurationVar(&o.MaxApprovalTTL, "max-approval-ttl", intent.MaxTTL, "refuse a release or refund whose approvals stay valid longer than this after it was made")
	f.Int64Var(&o.AuditSignedFrom, "audit-signed-from", 1, "first audit row that must carry this operator key's signature (rows before it: written before migration 00014 or under an earlier operator key)")
}

// runSigner unlocks the keys, dials the chains and works the queue through the restricted role.
func runSigner(ctx context.Context, o *signerOptions) error {
	p := newProcess("signer", o.logger())
	defer p.close()
	if o.KeyDir == "" {
		// No keys configured: serve ops endpoints and the heartbeat, sign nothing.
		if err := p.openDB(ctx, o.DatabaseURL, signer.Role); err != nil {
			return err
		}
		p.runners = append(p.runners, func(context.Context) {
			p.log.Warn("no --key-dir: the signer is idle (it holds no keys and signs nothing)")
		})
		return p.serve(ctx, o.Listen, opsOnly(p), o.ShutdownTimeout)
	}
	pass, err := keystore.ReadPassphrase(o.PassphraseFile)
	if err != nil {
		return badInput(err)
	}
	keys, err := keystore.Load(o.KeyDir, pass)
	if err != nil {
		return badInput(err)
	}
	policy, err := signer.LoadPolicy(o.PolicyFile)
	if err != nil {
		return badInput(err)
	}
	reg, err := chain.LoadRegistry(o.ChainConfig)
	if err != nil {
		return badInput(err)
	}
	if err := p.openDB(ctx, o.DatabaseURL, signer.Role); err != nil {
		return err
	}
	pool := p.pool
	var chains []*signer.Chain
	for _, key := range o.Chains {
		cfg, err := reg.Get(strings.TrimSpace(key))
		if err != nil {
			return badInput(err)
		}
		if len(cfg.Endpoints) == 0 {
			return badInput(fmt.Errorf("chain %s: no endpoints in --chain-config", cfg.Key))
		}
		if cfg.Escrow == ([20]byte{}) {
			return badInput(fmt.Errorf("chain %s: no escrow contract in --chain-config", cfg.Key))
		}
		client, err := chain.Dial(ctx, cfg.Endpoints[0], cfg.ID)
		if err != nil {
			return badInput(fmt.Errorf("chain %s at %s: %v", cfg.Key, config.MaskURL(cfg.Endpoints[0]), err))
		}
		p.closers = append(p.closers, client.Close)
		p.checks = append(p.checks, ops.Check{Name: "chain_" + cfg.Key, Fn: func(ctx context.Context) error {
			_, err := client.BlockNumber(ctx)
			return err
		}})
		chains = append(chains, &signer.Chain{ID: cfg.ID, Key: cfg.Key, Client: client, Escrow: cfg.Escrow, Sweeper: cfg.BatchSweeper(),
			MaxFeeCap: new(big.Int).Mul(big.NewInt(o.MaxFeeGwei), big.NewInt(1e9)), StuckAfter: o.StuckAfter})
	}
	m, err := signer.NewMetrics(p.reg)
	if err != nil {
		return err
	}
	s, err := signer.New(signer.Config{Pool: pool, Keys: keys, Chains: chains, Policy: policy,
		RequireHardware: o.RequireHardware, Enrolment: custody.NewEnrolments(pool), Poll: o.Poll, MaxApprovalTTL: o.MaxApprovalTTL, Log: p.log, Metrics: m})
	if err != nil {
		return badInput(err)
	}
	p.runners = append(p.runners, func(ctx context.Context) {
		if err := s.Run(ctx); err != nil {
			p.log.Error("signer stopped", "err", err)
		}
	})
	check := signer.AuditCheck{Operator: keys.OperatorAddress(), SignedFrom: o.AuditSignedFrom}
	p.runners = append(p.runners, func(ctx context.Context) { signer.WatchAudit(ctx, pool, check, time.Minute, m, p.log) })
	p.log.Info("keys unlocked", "operator", keys.OperatorAddress().Hex(), "xpub", keys.Ring.Xpub())
	return p.serve(ctx, o.Listen, opsOnly(p), o.ShutdownTimeout)
}

type signerInitOptions struct {
	KeyDir          string
	PassphraseFile  string
	MnemonicFile    string
	OperatorKeyFile string
	Light           bool
}

func newSignerInitCmd() *cobra.Command {
	var o signerInitOptions
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Encrypt the deposit mnemonic and the operator (gas tank) key into --key-dir",
		Long: `init writes mnemonic.json (scrypt + XChaCha20-Poly1305) and operator.json (go-ethereum keystore)
into --key-dir, both encrypted with the passphrase in --passphrase-file. The mnemonic is read from
--mnemonic-file; the operator key from --operator-key-file (hex) or, when absent, generated. It
prints the operator address (fund it: it is the gas tank) and the account xpub (configure the other
processes with it). It never prints a secret and refuses to overwrite existing key files.
Delete the plain mnemonic and key files afterwards.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.KeyDir == "" || o.PassphraseFile == "" || o.MnemonicFile == "" {
				return badInput(errors.New("--key-dir, --passphrase-file and --mnemonic-file are required"))
			}
			pass, err := keystore.ReadPassphrase(o.PassphraseFile)
			if err != nil {
				return badInput(err)
			}
			raw, err := os.ReadFile(o.MnemonicFile)
			if err != nil {
				return badInput(fmt.Errorf("--mnemonic-file: %v", err))
			}
			mnemonic := strings.TrimSpace(string(raw))
			var op *ecdsa.PrivateKey
			if o.OperatorKeyFile != "" {
				b, err := os.ReadFile(o.OperatorKeyFile)
				if err != nil {
					return badInput(fmt.Errorf("--operator-key-file: %v", err))
				}
				if op, err = crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(string(b)), "0x")); err != nil {
					return badInput(errors.New("--operator-key-file does not hold a hex secp256k1 private key"))
				}
			}
			cost := keystore.Standard
			if o.Light {
				cost = keystore.Light
			}
			addr, err := keystore.Init(o.KeyDir, mnemonic, op, pass, cost)
			if err != nil {
				return badInput(err)
			}
			xpub, err := keystore.AccountXpub(mnemonic)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "key files written to %s\noperator (gas tank) %s\naccount xpub %s\n", o.KeyDir, addr.Hex(), xpub)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.KeyDir, "key-dir", "", "directory to write the encrypted key files to")
	f.StringVar(&o.PassphraseFile, "passphrase-file", "", "file holding the passphrase (mode 0600, at least 12 characters)")
	f.StringVar(&o.MnemonicFile, "mnemonic-file", "", "file holding the BIP39 deposit mnemonic")
	f.StringVar(&o.OperatorKeyFile, "operator-key-file", "", "file holding the operator key in hex (default: generate one)")
	f.BoolVar(&o.Light, "light-kdf", false, "cheap scrypt parameters (tests and devnets only)")
	return cmd
}

// auditOptions are the settings of `amn signer audit`.
type auditOptions struct {
	dbOptions
	Operator   string
	KeyDir     string
	SignedFrom int64
	ExpectHead string
}

// check builds what the log is checked against. The operator address comes from the operator
// (or the key directory on the signer host), never from the database: its owner could re-sign a
// rewritten log with a key of their own and write that key's address beside it.
func (o *auditOptions) check() (signer.AuditCheck, error) {
	c := signer.AuditCheck{SignedFrom: o.SignedFrom}
	if o.Operator != "" {
		if !common.IsHexAddress(o.Operator) {
			return c, fmt.Errorf("--operator (AMN_OPERATOR) %q is not an address", o.Operator)
		}
		c.Operator = common.HexToAddress(o.Operator)
	}
	if o.KeyDir != "" {
		a, err := keystore.OperatorAddress(o.KeyDir)
		if err != nil {
			return c, err
		}
		if c.Operator != (common.Address{}) && c.Operator != a {
			return c, fmt.Errorf("--operator %s and the operator of --key-dir %s (%s) differ", c.Operator.Hex(), o.KeyDir, a.Hex())
		}
		c.Operator = a
	}
	if c.Operator == (common.Address{}) {
		return c, errors.New("--operator (AMN_OPERATOR) is required: the signer's operator address, as `amn signer init` printed it (or --key-dir on the signer host)")
	}
	if o.ExpectHead != "" {
		h, err := signer.ParseAuditHead(o.ExpectHead)
		if err != nil {
			return c, fmt.Errorf("--expect-head: %v", err)
		}
		c.Expect = &h
	}
	return c, nil
}

// verify opens the database and walks the log.
func (o *auditOptions) verify(cmd *cobra.Command) (signer.AuditCheck, signer.AuditHead, error) {
	ctx := cmd.Context()
	c, err := o.check()
	if err != nil {
		return c, signer.AuditHead{}, badInput(err)
	}
	pool, err := o.open(ctx, cmd)
	if err != nil {
		return c, signer.AuditHead{}, err
	}
	defer pool.Close()
	head, err := signer.VerifyAudit(ctx, pool, c)
	return c, head, err
}

func newSignerAuditCmd() *cobra.Command {
	var o auditOptions
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Inspect the signer's audit log: hash-chained, each row signed by the operator key",
		Long: `Every row of signer_audit carries the hash of the row before it and the operator key's
signature of its own hash. verify walks the whole log; head prints its last verified row as
SEQ:HASH, for an operator to pin elsewhere and pass to verify --expect-head later (the running
signer publishes it too: amn_signer_audit_head_seq, amn_signer_audit_head_info{hash}).`,
	}
	f := cmd.PersistentFlags()
	f.StringVar(&o.DatabaseURL, "database-url", "", "PostgreSQL URL")
	f.StringVar(&o.Operator, "operator", "", "the signer's operator address: every row must be signed by its key")
	f.StringVar(&o.KeyDir, "key-dir", "", "the signer's key directory, to read the operator address from (no passphrase needed)")
	f.Int64Var(&o.SignedFrom, "signed-from", 1, "first row that must be signed (rows before it: written before migration 00014 or under an earlier operator key)")
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check every row's sequence, link, hash and signature, and the pinned head; exit 1 naming the first broken row and check",
		Example: `  amn signer audit verify --operator 0x14dC79964da2C08b23698B3D3cc7Ca32193d9955 --expect-head 1042:5be0…
  # exit 1: "audit log broken at seq 1042: expected head check: the log ends at seq 1038: …"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, head, err := o.verify(cmd)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "audit log verified: %d rows, each chained to the previous, signed by %s from seq %d; head %s\n",
				head.Seq, c.Operator.Hex(), max(c.SignedFrom, 1), head)
			if c.Expect != nil {
				fmt.Fprintf(out, "the pinned head %s is in it\n", c.Expect)
			}
			return nil
		},
	}
	verify.Flags().StringVar(&o.ExpectHead, "expect-head", "", "SEQ:HASH, a head pinned earlier (from amn signer audit head or the signer's metrics): it must still be in the log")
	head := &cobra.Command{
		Use:   "head",
		Short: "Print the last row of the verified log as SEQ:HASH (pin it elsewhere)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, head, err := o.verify(cmd)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), head)
			return nil
		},
	}
	cmd.AddCommand(verify, head)
	return cmd
}

func newSignerCmd() *cobra.Command {
	var o signerOptions
	cmd := &cobra.Command{
		Use:   "signer",
		Short: "Run the isolated custody signer, the only process that holds keys",
		Long: `signer unlocks the deposit mnemonic and the operator key (amn signer init), connects to Postgres
as the restricted role amn_signer, and works the signer_intents queue: it re-verifies every
intent, signs and broadcasts its transactions, waits for finality and writes the audit log.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return badInput(err)
			}
			return runSigner(cmd.Context(), &o)
		},
	}
	o.addFlags(cmd.Flags(), config.Common{Listen: "127.0.0.1:9103"})
	addSignerFlags(cmd, &o)
	return signerSubcommands(cmd)
}
