package main

import (
	"bytes"
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
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/amanat/amn/auth"
)

// What starts `amn api` here follows bench/api's server.go (a bench command is its own main
// package, so it cannot import that one).

// anvilXpub is the account xpub of anvil's well-known test mnemonic (public: no key); `amn api`
// needs one, the bench derives no address.
const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

// server is a running `amn api` process on loopback.
type server struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	log  string
	done chan error
}

func buildAmn(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "amn")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/amanat/amn/cmd/amn")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building amn: %w", err)
	}
	return bin, nil
}

// startAPI runs `amn api` on dbURL with access tokens signed by keys (PEM in dir), the global
// rate limit (which also counts WebSocket upgrades) raised, and waits for /readyz.
func startAPI(ctx context.Context, bin, dir, dbURL, redisURL string, keys *auth.KeySet, extra []string) (*server, error) {
	pemKeys, err := keys.MarshalPEM()
	if err != nil {
		return nil, err
	}
	keysFile := filepath.Join(dir, "auth-keys.pem")
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
	args := append([]string{"api", "--database-url", dbURL, "--listen", addr, "--redis-url", redisURL,
		"--auth-keys-file", keysFile, "--xpub", anvilXpub, "--rate-global", "1000000000/1m", "--log-level", "warn"}, extra...)
	cmd := exec.Command(bin, args...)
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
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			s.done <- err
			b, _ := os.ReadFile(s.log)
			if len(b) > 2000 {
				b = b[len(b)-2000:]
			}
			return fmt.Errorf("amn api exited (%v): %s", err, b)
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

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-s.done:
		s.done <- err
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
	}
}

// procCPU is a process's user and system time from /proc/PID/stat.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:])) // utime, stime: fields 12, 13
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * time.Second / 100 // USER_HZ is 100 on Linux
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procMemKB reads a VmRSS / VmHWM style line of /proc/PID/status, in kB.
func procMemKB(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
