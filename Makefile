# Monoshop — `make help` lists the targets.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
BIN := bin/shop
GO_TEST_FLAGS ?= -count=1 -timeout 15m

# Every go command below (build, test, vet, go tool sqlc/templ, bench/run) runs on this Go
# release: older ones have reachable vulnerabilities in net/http and other standard
# packages. The go command fetches it once from the Go module proxy into the module cache.
# go.mod's go line names the same release, so a plain `go build` on an older Go switches
# to it (GOTOOLCHAIN=auto) or stops with a message (GOTOOLCHAIN=local) rather than build
# with the old standard library.
export GOTOOLCHAIN := go1.27.3

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[1m%-10s\033[0m %s\n", $$1, $$2}'

.PHONY: build
build: ## build the shop binary into bin/shop
	@mkdir -p bin
	go build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/shop

.PHONY: run
run: build ## run the shop with demo data on the embedded database (http://localhost:8080)
	./$(BIN) dev

.PHONY: test
test: build ## run every test against real PostgreSQL (TEST_DATABASE_URL, or a private server)
	@start=$$(date +%s); status=0; \
	if [ -n "$${TEST_DATABASE_URL:-}" ]; then \
		go test $(GO_TEST_FLAGS) ./... || status=$$?; \
	else \
		./$(BIN) dev-db run -- go test $(GO_TEST_FLAGS) ./... || status=$$?; \
	fi; \
	echo "test suite wall time: $$(( $$(date +%s) - start ))s"; \
	exit $$status

.PHONY: bench
bench: build ## load scenarios against a running binary on a 10,000-product catalog (results in bench/results/)
	bash bench/run

.PHONY: generate
generate: ## regenerate sqlc and templ code (committed; CI fails when stale)
	go tool sqlc generate
	go tool templ generate -log-level error

.PHONY: fmt
fmt: ## format Go and templ sources
	gofmt -w $$(git ls-files '*.go' | grep -v '_templ.go$$')
	go tool templ fmt .

.PHONY: lint
lint: ## gofmt and go vet must be clean
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	go vet ./...

.PHONY: vulncheck
vulncheck: ## govulncheck against an offline copy of the Go vulnerability database (fails on reachable findings)
	bash .ci/vulncheck

.PHONY: clean
clean: ## remove the binary (the dev database in .data is kept)
	rm -rf bin
