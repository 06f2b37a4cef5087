// Package layering holds the test that writes down who may import whom: the packages of the
// module in layers, each importing only from layers below it. A new package must be given a
// layer here before it builds into a passing test suite; widening a layer or adding an exception
// is a design decision, to be justified beside it.
package layering

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/amanat/amn"

// layers lists the module's packages (directories relative to the module root) from the bottom
// up. Non-test code may import a package only from a lower layer.
var layers = [][]string{
	// The error kinds every package's sentinels are of.
	{"kind"},
	// Foundations.
	{"bindings", "chain", "db", "hd", "ops", "internal/rnartifacts", "internal/mailbox", "hwwallet/internal/softkey", "internal/ferrettest"},
	// Generic building blocks on them; the real-time hub, which domain packages publish into from
	// their own transactions.
	{"escrow", "ledger", "hd/keyring", "config", "db/dbtest", "realtime"},
	// The chart of accounts; the hardware-wallet protocol; local chains; generated code (sign-in's
	// queries by sqlc, the API's contract and its Go client by oapi-codegen).
	{"chart", "hwwallet", "devnet", "auth/internal/authdb", "market/internal/marketdb", "api/openapi", "clients/go/amnclient"},
	// The payment state machine and its books; accounts and sign-in; uploaded files; loyalty
	// points on the books.
	{"payment", "auth", "upload", "points"},
	// The platform's queue of work for the signer, the marketplace's deals, the blog (its covers
	// are uploads), test kits, the signer's keys.
	{"intent", "market", "blog", "payment/paymenttest", "upload/uploadtest", "hwwallet/testdevice", "signer/keystore"},
	// Conversations on the marketplace's offers (the market says whose an offer is; the deal's
	// payment steps come from the market's following of the payment); users' notifications (the
	// market tells its deal steps, auth says where to write).
	{"chat", "notify"},
	// Processes' domains: watching chains, custodians, signing; checking a deployment. Disputes of
	// deals: the case runs the market's, the payment's and the chat's steps in its own transaction.
	{"indexer", "custody", "signer", "doctor", "dispute"},
	// What admins do to the money (payouts, sweeps, top-ups, intents with their quorum read by
	// custody), for both the admin command and the API. Importing the legacy MongoDB store,
	// through each package's Import* entry point (the disputes' too, hence above them; it never
	// imports admin, see forbidden).
	{"admin", "migrate/mongo"},
	// The HTTP layer over the domains; the worker role's job registry (it runs the indexer's, the
	// payments' and the signer queue's jobs); the indexer's torture harness (it drives chains and
	// the indexer, and checks the books); amn dev's demo deals, played through the API's Go client;
	// what the benchmarks share (/proc readings, a real amn api process).
	{"api", "jobs", "indexer/torture", "internal/devdeal", "bench/internal/benchkit"},
	// Commands, benchmarks and the deployment kit's tests: they wire everything and nothing
	// imports them.
	{"cmd/amn", "bench/api", "bench/indexer", "bench/ledger", "bench/realtime", "bench/torture", "deploy"},
}

// forbidden are imports the layers would allow but the design does not.
var forbidden = map[string][]string{
	// The indexer records what the chains show; the signer's work is not its business (the chart
	// of accounts is where both read the gas accounts).
	"indexer": {"signer", "intent", "signer/keystore"},
	// The API never holds keys nor signs.
	"api": {"signer", "signer/keystore", "hd/keyring", "custody", "indexer", "jobs"},
	// Admin operations ask for payouts and read quorums; they never sign, hold keys or open devices
	// (the signer's transactions come through the intent.SignerTxs it is given).
	"admin": {"signer", "signer/keystore", "hd/keyring", "hwwallet", "indexer"},
	// The marketplace moves money only through payment transitions and signer intents.
	"market": {"signer", "signer/keystore", "hd/keyring", "hwwallet", "custody", "intent", "ledger"},
	// The legacy import writes history and accounts through the packages' entry points; it never
	// moves money, books directly or holds keys.
	"migrate/mongo": {"signer", "signer/keystore", "hd/keyring", "hwwallet", "custody", "intent", "indexer", "ledger", "admin"},
	// Sign-in proves who someone is; it never touches money or keys.
	"auth": {"payment", "ledger", "hd", "hd/keyring", "escrow"},
	// Files and the blog hold no money and no keys.
	"upload": {"payment", "ledger", "hd", "hd/keyring", "escrow", "auth"},
	"blog":   {"payment", "ledger", "hd", "hd/keyring", "escrow", "market"},
	// Points are handed the market's settled deals (by jobs); they never read deals or payments.
	"points": {"payment", "market", "signer", "hd", "hd/keyring", "escrow", "intent"},
	// Chat holds no money and no keys: it reads a payment's timeline, never moves it.
	"chat": {"signer", "signer/keystore", "hd", "hd/keyring", "hwwallet", "custody", "intent", "escrow", "indexer"},
	// Disputes decide where money goes only through payment transitions; the payout intents are
	// asked for through an interface the command wires, never by importing the signer's side.
	"dispute": {"signer", "signer/keystore", "hd", "hd/keyring", "hwwallet", "custody", "intent", "escrow", "indexer", "ledger"},
	// Notifications hold no money and no keys: they tell of steps, never make them.
	"notify": {"signer", "signer/keystore", "hd", "hd/keyring", "hwwallet", "custody", "intent", "escrow", "indexer", "ledger"},
}

