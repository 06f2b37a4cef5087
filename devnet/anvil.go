// Package devnet runs local chains for tests and `amn dev`: anvil nodes (Foundry, installed from
// npm) with a chosen chain id on loopback ports.
//
// Devnets hold only anvil's well-known test keys; nothing here may ever be pointed at a real
// network.
package devnet

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
)

// AnvilOptions configure one node.
type AnvilOptions struct {
	ChainID uint64
	Port    int // 0 picks a free port
	// SlotsInEpoch, when > 0, makes finality fast: with 1, finalized = head − 2 (TOOLCHAIN.md).
	SlotsInEpoch int
	// BlockTime, when > 0, mines on an interval instead of on every transaction.
	BlockTime time.Duration
	// Hardfork, when set, is anvil's --hardfork (e.g. "prague", which has EIP-7702's set-code
	// transactions); empty takes anvil's default.
	Hardfork string
	// Bin is the anvil binary; empty means FindBinary("anvil").
	Bin string
	// Log receives anvil's own output; nil discards it.
	Log *os.File
}

// Anvil is a running node.
type Anvil struct {
	ChainID uint64
	Port    int
	URL     string // http://127.0.0.1:port (the same port serves WebSocket)
	cmd     *exec.Cmd
	done    chan struct{}
}

// StartAnvil starts a node and waits until it answers JSON-RPC with the right chain id.
func StartAnvil(ctx context.Context, o AnvilOptions) (*Anvil, error) {
	bin := o.Bin
	if bin == "" {
		var err error
		if bin, err = FindBinary("anvil"); err != nil {
			return nil, err
		}
	}
	port := o.Port
	if port == 0 {
		var err error
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	args := []string{"--host", "127.0.0.1", "--port", strconv.Itoa(port), "--chain-id", strconv.FormatUint(o.ChainID, 10)}
	if o.SlotsInEpoch > 0 {
		args = append(args, "--slots-in-an-epoch", strconv.Itoa(o.SlotsInEpoch))
	}
	if o.BlockTime > 0 {
		args = append(args, "--block-time", strconv.FormatFloat(o.BlockTime.Seconds(), 'f', -1, 64))
	}
	if o.Hardfork != "" {
		args = append(args, "--hardfork", o.Hardfork)
	}
	cmd := exec.Command(bin, args...)
	// Its own process group, so that stopping it never leaves a child behind and a Ctrl-C in a
	// terminal reaches it only through us.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if o.Log != nil {
		cmd.Stdout, cmd.Stderr = o.Log, o.Log
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting anvil: %w", err)
	}
	a := &Anvil{ChainID: o.ChainID, Port: port, URL: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(a.done) }()
	if err := a.waitReady(ctx); err != nil {
		a.Stop()
		return nil, err
	}
	return a, nil
}

func (a *Anvil) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for {
		c, err := ethclient.DialContext(ctx, a.URL)
		if err == nil {
			id, err := c.ChainID(ctx)
			c.Close()
			if err == nil && id.Uint64() == a.ChainID {
				return nil
			}
		}
		select {
		case <-a.done:
			return fmt.Errorf("anvil (chain %d, port %d) exited at start; is the port taken?", a.ChainID, a.Port)
		case <-ctx.Done():
			return fmt.Errorf("anvil (chain %d) did not answer on %s: %w", a.ChainID, a.URL, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop ends the node and waits for it to be gone.
func (a *Anvil) Stop() {
	select {
	case <-a.done:
		return
	default:
	}
	_ = syscall.Kill(-a.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-a.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-a.cmd.Process.Pid, syscall.SIGKILL)
		<-a.done
	}
}

// Pid is the node's process id.
func (a *Anvil) Pid() int { return a.cmd.Process.Pid }

// FindBinary locates a Foundry binary (anvil, forge, cast): $AMN_<NAME>_BIN, then the npm
// package under node_modules in this directory or any parent, then $PATH.
func FindBinary(name string) (string, error) {
	if p := os.Getenv("AMN_" + upper(name) + "_BIN"); p != "" {
		return p, nil
	}
	dir, err := os.Getwd()
	if err == nil {
		for {
			p := filepath.Join(dir, "node_modules", "@foundry-rs", name+"-linux-amd64", "bin", name)
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", errors.New(name + " not found: run `make setup` (npm ci installs Foundry) or set AMN_" + upper(name) + "_BIN")
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
