# Orderly — the two commands are `make run` and `make test`.
# Everything else here is what those two are made of.

GO        ?= go
GOTEST    ?= $(GO) test -race -count=1
NPM       ?= npm
# Every Go package of the module; node_modules may hold stray Go files.
PKGS       = $$($(GO) list ./... | grep -v /node_modules/)

.PHONY: run build web go-build generate check-generated vet test test-go test-web test-browser bench bench-report clean

## run: build everything and start the embedded development stack
run:
	$(GO) run ./cmd/orderly-dev

## build: the web app, then the server (with the app embedded) and the worker
build: web go-build

node_modules/.package-lock.json: package.json package-lock.json frontend/package.json
	$(NPM) ci --no-audit --no-fund

web: node_modules/.package-lock.json
	$(NPM) run build

go-build:
	$(GO) build -o bin/server ./server
	$(GO) build -o bin/worker ./worker

## generate: regenerate the GraphQL server code and the front end's typed operations
generate: node_modules/.package-lock.json
	$(GO) tool gqlgen generate
	$(NPM) run codegen

## check-generated: fail when committed generated code is stale
check-generated: generate
	@git diff --exit-code -- graph frontend/src/gql || \
	  (echo "generated code is stale: run 'make generate' and commit the result" >&2; exit 1)

vet:
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt needed" >&2; exit 1)

## test: every test — Go unit and integration (real Temporal dev server and
## embedded store), front-end unit tests, browser tests in headless Chromium
test: check-generated vet test-go test-web test-browser

test-go:
	$(GOTEST) -timeout 20m $(PKGS)
	$(GO) -C tools/devstore test -race -count=1 ./...

test-web: node_modules/.package-lock.json
	$(NPM) run typecheck
	$(NPM) test

## test-browser: starts the whole stack on free ports and runs the browser tests against it
test-browser: web
	$(GO) run ./cmd/orderly-dev -ephemeral -exec "$(NPM) run test:browser"

## bench: performance figures, each reported against a baseline measured in the same run;
## one package at a time (-p 1), so that no two benchmarks share the cores; then the report
bench:
	$(GO) test -p 1 -timeout 30m -run '^$$' -bench . -benchmem -count 1 $(PKGS)
	$(MAKE) bench-report

## bench-report: the side-by-side report (cmd/orderly-bench) into docs/bench, about half an
## hour; BENCH_FLAGS tunes it (BENCH_FLAGS=-quick: a few minutes; -h lists the flags)
bench-report:
	ulimit -n $$(ulimit -Hn) 2>/dev/null; $(GO) run ./cmd/orderly-bench -out docs/bench $(BENCH_FLAGS)

clean:
	rm -rf bin frontend/dist/assets frontend/dist/index.html artifacts
