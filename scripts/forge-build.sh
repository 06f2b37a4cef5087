#!/usr/bin/env bash
# Compiles the Solidity sources into out/ (gitignored) from the repository root, where
# foundry.toml's settings, including `solc = "scripts/solc"`, resolve. A no-op when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node_modules/@foundry-rs/forge-linux-amd64/bin/forge build --quiet
