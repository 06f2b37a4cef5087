#!/usr/bin/env bash
# Installs what Amn needs on a Debian machine, and nothing that is already there:
# Go (from the Go module proxy's toolchain zips), PostgreSQL and Redis (apt, started on
# loopback), Node.js (apt) with the pinned npm toolchain (Foundry, solc-js, contracts,
# Trezor message definitions), Go modules and the Go tools the Makefile uses, and FerretDB
# (scripts/ferretdb.sh) for the legacy import's tests.
# Run as root on a fresh machine; safe to run again at any time.
set -euo pipefail
cd "$(dirname "$0")/.."

GO_VERSION=1.26.8
STATICCHECK_VERSION=v0.8.2

log() { printf 'setup: %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# --- Go -----------------------------------------------------------------------------------
export PATH="/usr/local/go/bin:$PATH"
go_ok() { have go && go version | grep -Eq 'go1\.(2[6-9]|[3-9][0-9])'; }
if ! go_ok; then
  have curl || apt_install curl ca-certificates
  have unzip || apt_install unzip
  proxy="$(printf '%s' "${GOPROXY:-https://proxy.golang.org}" | cut -d, -f1)"
  zip="/tmp/go${GO_VERSION}.zip"
  log "installing Go ${GO_VERSION} from ${proxy}"
  curl -fsSL -o "$zip" "${proxy}/golang.org/toolchain/@v/v0.0.1-go${GO_VERSION}.linux-amd64.zip"
  rm -rf /tmp/go-toolchain && mkdir -p /tmp/go-toolchain && unzip -q "$zip" -d /tmp/go-toolchain
  rm -rf /usr/local/go && mv "/tmp/go-toolchain/golang.org/toolchain@v0.0.1-go${GO_VERSION}.linux-amd64" /usr/local/go
  chmod +x /usr/local/go/bin/* /usr/local/go/pkg/tool/*/* 2>/dev/null || true
  rm -rf /tmp/go-toolchain "$zip"
fi

# --- PostgreSQL ---------------------------------------------------------------------------
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  have pg_ctlcluster || apt_install postgresql
  ver="$(ls /etc/postgresql | sort -n | tail -1)"
  log "starting PostgreSQL ${ver} on 127.0.0.1:5432"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
# Tests and `make dev` connect as postgres over loopback without a password, as CI does.
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
  ver="$(ls /etc/postgresql | sort -n | tail -1)"
  hba="/etc/postgresql/${ver}/main/pg_hba.conf"
  log "allowing passwordless loopback connections in ${hba} (a development machine's setting)"
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main reload
fi

# --- Redis --------------------------------------------------------------------------------
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  have redis-server || apt_install redis-server
  log "starting Redis on 127.0.0.1:6379"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/amn.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi

# --- promtool (checks and unit-tests the alert rules in deploy/prometheus) --------------------
# Debian's prometheus package carries promtool; the server it installs is not started here.
have promtool || apt_install prometheus

# --- Node toolchain (Foundry, solc-js, contracts, Trezor definitions) ----------------------
if ! have npm; then apt_install nodejs npm; fi
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat node_modules/.amn-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.amn-lock-hash
fi

# --- Go modules and tools -----------------------------------------------------------------
go mod download
mkdir -p .tools/bin
if [ ! -x .tools/bin/staticcheck ]; then
  log "installing staticcheck ${STATICCHECK_VERSION}"
  GOBIN="$PWD/.tools/bin" go install "honnef.co/go/tools/cmd/staticcheck@${STATICCHECK_VERSION}"
fi
if [ ! -x .tools/bin/abigen ]; then
  log "installing abigen (go-ethereum $(go list -m -f '{{.Version}}' github.com/ethereum/go-ethereum))"
  GOBIN="$PWD/.tools/bin" go install "github.com/ethereum/go-ethereum/cmd/abigen@$(go list -m -f '{{.Version}}' github.com/ethereum/go-ethereum)"
fi
# --- FerretDB (the MongoDB wire-protocol server the legacy import's tests run) ---------------
./scripts/ferretdb.sh
log "ready"
