package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/payment"
)

// custodyOptions are the settings every custody command shares.
type custodyOptions struct {
	dbOptions
	// RequireHardware refuses software keys (AMN_CUSTODY_REQUIRE_HARDWARE), as the signer does.
	RequireHardware bool
	// ChainConfig is the chain config file the signer and admin commands read: where --escrow and
	// --rpc-url are not given, its escrow and first endpoint for the chain are used.
	ChainConfig string
}

// lookupChain returns the configuration of --chain keyOrID from the built-in mainnets and the
// --chain-config file; what it cannot find is bad input.
func lookupChain(chainConfig, keyOrID string) (chain.Config, error) {
	reg, err := chain.LoadRegistry(chainConfig)
	if err != nil {
		return chain.Config{}, badInput(err)
	}
	c, err := reg.Get(keyOrID)
	if err != nil {
		return chain.Config{}, badInput(fmt.Errorf("--chain: %w", err))
	}
	return c, nil
}

// chainFor returns the configuration of chain keyOrID (the built-in mainnets over which
// --chain-config is read) and fills *escrowFlag and *rpcFlag from it where they are empty.
func (o *custodyOptions) chainFor(keyOrID string, escrowFlag, rpcFlag *string) (chain.Config, error) {
	c, err := lookupChain(o.ChainConfig, keyOrID)
	if err != nil {
		return chain.Config{}, err
	}
	if escrowFlag != nil && *escrowFlag == "" && c.Escrow != (common.Address{}) {
		*escrowFlag = c.Escrow.Hex()
	}
	if rpcFlag != nil && *rpcFlag == "" && len(c.Endpoints) > 0 {
		*rpcFlag = c.Endpoints[0]
	}
	return c, nil
}

func newCustodyCmd() *cobra.Command {
	var o custodyOptions
	cmd := &cobra.Command{
		Use:   "custody",
		Short: "Custodians: enrol a Trezor, compare the custodian set, list and approve releases and refunds",
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&o.DatabaseURL, "database-url", "", "PostgreSQL URL")
	pf.BoolVar(&o.RequireHardware, "custody-require-hardware", false, "refuse software keys: approvals only from custodians enrolled on a hardware wallet")
	pf.StringVar(&o.ChainConfig, "chain-config", "", "chain config file: the escrow and a node per chain, used where --escrow and --rpc-url are not given")
	cmd.AddCommand(newCustodyEnrollCmd(&o), newCustodyListCmd(&o), newCustodyPendingCmd(&o), newCustodyApproveCmd(&o))
	return cmd
}

// custodyKeyOptions say where a custodian's key is: a Trezor (through the Bridge or over UDP to
// an emulator) or, on devnets only, a software key from a mnemonic file.
type custodyKeyOptions struct {
	Trezor       bool
	UDP          string
	Bridge       string
	BridgeDevice string
	Steal        bool
	SoftwareKey  string
	Path         string
	Liveness     time.Duration
}

func (k *custodyKeyOptions) addFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&k.Trezor, "trezor", false, "use a Trezor (through Trezor Bridge unless --udp is given)")
	fs.StringVar(&k.UDP, "udp", "", "talk to a Trezor emulator over UDP at host:port (e.g. 127.0.0.1:21324)")
	fs.StringVar(&k.Bridge, "bridge", "", "Trezor Bridge URL (default "+hwwallet.DefaultBridgeURL+")")
	fs.StringVar(&k.BridgeDevice, "bridge-device", "", "the Bridge's device path when several are connected")
	fs.BoolVar(&k.Steal, "steal", false, "take the Trezor even when another program (Trezor Suite) holds it")
	fs.StringVar(&k.SoftwareKey, "software-key", "", "file with a BIP39 mnemonic: a software key, for devnets only")
	fs.StringVar(&k.Path, "path", hwwallet.DefaultPath.String(), "BIP32 derivation path of the custodian's address")
	fs.DurationVar(&k.Liveness, "trezor-liveness", 0, "UDP only: silence after which the device is pinged (default 2s)")
	_ = fs.MarkHidden("trezor-liveness")
}

