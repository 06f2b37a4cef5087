package bindings

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBindingsAreFresh regenerates every binding into a temporary folder and compares it with the
// committed file, so that a hand edit or a changed ABI fails the build until `make generate` runs.
func TestBindingsAreFresh(t *testing.T) {
	f, err := os.Open("generate.go")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tmp := t.TempDir()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "//go:generate ")
		if !ok {
			continue
		}
		args := strings.Fields(line)
		if strings.HasSuffix(args[0], "forge-build.sh") {
			// A prerequisite (forge build writes out/, which is not committed): run it as
			// go generate would, so that the abigen lines after it read current artifacts.
			if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", line, err, out)
			}
			continue
		}
		if len(args) < 4 || !strings.HasSuffix(args[0], "abigen.sh") {
			t.Fatalf("unexpected generate line %q", line)
		}
		committed := args[3]
		args[3] = filepath.Join(tmp, committed)
		cmd := exec.Command(args[0], args[1:]...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
		want, err := os.ReadFile(args[3])
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(committed)
		if err != nil {
			t.Fatalf("%s is missing: run make generate", committed)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what `make generate` makes: run make generate and commit", committed)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no go:generate lines found")
	}
}
