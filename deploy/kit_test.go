package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/amanat/amn/api"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/indexer"
	"github.com/amanat/amn/jobs"
	"github.com/amanat/amn/ops"
	"github.com/amanat/amn/signer"
)

var (
	ruleFiles = []string{"prometheus/alerts.yml", "prometheus/signer_alerts.yml"}
	scrape    = "prometheus/prometheus.yml"
	dashboard = "grafana/amn.json"
)

// exported lists every metric name the processes export, by building the registries the roles
// build (cmd/amn: newProcess, runAPI, runIndexer, startJobs, the signer command) and reading their
// descriptions, which name a labelled metric before it has a value, unlike Gather.
func exported(t *testing.T) map[string]bool {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	roles := map[string]func(reg *prometheus.Registry) error{
		"api": func(reg *prometheus.Registry) error {
			api.NewRouter(api.Deps{Log: log, Registry: reg})
			return nil
		},
		"indexer": func(reg *prometheus.Registry) error {
			indexer.NewHeadMetrics(reg)
			indexer.NewMetrics(reg)
			chain.NewRPCMetrics(reg)
			return nil
		},
		"worker": func(reg *prometheus.Registry) error {
			// River wants a pool; a pgxpool connects only when used, and this one never is.
			pool, err := pgxpool.New(context.Background(), "postgres://127.0.0.1:1/unused")
			if err != nil {
				return err
			}
			defer pool.Close()
			_, err = jobs.NewClient(jobs.Config{Pool: pool, Log: log, Registry: reg})
			return err
		},
		"signer": func(reg *prometheus.Registry) error {
			_, err := signer.NewMetrics(reg)
			return err
		},
	}
	names := map[string]bool{"up": true} // Prometheus's own, per scrape target
	for role, build := range roles {
		reg := ops.NewRegistry()
		if err := build(reg); err != nil {
			t.Fatalf("building the %s role's registry: %v", role, err)
		}
		for n := range describedNames(reg) {
			names[n] = true
		}
	}
	return names
}

var fqName = regexp.MustCompile(`fqName: "([^"]+)"`)

func describedNames(c prometheus.Collector) map[string]bool {
	ch := make(chan *prometheus.Desc)
	go func() { c.Describe(ch); close(ch) }()
	out := map[string]bool{}
	for d := range ch {
		if m := fqName.FindStringSubmatch(d.String()); m != nil {
			out[m[1]] = true
		}
	}
	return out
}

// known says whether name is exported, a histogram's series counting as their metric's.
func known(names map[string]bool, name string) bool {
	if names[name] {
		return true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && names[base] {
			return true
		}
	}
	return false
}

