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
		if ! out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "./$dir" -args -test.fuzzcachedir="$cache" 2>&1); then
			echo "$out"
			# A slow target (a database call per input) can be cut off by the engine's own deadline
			# ("context deadline exceeded") with no input to blame: that is no finding, so the
			# target runs again for a number of inputs instead of a time. A finding always names
			# its input ("Failing input written"), and fails the run.
			if grep -q 'Failing input written' <<<"$out" || ! grep -q 'context deadline exceeded' <<<"$out"; then
				exit 1
			fi
			echo "fuzz: ./$dir $target cut off by the engine's deadline; again for 200 inputs"
			go test -run '^$' -fuzz "^${target}\$" -fuzztime 200x "./$dir" -args -test.fuzzcachedir="$cache"
		fi
		count=$((count + 1))
	done
done
echo "fuzz: $count targets in $((SECONDS - start))s"
