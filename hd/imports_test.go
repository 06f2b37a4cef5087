package hd_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const (
	modulePath     = "github.com/amanat/amn"
	keyringPackage = modulePath + "/hd/keyring"
)

// mayImportKeyring says which directories (relative to the module root, slash-separated) may
// import hd/keyring, and for what. Widening it widens the set of processes that can hold the
// seed: justify every entry.
func mayImportKeyring(dir, file string) bool {
	switch {
	case dir == "signer" || strings.HasPrefix(dir, "signer/"):
		return true // the signer is the only process that holds the seed
	case dir == "hd/keyring":
		return true // the package itself (and its tests)
	case dir == "hd" && strings.HasSuffix(file, "_test.go"):
		return true // hd's tests compare Deriver and KeyRing
	}
	return false
}

// TestOnlySignerImportsKeyRing parses the imports of every Go file in the module — whatever its
// build tags, test files included, broken or not — and fails when a package outside
// mayImportKeyring imports hd/keyring. cmd/amn reaches the keyring only through signer, which is
// the design: one binary, but only the signer role constructs a KeyRing.
func TestOnlySignerImportsKeyRing(t *testing.T) {
	root := moduleRoot(t)
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "node_modules" || name == "testdata" || name == "vendor" ||
				strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			// A nested module is not part of this one.
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		files++
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			// A file being edited may not parse; its imports may still be readable.
			if f == nil {
				t.Logf("skipping unparsable %s: %v", path, err)
				return nil
			}
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p != keyringPackage && !strings.HasPrefix(p, keyringPackage+"/") {
				continue
			}
			if !mayImportKeyring(rel, filepath.Base(path)) {
				t.Errorf("%s imports %s: only signer/... may hold private keys (see hd/imports_test.go)",
					filepath.Join(rel, filepath.Base(path)), p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("walked only %d Go files from %s: the walk is broken", files, root)
	}
}

// TestImportRuleCatchesOffenders makes sure the rule itself bites.
func TestImportRuleCatchesOffenders(t *testing.T) {
	for _, c := range []struct {
		dir, file string
		ok        bool
	}{
		{"signer", "signer.go", true},
		{"signer/policy", "policy.go", true},
		{"hd/keyring", "keyring.go", true},
		{"hd", "deriver_test.go", true},
		{"hd", "hd.go", false},
		{"api", "handlers.go", false},
		{"indexer", "indexer_test.go", false},
		{"signerx", "x.go", false},
		{"cmd/amn", "main.go", false},
		{"devnet", "anvil.go", false},
		{"payment", "checkout_test.go", false},
	} {
		if got := mayImportKeyring(c.dir, c.file); got != c.ok {
			t.Errorf("mayImportKeyring(%q, %q) = %v, want %v", c.dir, c.file, got, c.ok)
		}
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(b), "module "+modulePath+"\n") {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("module root (go.mod of " + modulePath + ") not found")
		}
		dir = parent
	}
}