var (
	quoted     = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|` + "`[^`]*`")
	grafanaVar = regexp.MustCompile(`\$\{?\w+\}?`)
	matchers   = regexp.MustCompile(`\{[^{}]*\}`)
	ranges     = regexp.MustCompile(`\[[^\[\]]*\]`)
	grouping   = regexp.MustCompile(`\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)`)
	token      = regexp.MustCompile(`[0-9][0-9A-Za-z_.]*|[A-Za-z_:][A-Za-z0-9_:]*`)
	keywords   = map[string]bool{"and": true, "or": true, "unless": true, "bool": true, "offset": true,
		"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
		"inf": true, "nan": true, "Inf": true, "NaN": true}
)

// metricNames extracts the metric names a PromQL expression selects: identifiers outside strings,
// label matchers, ranges and grouping clauses that are neither functions, aggregations nor
// keywords.
func metricNames(expr string) []string {
	s := grafanaVar.ReplaceAllString(quoted.ReplaceAllString(expr, `""`), "")
	s = ranges.ReplaceAllString(matchers.ReplaceAllString(s, " "), " ")
	s = grouping.ReplaceAllString(s, " ")
	var out []string
	for _, loc := range token.FindAllStringIndex(s, -1) {
		tok := s[loc[0]:loc[1]]
		if tok[0] >= '0' && tok[0] <= '9' || keywords[tok] {
			continue
		}
		if rest := strings.TrimLeft(s[loc[1]:], " \t\n"); strings.HasPrefix(rest, "(") {
			continue // a function or an aggregation
		}
		if !slices.Contains(out, tok) {
			out = append(out, tok)
		}
	}
	return out
}

func TestMetricNames(t *testing.T) {
	for _, c := range []struct {
		expr string
		want []string
	}{
		{`max by (chain) (amn_indexer_lag_blocks{chain=~"$chain"}) > 200`, []string{"amn_indexer_lag_blocks"}},
		{`histogram_quantile(0.95, sum by (le) (rate(amn_http_request_duration_seconds_bucket[$__rate_interval])))`, []string{"amn_http_request_duration_seconds_bucket"}},
		{"max by (chain) (delta(amn_indexer_processed_block[3m])) <= 0\n and on (chain) max by (chain) (delta(amn_chain_head_block[3m])) > 0\n unless on (chain) max by (chain) (amn_indexer_halted) == 1",
			[]string{"amn_indexer_processed_block", "amn_chain_head_block", "amn_indexer_halted"}},
		{`absent(up{job="amn-signer"} == 1)`, []string{"up"}},
		{`amn_signer_audit_head_seq > 0 and amn_signer_audit_head_seq < max_over_time(amn_signer_audit_head_seq[7d]) offset 1h`, []string{"amn_signer_audit_head_seq"}},
		{`sum(rate(amn_http_requests_total{status=~"5.."}[5m])) / sum(rate(amn_http_requests_total[5m]))`, []string{"amn_http_requests_total"}},
		{`min by (chain) (amn_signer_gas_tank_balance_wei) / 1e18`, []string{"amn_signer_gas_tank_balance_wei"}},
	} {
		if got := metricNames(c.expr); !slices.Equal(got, c.want) {
			t.Errorf("metricNames(%q) = %q, want %q", c.expr, got, c.want)
		}
	}
}

// The check itself: a made-up metric, a histogram suffix on a gauge's name that does not exist,
// and a typo are each reported; a real histogram's series are not.
func TestUnknownMetricsAreNamed(t *testing.T) {
	names := exported(t)
	for _, n := range []string{"amn_nope_total", "amn_indexer_lag_block", "amn_http_requests_bucket"} {
		if known(names, n) {
			t.Errorf("%s passes as exported", n)
		}
	}
	for _, n := range []string{"amn_http_request_duration_seconds_bucket", "amn_signer_queue_depth", "go_goroutines",
		"process_resident_memory_bytes", "amn_build_info", "amn_ledger_pending_expired_total", "amn_rpc_endpoint_up"} {
		if !known(names, n) {
			t.Errorf("%s is not found among the exported metrics", n)
		}
	}
}

// ruleExprs reads the expressions of a rule file: `expr: …` on one line, or `expr: |` with the
// lines indented below it.
func ruleExprs(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	lines := strings.Split(string(b), "\n")
	alert := ""
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if a, ok := strings.CutPrefix(l, "- alert:"); ok {
			alert = strings.TrimSpace(a)
		}
		e, ok := strings.CutPrefix(l, "expr:")
		if !ok {
			continue
		}
		e = strings.TrimSpace(e)
		if e == "|" || e == ">" {
			indent := len(lines[i]) - len(strings.TrimLeft(lines[i], " "))
			var body []string
			for i+1 < len(lines) && (strings.TrimSpace(lines[i+1]) == "" || len(lines[i+1])-len(strings.TrimLeft(lines[i+1], " ")) > indent) {
				i++
				body = append(body, strings.TrimSpace(lines[i]))
			}
			e = strings.Join(body, "\n")
		}
		out[alert] = e
	}
	if n := strings.Count(string(b), "- alert:"); len(out) != n {
		t.Fatalf("%s: read %d expressions of %d alerts", path, len(out), n)
	}
	return out
}

