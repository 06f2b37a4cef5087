// Package rnartifacts gives Request Network's fee proxy ABIs to the binary and their bytecode to
// tests and devnets, both taken from the real `@requestnetwork/smart-contracts` npm package.
//
// The ABIs are extracted by `go generate` (a small program in ./gen) into abi_gen.go, which is
// committed, so the binary never reads node_modules. Bytecode is needed only where contracts are
// deployed (tests, `amn dev`) and is read from node_modules at that time; it is never copied into
// the repository.
package rnartifacts

//go:generate go run ./gen

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Package is the npm package the artifacts come from.
const Package = "@requestnetwork/smart-contracts"

// Contract names whose ABI the generator extracts.
const (
	ERC20FeeProxy    = "ERC20FeeProxy"
	EthereumFeeProxy = "EthereumFeeProxy"
)

// ErrNotFound: node_modules, the package, or the contract is missing (run `make setup`).
var ErrNotFound = errors.New("rnartifacts: not found")

// PackageDir locates node_modules/@requestnetwork/smart-contracts in the working directory or
// one of its parents.
func PackageDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "node_modules", filepath.FromSlash(Package))
		if st, err := os.Stat(filepath.Join(p, "package.json")); err == nil && !st.IsDir() {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w: node_modules/%s above the working directory; run `make setup`", ErrNotFound, Package)
		}
		dir = parent
	}
}

// PackageVersion reads the installed package's version.
func PackageVersion(pkgDir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(pkgDir, "package.json"))
	if err != nil {
		return "", err
	}
	var p struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return "", fmt.Errorf("rnartifacts: %s/package.json: %w", Package, err)
	}
	return p.Version, nil
}

// ReadABI reads a contract's ABI (compact JSON) from the package's artifacts,
// dist/src/lib/artifacts/<name>/0.1.0.json. For both fee proxies every deployed version (0.1.0
// and 0.2.0) uses that one ABI file (see the artifact's index.js).
func ReadABI(pkgDir, name string) ([]byte, error) {
	p := filepath.Join(pkgDir, "dist", "src", "lib", "artifacts", name, "0.1.0.json")
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: artifact %s", ErrNotFound, p)
	}
	if err != nil {
		return nil, err
	}
	var art struct {
		ABI json.RawMessage `json:"abi"`
	}
	if err := json.Unmarshal(b, &art); err != nil {
		return nil, fmt.Errorf("rnartifacts: %s: %w", p, err)
	}
	if len(art.ABI) == 0 {
		return nil, fmt.Errorf("rnartifacts: %s has no abi", p)
	}
	var out bytes.Buffer
	if err := json.Compact(&out, art.ABI); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

var bytecodeRE = regexp.MustCompile(`(?m)^const _bytecode = "(0x[0-9a-fA-F]*)";`)

// Bytecode is the creation bytecode of a contract in the package's typechain factories
// (types/factories/**/<name>__factory.js), e.g. "ERC20FeeProxy", "EthereumFeeProxy", "TestERC20".
// It locates node_modules from the working directory. For tests and devnets only.
func Bytecode(name string) ([]byte, error) {
	pkg, err := PackageDir()
	if err != nil {
		return nil, err
	}
	var found []string
	root := filepath.Join(pkg, "types", "factories")
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == name+"__factory.js" {
			found = append(found, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rnartifacts: walking %s: %w", root, err)
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("%w: no typechain factory for %q under %s", ErrNotFound, name, root)
	case 1:
	default:
		return nil, fmt.Errorf("rnartifacts: %q is ambiguous: %v", name, found)
	}
	src, err := os.ReadFile(found[0])
	if err != nil {
		return nil, err
	}
	m := bytecodeRE.FindSubmatch(src)
	if m == nil {
		return nil, fmt.Errorf("%w: no bytecode in %s (abstract contract or interface?)", ErrNotFound, found[0])
	}
	code, err := hex.DecodeString(strings.TrimPrefix(string(m[1]), "0x"))
	if err != nil {
		return nil, fmt.Errorf("rnartifacts: %s: %w", found[0], err)
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("%w: empty bytecode for %q (abstract contract or interface?)", ErrNotFound, name)
	}
	return code, nil
}
