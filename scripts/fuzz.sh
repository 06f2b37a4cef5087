#!/usr/bin/env bash
# Runs every fuzz target of the module (a `func Fuzz…` in a _test.go file) for a short time each
# (`make fuzz`, part of `make test`, after go-test has run their seed corpora). Each package with a
# fuzz target is asked for its list (go test -list), and each target fuzzes alone for FUZZTIME.
#
# A finding fails the run: go test prints the input and writes it under the package's
# testdata/fuzz/<Target>/ (keep it as a seed once the bug is fixed). The fuzzing cache, where the
# engine keeps the inputs it found interesting, goes to a temporary directory that is removed at the
# end, so a run leaves no corpus changes behind and starts from the committed seeds only.
set -euo pipefail
fuzztime="${1:-3s}"
cache="$(mktemp -d)"
trap 'rm -rf "$cache"' EXIT
start=$SECONDS
count=0
dirs=$(git ls-files '*_test.go' | xargs grep -l '^func Fuzz' | xargs -n1 dirname | sort -u)
for dir in $dirs; do
	for target in $(go test -list '^Fuzz' "./$dir" | grep '^Fuzz' || true); do
		echo "fuzz: ./$dir $target for $fuzztime"
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "./$dir" -args -test.fuzzcachedir="$cache"
		count=$((count + 1))
	done
done
echo "fuzz: $count targets in $((SECONDS - start))s"
