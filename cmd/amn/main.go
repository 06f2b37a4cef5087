// Command amn is Amn escrow's one binary. Each process role (api, indexer, worker, signer, dev) is
// a subcommand; this package only parses settings, wires dependencies and runs them.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/redis/go-redis/v9"

	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ops"
)

func main() {
	// go-redis logs dial retries on its own; the process reports one clear line instead.
	redis.SetLogger(quietRedis{})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile, err := startCPUProfile(os.Getenv("AMN_CPU_PROFILE"))
	if err == nil {
		err = newRootCmd().ExecuteContext(ctx)
		stopProfile()
	}
	stop()
	os.Exit(exitCode(err))
}

// startCPUProfile writes a CPU profile of the whole process to path until the returned function
// is called: for benchmarks (`AMN_CPU_PROFILE=api.prof go run ./bench/api …`, docs/benchmarks.md).
// An empty path profiles nothing.
func startCPUProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, badInput(fmt.Errorf("AMN_CPU_PROFILE: %w", err))
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, badInput(fmt.Errorf("AMN_CPU_PROFILE: %w", err))
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

// exitError carries the process exit status with its one-line message.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// badInput marks a problem with settings or with a dependency needed at start: the process exits
// with status 2 and one line that names the setting or the dependency.
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: 2, err: err}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(os.Stderr, "amn: "+ops.MaskURLs(err.Error()))
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	// A request the asker can act on (invalid, not found, conflict, refused: package kind) is
	// bad input; anything else is a failure.
	if kind.ByClient(err) {
		return 2
	}
	return 1
}