func (k *custodyKeyOptions) Validate(requireHardware bool) error {
	switch {
	case k.Trezor && k.SoftwareKey != "":
		return fmt.Errorf("%w: choose one of --trezor and --software-key", config.ErrInvalid)
	case !k.Trezor && k.SoftwareKey == "":
		return fmt.Errorf("%w: say where the custodian's key is: --trezor (or --software-key FILE on a devnet)", config.ErrInvalid)
	case k.SoftwareKey != "" && requireHardware:
		return fmt.Errorf("--software-key is refused: %w; approve on a Trezor (--trezor)", custody.ErrSoftwareKey)
	case (k.UDP != "" || k.Bridge != "" || k.BridgeDevice != "" || k.Steal) && !k.Trezor:
		return fmt.Errorf("%w: --udp, --bridge, --bridge-device and --steal go with --trezor", config.ErrInvalid)
	case k.UDP != "" && (k.Bridge != "" || k.BridgeDevice != "" || k.Steal):
		return fmt.Errorf("%w: --udp talks to an emulator directly; --bridge, --bridge-device and --steal are for Trezor Bridge", config.ErrInvalid)
	}
	if _, err := hwwallet.ParsePath(k.Path); err != nil {
		return fmt.Errorf("%w: --path: %v", config.ErrInvalid, err)
	}
	return nil
}

// custodyKey is an opened key: a device or a software signer.
type custodyKey struct {
	signer   hwwallet.Signer
	dev      *hwwallet.Device // nil for a software key
	path     hwwallet.Path
	hardware bool
	desc     string
}

func (k *custodyKey) close() {
	if k.dev != nil {
		_ = k.dev.Close()
	}
}

// terminal asks the person at the keyboard: prompts go to stderr, answers come from stdin, a
// line each. Reads end with the context.
type terminal struct {
	mu  sync.Mutex
	in  *bufio.Reader
	tty *os.File // the input when it is a terminal: secrets are read from it without echo
	out io.Writer
}

// newTerminal asks on out and reads answers from in; when in is a terminal, secrets (the PIN's
// positions, the passphrase) are typed without echo.
func newTerminal(in io.Reader, out io.Writer) *terminal {
	t := &terminal{in: bufio.NewReader(in), out: out}
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		t.tty = f
	}
	return t
}

// readSecret reads one line from the terminal f without echoing it.
func readSecret(f *os.File) (string, error) {
	b, err := term.ReadPassword(int(f.Fd()))
	return string(b), err
}

// askSecret is ask for a secret: without echo on a terminal.
func (t *terminal) askSecret(ctx context.Context, prompt string) (string, error) {
	return t.read(ctx, prompt, t.tty != nil)
}

func (t *terminal) read(ctx context.Context, prompt string, secret bool) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprint(t.out, prompt)
	type answer struct {
		s   string
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		if secret {
			s, err := readSecret(t.tty)
			fmt.Fprintln(t.out) // the Enter that was not echoed
			ch <- answer{s, err}
			return
		}
		s, err := t.in.ReadString('\n')
		if err == io.EOF && s != "" {
			err = nil
		}
		ch <- answer{strings.TrimRight(s, "\r\n"), err}
	}()
	select {
	case a := <-ch:
		if a.err != nil {
			fmt.Fprintln(t.out)
			return "", fmt.Errorf("%w: %w", errNoAnswer, a.err)
		}
		return a.s, nil
	case <-ctx.Done():
		fmt.Fprintln(t.out)
		return "", ctx.Err()
	}
}

// errNoAnswer: standard input ended before the person answered.
var errNoAnswer = errors.New("no answer on standard input")