// testOnly are packages that only tests (and commands and benchmarks, which run local stacks) may import.
// Test kits may import one another.
var testOnly = []string{"db/dbtest", "payment/paymenttest", "upload/uploadtest", "hwwallet/testdevice", "indexer/torture", "internal/mailbox", "internal/devdeal", "bench/internal/benchkit"}

// imports maps each package (directory relative to the module root) to the packages of the
// module its non-test files import, and testImports the same for its test files.
type graph struct {
	imports, testImports map[string][]string
}

// check returns every import that breaks the rules.
func check(g graph) []string {
	rank := map[string]int{}
	for i, layer := range layers {
		for _, p := range layer {
			rank[p] = i
		}
	}
	var out []string
	pkgs := make([]string, 0, len(g.imports)+len(g.testImports))
	for p := range g.imports {
		pkgs = append(pkgs, p)
	}
	for p := range g.testImports {
		if _, ok := g.imports[p]; !ok {
			pkgs = append(pkgs, p)
		}
	}
	slices.Sort(pkgs)
	for _, p := range pkgs {
		r, known := rank[p]
		if _, code := g.imports[p]; !known && code {
			out = append(out, fmt.Sprintf("%s has no layer: add it to internal/layering's layers", p))
			continue
		} else if !known {
			continue // tests only (this package)
		}
		for _, q := range g.imports[p] {
			rq, ok := rank[q]
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("%s imports %s, which has no layer", p, q))
			case rq >= r:
				out = append(out, fmt.Sprintf("%s (layer %d) imports %s (layer %d): only lower layers may be imported", p, r, q, rq))
			case slices.Contains(forbidden[p], q):
				out = append(out, fmt.Sprintf("%s imports %s, which it must not", p, q))
			case slices.Contains(testOnly, q) && r < len(layers)-1 && !slices.Contains(testOnly, p):
				out = append(out, fmt.Sprintf("%s imports the test kit %s outside its tests", p, q))
			}
		}
		for _, q := range g.testImports[p] {
			if q == "cmd/amn" || strings.HasPrefix(q, "bench/") {
				out = append(out, fmt.Sprintf("a test of %s imports %s: nothing imports commands", p, q))
			}
		}
	}
	return out
}

// TestLayering parses the imports of every Go file of the module and checks them against the
// layers.
func TestLayering(t *testing.T) {
	g := parseModule(t)
	if len(g.imports) < 20 {
		t.Fatalf("found only %d packages: is the module root right?", len(g.imports))
	}
	for _, v := range check(g) {
		t.Error(v)
	}
}

// TestLayeringCatchesViolations: the rules fail on a graph that breaks each of them.
func TestLayeringCatchesViolations(t *testing.T) {
	g := graph{imports: map[string][]string{
		"ledger":  {"payment"},        // upward
		"payment": {"ledger", "jobs"}, // one fine, one upward
		"indexer": {"intent"},         // allowed by the layers, forbidden by design
		"custody": {"db/dbtest"},      // a test kit outside tests
		"newpkg":  {"ledger"},         // no layer
		"api":     {"mystery"},        // an unknown import
	}, testImports: map[string][]string{"jobs": {"cmd/amn"}}}
	got := check(g)
	for _, want := range []string{
		"ledger (layer 2) imports payment (layer 4)",
		"payment (layer 4) imports jobs (layer 9)",
		"indexer imports intent, which it must not",
		"custody imports the test kit db/dbtest",
		"newpkg has no layer",
		"api imports mystery, which has no layer",
		"a test of jobs imports cmd/amn",
	} {
		if !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Errorf("no violation %q in %q", want, got)
		}
	}
	if len(got) != 7 {
		t.Errorf("%d violations, want 7: %q", len(got), got)
	}
}

// sqlWords are the starts of the statements a package writes to its tables.
var sqlWords = regexp.MustCompile(`(?i)\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|DATABASE|INDEX)|TRUNCATE\s)`)

