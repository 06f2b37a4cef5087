// Package ferrettest runs a real MongoDB wire-protocol server for tests: FerretDB v1.24.2 (built
// once by scripts/ferretdb.sh into .tools/bin) with its SQLite handler in a temporary folder, on
// a free loopback port, stopped when the test ends.
//
// It owns nothing of the platform's; only tests may import it.
package ferrettest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Server is a running FerretDB.
type Server struct {
	URI string // mongodb://127.0.0.1:PORT/
}

var buildOnce sync.Once

// binary returns the FerretDB binary, building it (scripts/ferretdb.sh) when it is missing.
func binary(t testing.TB) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, ".tools", "bin", "ferretdb")
	var buildErr error
	buildOnce.Do(func() {
		cmd := exec.Command(filepath.Join(root, "scripts", "ferretdb.sh"))
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("scripts/ferretdb.sh: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return bin
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("ferrettest: no go.mod above the working directory")
		}
		dir = parent
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start runs a FerretDB for the test and waits until it answers a ping (or fails the test after
// a minute). It is stopped, and its files removed, when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := binary(t)
	dir := t.TempDir()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	logf, err := os.Create(filepath.Join(dir, "ferretdb.log"))
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--handler=sqlite", "--sqlite-url=file:"+data+"/", "--listen-addr="+addr,
		"--debug-addr=127.0.0.1:0", "--state-dir="+dir, "--telemetry=disable", "--log-level=warn")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		logf.Close()
	})
	s := &Server{URI: "mongodb://" + addr + "/"}
	deadline := time.Now().Add(time.Minute)
	for {
		select {
		case err := <-exited:
			exited <- err
			log, _ := os.ReadFile(logf.Name())
			t.Fatalf("ferrettest: ferretdb exited: %v\n%s", err, log)
		default:
		}
		if err := s.ping(); err == nil {
			return s
		} else if time.Now().After(deadline) {
			t.Fatalf("ferrettest: ferretdb on %s not answering: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond) // polling for the server to come up, with a deadline
	}
}

func (s *Server) ping() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c, err := mongo.Connect(options.Client().ApplyURI(s.URI).SetServerSelectionTimeout(time.Second))
	if err != nil {
		return err
	}
	defer c.Disconnect(ctx) //nolint:errcheck // a probe
	return c.Database("admin").RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err()
}

// Client connects to the server; it is disconnected when the test ends.
func (s *Server) Client(t testing.TB) *mongo.Client {
	t.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(s.URI))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	return c
}

// DatabaseName is a database name for the test (FerretDB's SQLite handler keeps each in a file).
func DatabaseName(t testing.TB) string {
	n := strings.NewReplacer("/", "_", " ", "_", "-", "_").Replace(t.Name())
	if len(n) > 40 {
		n = n[:40]
	}
	return "t_" + n
}
