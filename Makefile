# Amn escrow. Two commands matter: `make dev` (the local stack) and `make test` (every test).
# Both run scripts/setup.sh first, which installs only what is missing.

SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(CURDIR)/.tools/bin:$(PATH)

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS := -X github.com/amanat/amn/ops.Version=$(VERSION) -X github.com/amanat/amn/ops.Commit=$(COMMIT)
FORGE   := node_modules/@foundry-rs/forge-linux-amd64/bin/forge

.PHONY: all setup build dev test go-test fuzz forge-test check-deploy lint generate check-generated bench bench-indexer-full bench-api bench-realtime clean

all: build

setup:
	@./scripts/setup.sh

build: setup
	go build -ldflags '$(LDFLAGS)' -o bin/amn ./cmd/amn

## dev: the whole stack locally (migrations, three anvil chains, Redis, API); Ctrl-C stops it.
dev: build
	exec ./bin/amn dev

## test: lint, generated-code freshness, the operator's kit, Go tests (with -race), every fuzz
## target for a short time, and forge tests.
test: setup lint check-generated check-deploy go-test fuzz forge-test

go-test:
	go test -race -count=1 -timeout 15m ./...

## fuzz: every `func Fuzz…` of the module fuzzed for FUZZTIME each (scripts/fuzz.sh); a finding
## fails, and the fuzzing cache goes to a temporary directory (no corpus changes are kept).
FUZZTIME ?= 3s
fuzz: setup
	./scripts/fuzz.sh $(FUZZTIME)

forge-test:
	@if ls escrow/contracts/*.sol >/dev/null 2>&1; then $(FORGE) test; else echo "forge-test: no contracts yet"; fi

## check-deploy: the scrape configuration and the alert rules it loads are valid (go test ./deploy
## checks that their jobs and metrics, and the dashboard's, are what the binary exports).
check-deploy: setup
	promtool check config deploy/prometheus/prometheus.yml

lint: setup
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go vet ./...
	staticcheck ./...

## generate: regenerate everything generated (bindings, queries); commit the result.
generate: setup
	go generate ./...
	go tool sqlc generate
	node_modules/.bin/openapi-typescript api/openapi/openapi.yaml -o clients/typescript/openapi.d.ts --silent

# What `make generate` writes: contract bindings (abigen), the API's Go types and routes
# (oapi-codegen), sign-in's queries (sqlc), the frontend's TypeScript types (openapi-typescript).
GENERATED := bindings api/openapi/openapi.gen.go auth/internal/authdb market/internal/marketdb clients/typescript/openapi.d.ts clients/go/amnclient/amnclient.gen.go

## check-generated: fails when committed generated code differs from what `make generate` makes.
check-generated: generate
	@if [ -n "$$(git status --porcelain -- $(GENERATED))" ]; then \
		echo "generated code is stale or hand-edited; run 'make generate' and commit:"; \
		git status --porcelain -- $(GENERATED); git diff --stat -- $(GENERATED); exit 1; fi

# The ledger suite, the ledger and payment go benchmarks, and the indexer on anvil at a size that
# builds in under a minute (bench-indexer-full: the issue's 20,000 + 20,000 over 50,000 blocks).
bench: setup
	go run ./bench/ledger -suite -workers 20 -duration 10s
	go run ./bench/ledger -accounts 1000 -workers 1 -duration 10s -batch 1000
	go test -run '^$$' -bench . -benchtime 3s ./ledger/...
	go test -run '^$$' -bench . -benchtime 20x ./payment/...
	go run ./bench/indexer -payments 2000 -transfers 2000 -blocks 4000 -watched 2000 -live 50

bench-indexer-full: setup
	go run ./bench/indexer

# The marketplace's public read path through amn api (issue 17, acceptance 6): 100,000 requests
# seeded, 100,000 browse and detail calls at 2,000/s on an open loop (docs/benchmarks.md).
bench-api: setup
	go run ./bench/api -rows 100000 -calls 100000 -rate 2000

# The real-time hub through amn api (issue 18, acceptance 4): one room, 1,000 subscribers, 100
# messages, then 10,000 idle connections; and the same broadcast published in one burst.
bench-realtime: setup
	go run ./bench/realtime
	go run ./bench/realtime -burst -idle 0

clean:
	rm -rf bin out cache