func (k *custodyKeyOptions) open(ctx context.Context, cmd *cobra.Command) (*custodyKey, error) {
	path, _ := hwwallet.ParsePath(k.Path) // validated
	errw := cmd.ErrOrStderr()
	if k.SoftwareKey != "" {
		raw, err := os.ReadFile(k.SoftwareKey)
		if err != nil {
			return nil, badInput(fmt.Errorf("--software-key: %v", err))
		}
		s, err := hwwallet.NewSoftwareSigner(strings.Join(strings.Fields(string(raw)), " "), "")
		if err != nil {
			return nil, badInput(fmt.Errorf("--software-key %s: %v", k.SoftwareKey, err))
		}
		fmt.Fprintln(errw, "warning: a software key (devnets only): this approval is not made on a hardware wallet")
		return &custodyKey{signer: s, path: path, desc: "software key " + k.SoftwareKey}, nil
	}
	tm := newTerminal(cmd.InOrStdin(), errw)
	opened, err := hwwallet.Open(ctx, hwwallet.OpenOptions{UDP: k.UDP, Liveness: k.Liveness, Bridge: k.Bridge,
		Path: k.BridgeDevice, Steal: k.Steal}, hwwallet.DeviceOptions{
		PIN: func(ctx context.Context, _ hwwallet.PinMatrixRequestType) (string, error) {
			return tm.askSecret(ctx, "The Trezor asks for its PIN. It shows a scrambled keypad; type the positions of your digits\n"+
				"as on a numeric keypad (7 8 9 top row, 4 5 6 middle, 1 2 3 bottom), then Enter: ")
		},
		Passphrase: func(ctx context.Context) (string, error) {
			return tm.askSecret(ctx, "The Trezor asks for the wallet passphrase (a different passphrase is a different wallet): ")
		},
		Button: func(hwwallet.ButtonRequest) { fmt.Fprintln(errw, "Confirm on your Trezor…") },
	})
	var oe *hwwallet.OpenError
	if errors.As(err, &oe) {
		return nil, deviceError(oe.Op, oe.Err)
	}
	if err != nil {
		return nil, deviceError("opening the Trezor", err)
	}
	return &custodyKey{signer: opened.Device, dev: opened.Device, path: path, hardware: true, desc: opened.Name}, nil
}

// deviceError says what went wrong at the device in words a custodian can act on.
func deviceError(op string, err error) error {
	var say string
	switch {
	case errors.Is(err, errNoAnswer):
		say = "nothing was typed (standard input closed): the Trezor's request was cancelled, nothing was signed"
	case errors.Is(err, hwwallet.ErrCancelled):
		say = "cancelled on the Trezor: nothing was signed"
	case errors.Is(err, hwwallet.ErrDeviceGone):
		say = "the Trezor stopped answering (unplugged, or the emulator closed): nothing was signed or submitted"
	case errors.Is(err, hwwallet.ErrPINInvalid):
		say = "wrong PIN: nothing was signed (the Trezor counts failed attempts)"
	case errors.Is(err, hwwallet.ErrBusy):
		say = "the Trezor is busy: another program (Trezor Suite?) holds it; close it or pass --steal"
	case errors.Is(err, hwwallet.ErrNoDevice), errors.Is(err, hwwallet.ErrManyDevices):
		return badInput(fmt.Errorf("%s: no single Trezor found: %w", op, err))
	case errors.Is(err, hwwallet.ErrUnsupported):
		say = "the Trezor does not support this (old firmware?)"
	case errors.Is(err, hwwallet.ErrWrongSignature):
		say = "the Trezor signed something other than the terms shown here: refused, nothing was submitted"
	case errors.Is(err, hwwallet.ErrEnrollment):
		return badInput(fmt.Errorf("%s: %w", op, err))
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		say = "stopped waiting for the Trezor: nothing was submitted"
	default:
		return fmt.Errorf("%s: %w", op, err)
	}
	return fmt.Errorf("%s: %s (%w)", op, say, err)
}

