// Package rnartifacts gives tests and devnets the bytecode of Request Network's contracts, read
// from the real `@requestnetwork/smart-contracts` npm package in node_modules when they deploy
// it; it is never copied into the repository. (Their ABIs reach the binary through the abigen
// output in package bindings.)
package rnartifacts

import (
	"encoding/hex"
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

// Contract names.
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
