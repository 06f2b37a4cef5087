package jobs

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
)

// declaredKinds finds every job kind the module declares: `func (X) Kind() string { return "k" }`
// in its non-test code.
func declaredKinds(t *testing.T) []string {
	t.Helper()
	var kinds []string
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "node_modules" || n == "testdata" || (strings.HasPrefix(n, ".") && n != "..") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "Kind" || fn.Body == nil || len(fn.Body.List) != 1 {
				continue
			}
			ret, ok := fn.Body.List[0].(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				continue
			}
			if lit, ok := ret.Results[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				k, _ := strconv.Unquote(lit.Value)
				kinds = append(kinds, k)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return kinds
}

// The worker role's registry is the one list of job kinds: every kind the module declares (a
// job someone may enqueue) has its worker there, so none waits forever for a worker that does not
// exist.
func TestEveryDeclaredJobKindHasAWorker(t *testing.T) {
	declared := declaredKinds(t)
	if len(declared) < 7 {
		t.Fatalf("found only %d job kinds (%v): is the walk right?", len(declared), declared)
	}
	r, err := register(Config{MaxWorkers: 1, Escrow: func(uint64) common.Address { return common.Address{} }},
		prometheus.NewCounter(prometheus.CounterOpts{Name: "x"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range declared {
		if !slices.Contains(r.kinds, k) {
			t.Errorf("job kind %q is declared but no worker is registered for it (jobs.register)", k)
		}
	}
	if len(r.kinds) != len(declared) {
		t.Errorf("registered %v, declared %v", r.kinds, declared)
	}
}
