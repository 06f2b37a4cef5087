package main

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

// anvilXpub is the account xpub of anvil's well-known test mnemonic (public: no key). The bench
// accepts no offer, so no deposit address is ever derived from it; `amn api` only needs one.
const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

// server is a running `amn api` process: the real binary, flags, router, middleware, validation
// and rate limiter, on loopback.
type server struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	log  string // its log file
	done chan error
}

// buildAmn builds cmd/amn into dir (cached by go build after the first time).
func buildAmn(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "amn")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/amanat/amn/cmd/amn")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building amn: %w", err)
	}
	return bin, nil
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startAPI runs `amn api` on dbURL (working as amn_api, as in service) with the rate limits
// raised to rateGlobal (the load comes from one IP) in Redis database redisURL, and waits for
// /readyz. Its JSON log (an access line per request, as in service) goes to dir/api.log.
func startAPI(ctx context.Context, bin, dir, dbURL, redisURL, rateGlobal string, extra []string) (*server, error) {
	ks, err := auth.GenerateKeys()
	if err != nil {
		return nil, err
	}
	pemKeys, err := ks.MarshalPEM()
	if err != nil {
		return nil, err
	}
	keys := filepath.Join(dir, "auth-keys.pem")
	if err := os.WriteFile(keys, pemKeys, 0o600); err != nil {
		return nil, err
	}
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	codeKey := make([]byte, 32)
	_, _ = rand.Read(codeKey)
	args := append([]string{"api", "--database-url", dbURL, "--listen", addr, "--redis-url", redisURL,
		"--auth-keys-file", keys, "--xpub", anvilXpub, "--rate-global", rateGlobal}, extra...)
	cmd := exec.Command(bin, args...)
	// The code key is a secret of this run only: passed in the environment, never on a command line.
	cmd.Env = append(os.Environ(), "AMN_AUTH_CODE_KEY="+hex.EncodeToString(codeKey))
	logPath := filepath.Join(dir, "api.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://" + addr, log: logPath, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait(); logf.Close() }()
	if err := s.waitReady(ctx); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func (s *server) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(90 * time.Second) // a loaded machine starts it slowly
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			s.done <- err
			b, _ := os.ReadFile(s.log)
			return fmt.Errorf("amn api exited (%v): %s", err, tail(b, 2000))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return errors.New("amn api not ready after 90s; see " + s.log)
}

// stop sends SIGINT (a graceful shutdown) and waits.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-s.done:
		s.done <- err
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
	}
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
