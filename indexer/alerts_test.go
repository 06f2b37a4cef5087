package indexer

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// TestAlertRules runs promtool's unit tests of the shipped alert rules (scripts/setup.sh installs
// promtool with Debian's prometheus package).
func TestAlertRules(t *testing.T) {
	t.Parallel()
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed (scripts/setup.sh installs it)")
	}
	dir := filepath.Join("..", "deploy", "prometheus")
	if out, err := exec.Command(promtool, "check", "rules", filepath.Join(dir, "alerts.yml")).CombinedOutput(); err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
	if out, err := exec.Command(promtool, "test", "rules", filepath.Join(dir, "alerts_test.yml")).CombinedOutput(); err != nil {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}
}