// newCustody wires the custody service on pool.
func newCustody(pool *pgxpool.Pool) *custody.Service {
	payments := payment.New(pool, nil)
	return custody.New(pool, intent.NewStore(pool, payments, nil), payments)
}

// dialRPC dials the node --rpc-url names.
func dialRPC(ctx context.Context, rpcURL string) (*ethclient.Client, error) {
	c, err := ethclient.DialContext(ctx, rpcURL)
	if err != nil {
		return nil, badInput(fmt.Errorf("--rpc-url %s: %v", config.MaskURL(rpcURL), err))
	}
	return c, nil
}

// readChain dials rpcURL and reads the custodian set of contract.
func readChain(ctx context.Context, rpcURL string, contract common.Address, chainID uint64) (*custody.OnChain, error) {
	c, err := dialRPC(ctx, rpcURL)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	on, err := custody.ReadOnChain(ctx, c, contract, chainID)
	if err != nil {
		return nil, badInput(fmt.Errorf("%v (--rpc-url %s)", err, config.MaskURL(rpcURL)))
	}
	return on, nil
}

type custodyEnrollOptions struct {
	Key    custodyKeyOptions
	Chain  string
	Escrow string
	RPCURL string
	Label  string
}

func (o *custodyEnrollOptions) Validate(requireHardware bool) error {
	if err := o.Key.Validate(requireHardware); err != nil {
		return err
	}
	if o.Chain == "" {
		return fmt.Errorf("%w: --chain is required (eth, bsc, polygon or a chain id)", config.ErrInvalid)
	}
	if !common.IsHexAddress(o.Escrow) {
		return fmt.Errorf("%w: --escrow must be the AmnEscrow contract's 0x address", config.ErrInvalid)
	}
	if o.RPCURL != "" {
		return config.ValidateRPCURL("rpc-url", o.RPCURL)
	}
	return nil
}

func newCustodyEnrollCmd(co *custodyOptions) *cobra.Command {
	var o custodyEnrollOptions
	cmd := &cobra.Command{
		Use:   "enroll --trezor --chain CHAIN --escrow ADDRESS",
		Short: "Prove control of a custodian address on its Trezor (it signs a server challenge) and record it as hardware-held",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var ch chain.Config
			if o.Chain != "" {
				var err error
				if ch, err = co.chainFor(o.Chain, &o.Escrow, &o.RPCURL); err != nil {
					return err
				}
			}
			if err := o.Validate(co.RequireHardware); err != nil {
				return badInput(err)
			}
			d := escrow.Domain{ChainID: ch.ID, Contract: common.HexToAddress(o.Escrow)}
			ctx, out := cmd.Context(), cmd.OutOrStdout()
			pool, err := co.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			k := custody.EnrollKey{Domain: d, Label: o.Label}
			if o.RPCURL != "" {
				if k.OnChain, err = readChain(ctx, o.RPCURL, d.Contract, d.ChainID); err != nil {
					return err
				}
			}
			key, err := o.Key.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer key.close()
			k.Key, k.Path, k.Device, k.Hardware, k.Desc = key.signer, key.path, key.dev, key.hardware, key.desc
			got, err := newCustody(pool).EnrollWith(ctx, k, custody.EnrollSteps{
				Address: func(addr common.Address) {
					fmt.Fprintf(out, "%s, address at %s: %s\n", key.desc, key.path, addr.Hex())
					if key.dev != nil {
						fmt.Fprintln(out, "Check that the Trezor shows the same address, and confirm it there.")
					}
				},
				Statement: func(text string, until time.Time) {
					fmt.Fprintf(out, "Sign the enrolment statement (challenge valid until %s); the Trezor shows:\n\n%s\n\n",
						until.UTC().Format(time.RFC3339), indent(text))
				},
			})
			var de *custody.DeviceError
			if errors.As(err, &de) {
				return deviceError(de.Op, de.Err)
			}
			if err != nil {
				return err
			}
			held := "hardware-held"
			if !got.Hardware {
				held = "NOT hardware-held (software key)"
			}
			fmt.Fprintf(out, "enrolled %s as a custodian, %s, for AmnEscrow %s on chain %d\n", got.Address.Hex(), held, d.Contract.Hex(), d.ChainID)
			if got.OnChain != nil && !*got.OnChain {
				fmt.Fprintf(out, "note: %s is not (yet) a custodian of %s on chain: its approvals count once the contract's custodian set includes it\n",
					got.Address.Hex(), d.Contract.Hex())
			}
			return nil
		},
	}
	o.Key.addFlags(cmd.Flags())
	f := cmd.Flags()
	f.StringVar(&o.Chain, "chain", "", "the escrow's chain: eth, bsc, polygon or a chain id")
	f.StringVar(&o.Escrow, "escrow", "", "the AmnEscrow contract the custodian is enrolled for (default: the chain's in --chain-config)")
	f.StringVar(&o.RPCURL, "rpc-url", "", "optional: a node of the chain, to check the chain id and the on-chain custodian set (default: --chain-config's first endpoint)")
	f.StringVar(&o.Label, "label", "", "a name for the custodian (shown in lists)")
	return cmd
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }

