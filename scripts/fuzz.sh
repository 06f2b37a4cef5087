#!/usr/bin/env bash
# Runs every fuzz target of the module (a `func Fuzz…` in a _test.go file) for a short time each
# (`make fuzz`, part of `make test`, after go-test has run their seed corpora). Each package with a
# fuzz target is built once, instrumented for fuzzing (go test -c -fuzz), the binary lists its
# targets, and each target fuzzes for FUZZTIME with one worker in the package's directory (as go
# test runs it), two targets at a time. One build per package rather than one `go test -fuzz` per
# target: the link alone took about 4 s a target, and `go test -list` built a second,
# uninstrumented binary per package (32 targets: 514 s on a clean cache before, 240 s warm with
# one build per package, 125 s two at a time).
#
# A finding fails the run: the binary prints the input and writes it under the package's
# testdata/fuzz/<Target>/ (keep it as a seed once the bug is fixed). The fuzzing cache, where the
# engine keeps the inputs it found interesting, goes to a temporary directory that is removed at the
# end, so a run leaves no corpus changes behind and starts from the committed seeds only.
set -euo pipefail
fuzztime="${1:-3s}"
root="$(pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export fuzztime root cache="$work/cache"
start=$SECONDS

# fuzzone DIR BIN TARGET fuzzes one target with one worker, and prints what it did in one piece.
fuzzone() {
	local dir=$1 bin=$2 target=$3 out
	if out=$(cd "$root/$dir" && "$bin" -test.run '^$' -test.fuzz "^${target}\$" -test.fuzztime "$fuzztime" \
		-test.parallel 1 -test.fuzzcachedir "$cache" 2>&1); then
		echo "fuzz: ./$dir $target for $fuzztime: ok"
		return 0
	fi
	# A slow target (a database call per input) can be cut off by the engine's own deadline
	# ("context deadline exceeded") with no input to blame: that is no finding, so the target runs
	# again for a number of inputs instead of a time. A finding always names its input ("Failing
	# input written"), and fails the run.
	if grep -q 'Failing input written' <<<"$out" || ! grep -q 'context deadline exceeded' <<<"$out"; then
		printf 'fuzz: ./%s %s FAILED\n%s\n' "$dir" "$target" "$out"
		return 1
	fi
	if ! out=$(cd "$root/$dir" && "$bin" -test.run '^$' -test.fuzz "^${target}\$" -test.fuzztime 200x \
		-test.parallel 1 -test.fuzzcachedir "$cache" 2>&1); then
		printf 'fuzz: ./%s %s FAILED (200 inputs)\n%s\n' "$dir" "$target" "$out"
		return 1
	fi
	echo "fuzz: ./$dir $target cut off by the engine's deadline; 200 inputs: ok"
}
export -f fuzzone

# One instrumented binary per package, and the list of its targets.
: >"$work/targets"
for dir in $(git ls-files '*_test.go' | xargs grep -l '^func Fuzz' | xargs -n1 dirname | sort -u); do
	bin="$work/$(echo "$dir" | tr / _).test"
	go test -c -fuzz=. -o "$bin" "./$dir"
	(cd "$root/$dir" && "$bin" -test.list '^Fuzz') | grep '^Fuzz' | sed "s|^|$dir $bin |" >>"$work/targets" || true
done
count=$(wc -l <"$work/targets")
# Two targets at a time, one fuzzing worker each (the machine's two cores): the engine's start-up
# and its pass over the seed corpus are most of a 3 s run, and they overlap this way.
if ! xargs -P 2 -L 1 bash -c 'fuzzone "$@"' _ <"$work/targets"; then
	echo "fuzz: a target failed (above)"
	exit 1
fi
echo "fuzz: $count targets in $((SECONDS - start))s"