// sqlIn returns the string literals of the non-test Go files under dir that hold SQL.
func sqlIn(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && sqlWords.MatchString(lit.Value) {
				found = append(found, fmt.Sprintf("%s: %.60s", fset.Position(lit.Pos()), lit.Value))
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestNoSQLInCommands: a command parses, builds, calls and prints; the SQL lives with the package
// that owns the tables.
func TestNoSQLInCommands(t *testing.T) {
	for _, s := range sqlIn(t, "../../cmd") {
		t.Errorf("SQL in a command: %s", s)
	}
	// The check finds SQL where there is some.
	if len(sqlIn(t, "../../ledger")) == 0 {
		t.Error("found no SQL in ledger: the check does not work")
	}
}

// tableOwners says which package owns each table: its SQL is the only SQL that names it.
var tableOwners = map[string]string{
	"payments": "payment", "payment_timeline": "payment", "webhook_deliveries": "payment", "deposit_exceptions": "payment",
	"ledger_accounts": "ledger", "ledger_transfers": "ledger", "ledger_entries": "ledger", "ledger_pending": "ledger",
	"indexer_checkpoints": "indexer", "indexer_blocks": "indexer", "indexer_observations": "indexer", "indexer_rescans": "indexer",
	"signer_intents": "intent", "custody_approvals": "intent",
	"signer_txs": "signer", "signer_nonces": "signer", "signer_audit": "signer", "signer_leader": "signer",
	"custodians": "custody", "custody_challenges": "custody", "process_heartbeat": "ops",
	"users": "auth", "auth_identities": "auth", "auth_codes": "auth", "auth_sessions": "auth",
	"auth_refresh_tokens": "auth", "auth_passkeys": "auth", "auth_ceremonies": "auth", "auth_wallets": "auth", "auth_audit": "auth",
	"market_requests": "market", "market_request_search": "market", "market_offers": "market", "market_offer_revisions": "market", "market_templates": "market",
	"market_events": "market", "market_reviews": "market",
	"admin_audit": "admin", "realtime_rooms": "realtime", "realtime_events": "realtime", "realtime_nodes": "realtime", "realtime_presence": "realtime",
	"uploads": "upload", "blog_posts": "blog",
	"points_codes": "points", "points_referrals": "points", "points_adjustments": "points", "points_memos": "points",
	"points_cursor": "points", "points_spends": "points", "points_expiry": "points",
	"chat_conversations": "chat", "chat_messages": "chat", "chat_reads": "chat",
	"notifications": "notify", "notification_prefs": "notify",
}

// foreignReads are exceptions: a package's SQL naming another package's table. There are none
// (issue 15: "no package reads another's tables"): a package reads another's data by calling the
// owner, with its own pool or transaction, or is given the owner's reader from a layer above. An
// entry here would be debt, to be justified beside it. Test kits and benchmarks read what they
// check.
var foreignReads = map[string][]string{}

// TestEachPackageQueriesItsOwnTables: the SQL of a package names only its own tables, but for the
// listed exceptions (which may only shrink).
func TestEachPackageQueriesItsOwnTables(t *testing.T) {
	found := map[string]map[string]bool{}
	fset := token.NewFileSet()
	root := "../.."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (n == "node_modules" || n == "testdata" || strings.HasPrefix(n, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		if owner, _, ok := strings.Cut(pkg, "/internal/"); ok {
			pkg = owner // a package's internal packages (sqlc's output) hold its own SQL
		}
		if strings.HasPrefix(pkg, "bench/") || slices.Contains(testOnly, pkg) {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING || !sqlWords.MatchString(lit.Value) {
				return true
			}
			for table, owner := range tableOwners {
				if owner != pkg && regexp.MustCompile(`\b`+table+`\b`).MatchString(lit.Value) {
					if found[pkg] == nil {
						found[pkg] = map[string]bool{}
					}
					found[pkg][table] = true
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for pkg, tables := range found {
		for table := range tables {
			if !slices.Contains(foreignReads[pkg], table) {
				t.Errorf("%s's SQL names %s, which %s owns: call %s instead", pkg, table, tableOwners[table], tableOwners[table])
			}
		}
	}
	for pkg, tables := range foreignReads {
		for _, table := range tables {
			if !found[pkg][table] {
				t.Errorf("%s no longer names %s: take it off foreignReads", pkg, table)
			}
		}
	}
}

func parseModule(t *testing.T) graph {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || !strings.Contains(string(b), "module "+module+"\n") {
		t.Fatalf("%s is not the module root (%v)", root, err)
	}
	g := graph{imports: map[string][]string{}, testImports: map[string][]string{}}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "node_modules" || name == "testdata" || name == "vendor" ||
				strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // another module
				}
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if f == nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		dir, _ := filepath.Rel(root, filepath.Dir(path))
		dir = filepath.ToSlash(dir)
		into := g.imports
		if strings.HasSuffix(path, "_test.go") {
			into = g.testImports
		} else if _, ok := into[dir]; !ok {
			into[dir] = nil
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !strings.HasPrefix(p, module+"/") {
				continue
			}
			q := strings.TrimPrefix(p, module+"/")
			if q != dir && !slices.Contains(into[dir], q) {
				into[dir] = append(into[dir], q)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestOneApprovalEntryPoint: custodian approvals enter the books through custody.Service.Approve
// (signature, enrolment, on-chain membership and dispute checks) alone; no other package's code
// calls intent.Store.AddApproval, which checks only the form.
func TestOneApprovalEntryPoint(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
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
		rel, _ := filepath.Rel("../..", filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		if pkg == "custody" || pkg == "intent" {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "AddApproval" {
				t.Errorf("%s calls AddApproval: approvals go through custody.Service.Approve", fset.Position(sel.Pos()))
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