// dashboardExprs reads every query of the dashboard: panel targets (rows included) and the
// template variables' label_values(metric, label).
func dashboardExprs(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(dashboard)
	if err != nil {
		t.Fatal(err)
	}
	type panel struct {
		Title   string `json:"title"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
		Panels []json.RawMessage `json:"panels"`
	}
	var d struct {
		Panels     []json.RawMessage `json:"panels"`
		Templating struct {
			List []struct {
				Name       string `json:"name"`
				Definition string `json:"definition"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", dashboard, err)
	}
	out := map[string]string{}
	var walk func([]json.RawMessage)
	walk = func(ps []json.RawMessage) {
		for _, raw := range ps {
			var p panel
			if err := json.Unmarshal(raw, &p); err != nil {
				t.Fatalf("%s: %v", dashboard, err)
			}
			for i, tg := range p.Targets {
				out[fmt.Sprintf("panel %q query %d", p.Title, i)] = tg.Expr
			}
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	labelValues := regexp.MustCompile(`^label_values\(\s*([^,]+),\s*\w+\s*\)$`)
	for _, v := range d.Templating.List {
		if v.Definition == "" {
			continue
		}
		m := labelValues.FindStringSubmatch(v.Definition)
		if m == nil {
			t.Fatalf("variable %s: %q is not label_values(metric, label)", v.Name, v.Definition)
		}
		out["variable "+v.Name] = m[1]
	}
	return out
}

// checkNames fails for every expression that names no metric or one the binary does not export.
func checkNames(t *testing.T, where string, exprs map[string]string, names map[string]bool) {
	t.Helper()
	keys := make([]string, 0, len(exprs))
	for k := range exprs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		found := metricNames(exprs[k])
		if len(found) == 0 {
			t.Errorf("%s %s: no metric in %q", where, k, exprs[k])
		}
		for _, n := range found {
			if !known(names, n) {
				t.Errorf("%s %s: %s is not a metric the binary exports", where, k, n)
			}
		}
	}
}

func TestDashboardMetricsAreExported(t *testing.T) {
	exprs := dashboardExprs(t)
	if len(exprs) < 30 {
		t.Fatalf("read only %d queries from %s", len(exprs), dashboard)
	}
	names := exported(t)
	checkNames(t, dashboard, exprs, names)
	// The sections the dashboard promises, each by a metric its queries must name.
	used := map[string]bool{}
	for _, e := range exprs {
		for _, n := range metricNames(e) {
			used[n] = true
		}
	}
	for _, n := range []string{"amn_chain_head_block", "amn_chain_finalized_block", "amn_indexer_lag_blocks",
		"amn_indexer_processed_block", "amn_indexer_step_failures_total", "amn_indexer_quarantined",
		"amn_reconcile_difference", "amn_ledger_pending_expired_total", "amn_signer_queue_depth",
		"amn_signer_gas_tank_balance_wei", "amn_signer_intents_total", "amn_signer_audit_head_seq",
		"amn_http_requests_total", "amn_http_errors_total", "amn_http_request_duration_seconds_bucket"} {
		if !used[n] {
			t.Errorf("the dashboard shows no %s", n)
		}
	}
}

func TestAlertRuleMetricsAreExported(t *testing.T) {
	names := exported(t)
	for _, f := range ruleFiles {
		checkNames(t, f, ruleExprs(t, f), names)
	}
}

var (
	jobName    = regexp.MustCompile(`(?m)^\s*-\s*job_name:\s*"?([\w.-]+)"?\s*$`)
	jobMatcher = regexp.MustCompile(`\bjob\s*(=~|!~|!=|=)\s*"([^"]*)"`)
)

// Every job a rule or a dashboard query selects is one prometheus.yml scrapes: an alert on
// up{job="amn-signer"} over a configuration that names the job otherwise fires for ever (or, as
// absent(), never tells).
func TestRulesAndDashboardJobsAreScraped(t *testing.T) {
	b, err := os.ReadFile(scrape)
	if err != nil {
		t.Fatal(err)
	}
	var jobs []string
	for _, m := range jobName.FindAllStringSubmatch(string(b), -1) {
		jobs = append(jobs, m[1])
	}
	for _, want := range []string{"amn-api", "amn-indexer", "amn-worker", "amn-signer"} {
		if !slices.Contains(jobs, want) {
			t.Errorf("%s scrapes no job %s (it has %q)", scrape, want, jobs)
		}
	}
	all := dashboardExprs(t)
	for _, f := range ruleFiles {
		for k, e := range ruleExprs(t, f) {
			all[f+" "+k] = e
		}
	}
	selected := 0
	for where, e := range all {
		for _, m := range jobMatcher.FindAllStringSubmatch(e, -1) {
			selected++
			switch m[1] {
			case "=":
				if !slices.Contains(jobs, m[2]) {
					t.Errorf("%s selects job %q, which %s does not scrape (jobs: %q)", where, m[2], scrape, jobs)
				}
			case "=~":
				re, err := regexp.Compile("^(?:" + m[2] + ")$")
				if err != nil {
					t.Fatalf("%s: %v", where, err)
				}
				if !slices.ContainsFunc(jobs, re.MatchString) {
					t.Errorf("%s selects jobs %q, none of which %s scrapes (jobs: %q)", where, m[2], scrape, jobs)
				}
			}
		}
	}
	if selected == 0 {
		t.Fatal("no rule or query selects a job: the check checked nothing")
	}
}

func promtool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("promtool")
	if err != nil {
		t.Fatal("promtool not installed: run `make setup` (scripts/setup.sh installs it)")
	}
	return p
}

// promtool check config reads prometheus.yml and the rule files it names.
func TestPrometheusConfig(t *testing.T) {
	if out, err := exec.Command(promtool(t), "check", "config", scrape).CombinedOutput(); err != nil {
		t.Fatalf("promtool check config: %v\n%s", err, out)
	}
}

// Every dashboard query is valid PromQL: promtool checks them as recording rules, with Grafana's
// variables replaced by what Grafana gives them.
func TestDashboardQueriesParse(t *testing.T) {
	tool := promtool(t)
	var b strings.Builder
	b.WriteString("groups:\n  - name: dashboard\n    rules:\n")
	exprs := dashboardExprs(t)
	keys := make([]string, 0, len(exprs))
	for k := range exprs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		e := strings.NewReplacer("$__rate_interval", "5m", "${chain}", ".*", "$chain", ".*").Replace(exprs[k])
		q, _ := json.Marshal(e) // a JSON string is a YAML string
		fmt.Fprintf(&b, "      - record: dashboard:query_%d\n        expr: %s\n", i, q)
	}
	path := filepath.Join(t.TempDir(), "dashboard_rules.yml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(tool, "check", "rules", path).CombinedOutput(); err != nil {
		t.Fatalf("promtool check rules on the dashboard's queries: %v\n%s", err, out)
	}
}
