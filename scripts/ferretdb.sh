#!/usr/bin/env bash
# Builds FerretDB (a MongoDB wire-protocol server written in Go) into .tools/bin/ferretdb, once.
# The legacy-import tests (migrate/mongo) run it with its SQLite handler on a free port. MongoDB
# itself is not packaged for Debian; FerretDB comes from the Go module proxy as source.
# Built from the module cache as is it panics at start (build/version/version.txt is empty there),
# so the source is copied to a writable folder and the version written in first.
# Safe to run again: it does nothing when the binary of this version is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

FERRETDB_VERSION=v1.24.2
bin=".tools/bin/ferretdb"
stamp=".tools/bin/ferretdb.version"

if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$FERRETDB_VERSION" ]; then
  exit 0
fi
printf 'setup: building FerretDB %s (once; cached in %s)\n' "$FERRETDB_VERSION" "$bin"
mkdir -p .tools/bin
work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
# A throwaway module downloads exactly this version into the module cache.
(cd "$work" && go mod download -json "github.com/FerretDB/FerretDB@${FERRETDB_VERSION}" >"$work/dl.json")
src="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' "$work/dl.json")"
[ -d "$src" ] || { echo "setup: FerretDB source not found after download" >&2; exit 1; }
cp -r "$src" "$work/src"
chmod -R u+w "$work/src"
echo "$FERRETDB_VERSION" > "$work/src/build/version/version.txt"
(cd "$work/src" && GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -o "$work/ferretdb" ./cmd/ferretdb)
mv "$work/ferretdb" "$bin"
echo "$FERRETDB_VERSION" > "$stamp"
