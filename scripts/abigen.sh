#!/usr/bin/env bash
# Generates one Go binding in bindings/ from a compiled artifact's ABI (and, for our own
# contracts, its bytecode). Called by the go:generate lines in bindings/generate.go, so that
# `make generate` is the only way these files change.
#
#   scripts/abigen.sh TYPE ARTIFACT.json OUT.go [--with-bytecode]
#
# ARTIFACT is a Hardhat/Truffle or Foundry JSON artifact with an "abi" field (and "bytecode" as
# a string or {"object": …}). Artifacts of other projects come from node_modules, never copied in.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
type="$1" artifact="$2" out="$3" withbin="${4:-}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

node -e '
const fs = require("fs");
const a = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
fs.writeFileSync(process.argv[2], JSON.stringify(a.abi));
const bin = typeof a.bytecode === "string" ? a.bytecode : (a.bytecode && a.bytecode.object) || "";
fs.writeFileSync(process.argv[3], bin);
' "$artifact" "$tmp/abi.json" "$tmp/bin.hex"

args=(--abi "$tmp/abi.json" --pkg bindings --type "$type" --out "$out")
if [ "$withbin" = "--with-bytecode" ]; then args+=(--bin "$tmp/bin.hex"); fi
"$root/.tools/bin/abigen" "${args[@]}"
