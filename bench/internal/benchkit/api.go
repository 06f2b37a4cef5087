package benchkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/amanat/amn/auth"
)

// AnvilXpub is the account xpub of anvil's well-known test mnemonic (public: no key). `amn api`
// needs one; the benchmarks derive no deposit address from it.
const AnvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

// BuildAmn builds cmd/amn into dir (cached by go build after the first time).
func BuildAmn(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "amn")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/amanat/amn/cmd/amn")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building amn: %w", err)
	}
	return bin, nil
}

// APIOptions say how to run `amn api`.
type APIOptions struct {
	Bin, Dir    string // the binary; the directory its keys and log go to
	DatabaseURL string // as amn_api, as in service
	RedisURL    string
	// Keys sign its access tokens; nil generates a set.
	Keys *auth.KeySet
	// RateGlobal raises the global rate limit (the load comes from one IP; it also counts
	// WebSocket upgrades).
	RateGlobal string
	Extra      []string // more flags
}

// API is a running `amn api` process on loopback: the real binary, flags, router, middleware,
// validation and rate limiter.
type API struct {
	Base string // http://127.0.0.1:port
	Log  string // its log file
	cmd  *exec.Cmd
	done chan error
}

// Pid is the process's id.
func (s *API) Pid() int { return s.cmd.Process.Pid }

// StartAPI runs `amn api` and waits for /readyz. Its log goes to Dir/api.log.
func StartAPI(ctx context.Context, o APIOptions) (*API, error) {
	keys := o.Keys
	if keys == nil {
		var err error
		if keys, err = auth.GenerateKeys(); err != nil {
			return nil, err
		}
	}
	pemKeys, err := keys.MarshalPEM()
	if err != nil {
		return nil, err
	}
	keysFile := filepath.Join(o.Dir, "auth-keys.pem")
	if err := os.WriteFile(keysFile, pemKeys, 0o600); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	codeKey := make([]byte, 32)
	_, _ = rand.Read(codeKey)
	args := append([]string{"api", "--database-url", o.DatabaseURL, "--listen", addr, "--redis-url", o.RedisURL,
		"--auth-keys-file", keysFile, "--xpub", AnvilXpub, "--rate-global", o.RateGlobal}, o.Extra...)
	cmd := exec.Command(o.Bin, args...)
	// The code key is a secret of this run only: passed in the environment, never on a command line.
	cmd.Env = append(os.Environ(), "AMN_AUTH_CODE_KEY="+hex.EncodeToString(codeKey))
	logPath := filepath.Join(o.Dir, "api.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	s := &API{cmd: cmd, Base: "http://" + addr, Log: logPath, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait(); logf.Close() }()
	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func (s *API) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(90 * time.Second) // a loaded machine starts it slowly
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			s.done <- err
			b, _ := os.ReadFile(s.Log)
			if len(b) > 2000 {
				b = b[len(b)-2000:]
			}
			return fmt.Errorf("amn api exited (%v): %s", err, b)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := http.Get(s.Base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return errors.New("amn api not ready after 90s; see " + s.Log)
}

// Stop sends SIGINT (a graceful shutdown) and waits, killing it after 20 s.
func (s *API) Stop() {
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-s.done:
		s.done <- err
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
	}
}
