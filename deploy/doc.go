// Package deploy is the operator's kit: the Prometheus scrape configuration and alert rules in
// prometheus/, the Grafana dashboard in grafana/ (docs/operations.md). It holds no Go code that
// runs: its tests keep the kit true to the binary, failing when a rule or a dashboard query names
// a metric no process exports or a job the scrape configuration does not define.
package deploy