type custodyListOptions struct {
	Chain  string
	RPCURL string
	Escrow string
	JSON   bool
}

func (o *custodyListOptions) Validate() error {
	if (o.RPCURL == "") != (o.Escrow == "") {
		return fmt.Errorf("%w: --rpc-url and --escrow go together (the chain's node and its AmnEscrow)", config.ErrInvalid)
	}
	if o.Escrow != "" && !common.IsHexAddress(o.Escrow) {
		return fmt.Errorf("%w: --escrow must be the AmnEscrow contract's 0x address", config.ErrInvalid)
	}
	if o.RPCURL != "" {
		return config.ValidateRPCURL("rpc-url", o.RPCURL)
	}
	return nil
}

func newCustodyListCmd(co *custodyOptions) *cobra.Command {
	var o custodyListOptions
	cmd := &cobra.Command{
		Use:   "list [--rpc-url URL --escrow ADDRESS | --chain-config FILE --chain CHAIN]",
		Short: "Show the custodian set on chain and in the database, flagging every difference",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.Chain != "" {
				if _, err := co.chainFor(o.Chain, &o.Escrow, &o.RPCURL); err != nil {
					return err
				}
			}
			if err := o.Validate(); err != nil {
				return badInput(err)
			}
			ctx, out := cmd.Context(), cmd.OutOrStdout()
			pool, err := co.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			enrolled, err := newCustody(pool).List(ctx)
			if err != nil {
				return err
			}
			if enrolled == nil {
				enrolled = []custody.Custodian{}
			}
			if o.RPCURL == "" {
				if o.JSON {
					return printJSON(out, map[string]any{"custodians": enrolled, "on_chain": nil})
				}
				w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ADDRESS\tHARDWARE\tLABEL\tENROLLED\tFOR\tDEVICE")
				for _, c := range enrolled {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Address.Hex(), yesNo(c.Hardware), c.Label,
						c.EnrolledAt.UTC().Format(time.RFC3339), escrowName(c.ChainID, c.Contract), c.Device)
				}
				if err := w.Flush(); err != nil {
					return err
				}
				fmt.Fprintln(out, "\non-chain set not read: pass --rpc-url and --escrow to compare it with the database")
				return nil
			}
			on, err := readChain(ctx, o.RPCURL, common.HexToAddress(o.Escrow), 0)
			if err != nil {
				return err
			}
			cmp := custody.Compare(on, enrolled)
			if o.JSON {
				return printJSON(out, cmp)
			}
			fmt.Fprintf(out, "AmnEscrow %s on chain %d: %d custodians, threshold %d; %d enrolled as hardware-held\n\n",
				on.Contract.Hex(), on.ChainID, len(on.Custodians), on.Threshold, cmp.HardwareCustodians)
			w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ADDRESS\tON CHAIN\tENROLLED\tHARDWARE\tLABEL\tDIFFERENCE")
			for _, r := range cmp.Rows {
				flags := "-"
				if len(r.Flags) > 0 {
					flags = "! " + strings.Join(r.Flags, "; ")
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Address.Hex(), yesNo(r.OnChain), yesNo(r.Enrolled), yesNo(r.Hardware), r.Label, flags)
			}
			if err := w.Flush(); err != nil {
				return err
			}
			for _, p := range cmp.Problems {
				fmt.Fprintln(out, "\n! "+p)
			}
			if !cmp.Differs() {
				fmt.Fprintln(out, "\nno differences")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&o.Chain, "chain", "", "compare on this chain, its escrow and node from --chain-config")
	cmd.Flags().StringVar(&o.RPCURL, "rpc-url", "", "a node of the escrow's chain")
	cmd.Flags().StringVar(&o.Escrow, "escrow", "", "the AmnEscrow contract")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON instead of a table")
	return cmd
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func escrowName(chainID uint64, contract common.Address) string {
	if chainID == 0 {
		return "-"
	}
	return fmt.Sprintf("%d:%s", chainID, contract.Hex())
}

func newCustodyPendingCmd(co *custodyOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "pending",
		Short: "List releases and refunds waiting for custodian approvals, with what each pays to whom",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, out := cmd.Context(), cmd.OutOrStdout()
			pool, err := co.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			ps, err := newCustody(pool).Pending(ctx)
			if err != nil {
				return err
			}
			if asJSON {
				if ps == nil {
					ps = []custody.Pending{}
				}
				return printJSON(out, ps)
			}
			if len(ps) == 0 {
				fmt.Fprintln(out, "nothing is waiting for approvals")
				return nil
			}
			for i := range ps {
				if i > 0 {
					fmt.Fprintln(out)
				}
				printIntent(out, &ps[i])
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// printIntent shows what an approval of p would authorise.
func printIntent(out io.Writer, p *custody.Pending) {
	in := p.Intent
	fmt.Fprintf(out, "%s %s  (%s)\n", in.Kind, in.ID, in.State)
	fmt.Fprintf(out, "  payment   %s\n", in.PaymentID)
	fmt.Fprintf(out, "  escrow    AmnEscrow %s on chain %d\n", in.Contract.Hex(), in.ChainID)
	sym := ""
	if p.Symbol != "" {
		sym = " (" + p.Symbol + ")"
	}
	fmt.Fprintf(out, "  token     %s%s\n", in.Token.Hex(), sym)
	for i, po := range p.Payouts {
		label := "  pays     "
		if i > 0 {
			label = "           "
		}
		fmt.Fprintf(out, "%s %-7s %s  %s\n", label, po.Role, po.To.Hex(), p.Format(po.Amount))
	}
	if in.Kind == intent.Settle {
		// A split: the parts together are the whole escrow; the custodian checks both.
		total := new(big.Int)
		for _, po := range p.Payouts {
			if po.Amount != nil {
				total.Add(total, po.Amount)
			}
		}
		fmt.Fprintf(out, "  split     %s in all: the whole escrow, buyer + seller + fee\n", p.Format(total))
	}
	if in.ResolvesDispute {
		fmt.Fprintln(out, "  resolves a dispute")
	}
	fmt.Fprintf(out, "  deadline  %s\n", time.Unix(in.Deadline, 0).UTC().Format(time.RFC3339))
	fmt.Fprintf(out, "  requested by %s at %s\n", in.RequestedBy, in.CreatedAt.UTC().Format(time.RFC3339))
	if len(p.Approvals) == 0 {
		fmt.Fprintln(out, "  approvals none yet")
	}
	for i, a := range p.Approvals {
		label := "  approvals"
		if i > 0 {
			label = "           "
		}
		fmt.Fprintf(out, "%s %s\n", label, a.Hex())
	}
}

type custodyApproveOptions struct {
	Key    custodyKeyOptions
	RPCURL string
}

func (o *custodyApproveOptions) Validate(requireHardware bool) error {
	if err := o.Key.Validate(requireHardware); err != nil {
		return err
	}
	if o.RPCURL != "" {
		return config.ValidateRPCURL("rpc-url", o.RPCURL)
	}
	return nil
}

func newCustodyApproveCmd(co *custodyOptions) *cobra.Command {
	var o custodyApproveOptions
	cmd := &cobra.Command{
		Use:   "approve INTENT --trezor",
		Short: "Show a release or refund, sign it on the Trezor, check the signature and submit it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := uuid.Parse(args[0])
			if err != nil {
				return badInput(fmt.Errorf("intent id %q: %v", args[0], err))
			}
			if err := o.Validate(co.RequireHardware); err != nil {
				return badInput(err)
			}
			ctx, out := cmd.Context(), cmd.OutOrStdout()
			pool, err := co.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			svc := newCustody(pool)
			req := custody.ApproveRequest{Intent: id, Options: custody.ApproveOptions{RequireHardware: co.RequireHardware, Hardware: o.Key.Trezor}}
			if co.ChainConfig != "" {
				// The intent's chain names the configured escrow and, without --rpc-url, the node.
				in, err := svc.Intent(ctx, id)
				if err != nil {
					return err
				}
				c, err := co.chainFor(strconv.FormatUint(in.Intent.ChainID, 10), nil, &o.RPCURL)
				if err != nil {
					return err
				}
				req.Escrow = c.Escrow
			}
			if o.RPCURL != "" {
				node, err := dialRPC(ctx, o.RPCURL)
				if err != nil {
					return err
				}
				defer node.Close()
				req.Chain = node
			}
			p, err := svc.Prepare(ctx, req)
			if p != nil {
				printIntent(out, p.Pending)
				fmt.Fprintln(out)
			}
			var ne *custody.NodeError
			if errors.As(err, &ne) {
				return badInput(fmt.Errorf("%v (--rpc-url %s)", ne.Err, config.MaskURL(o.RPCURL)))
			}
			if err != nil {
				return err
			}
			key, err := o.Key.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer key.close()
			in := p.Intent
			var approver common.Address
			after, err := svc.SignAndApprove(ctx, p, key.signer, key.path, func(addr common.Address) {
				approver = addr
				how := "the Trezor shows every field above; compare them before you confirm"
				if key.dev != nil {
					if meth, err := key.dev.Method(ctx); err == nil && meth == hwwallet.HashSign {
						digest, _ := in.Digest()
						how = fmt.Sprintf("this Trezor One shows only hashes: the digest is %s", digest.Hex())
					}
				} else {
					how = "signing with the software key"
				}
				fmt.Fprintf(out, "Approving as %s (%s): %s.\n", addr.Hex(), key.desc, how)
			})
			var de *custody.DeviceError
			if errors.As(err, &de) {
				return deviceError(de.Op, de.Err)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", key.desc, err)
			}
			fmt.Fprintf(out, "approval by %s stored for %s %s: %d approval(s) so far", approver.Hex(), in.Kind, id, len(after.Approvals))
			if p.Options.OnChain != nil {
				fmt.Fprintf(out, ", the contract needs %d", p.Options.OnChain.Threshold)
			}
			fmt.Fprintln(out, "; the signer submits it once it has a quorum")
			return nil
		},
	}
	o.Key.addFlags(cmd.Flags())
	cmd.Flags().StringVar(&o.RPCURL, "rpc-url", "", "optional: a node of the intent's chain, to check the signer is a custodian on chain (default: --chain-config's first endpoint)")
	return cmd
}
