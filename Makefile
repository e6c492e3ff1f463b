# reload — build, install, test.
BIN      ?= reload
PREFIX   ?= $(shell go env GOPATH)
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
KUBE_VALIDATE := examples/kubernetes/validate

.PHONY: build install test lint cross docs man npm soak bench bench-go bench-peers bench-crash fuzz clean

build:
	go build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) .

# install puts reload in $(PREFIX)/bin (by default $(go env GOPATH)/bin, i.e. ~/go/bin).
install:
	GOBIN=$(PREFIX)/bin go install -trimpath -ldflags "$(LDFLAGS)" .
	@echo "installed $(PREFIX)/bin/$(BIN)"

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	go vet ./...
	cd e2e && go vet ./...
	cd $(KUBE_VALIDATE) && go vet ./...

# cross checks that the per-OS process code compiles everywhere.
cross:
	GOOS=darwin go vet ./...
	GOOS=windows go vet ./...
	GOOS=windows go build -o /dev/null .
	GOOS=darwin go build -o /dev/null .

# test runs the unit tests, then the end-to-end tests (their own module in
# e2e/, so browser and websocket test libraries stay out of reload's go.mod).
# The container example's manifests are checked against the Kubernetes API
# types and the Compose Specification by a module of their own, so those
# libraries stay out of reload's go.mod too (no cluster needed, ~1 s).
test: lint cross
	go test -race -count=1 -timeout 8m ./...
	cd $(KUBE_VALIDATE) && go test -count=1 -timeout 2m ./...
	cd e2e && go test -race -count=1 -timeout 8m ./...

# docs regenerates docs/config.md from the keys table (config/keys.go); a
# test fails while it is out of date.
docs:
	go run ./internal/cmd/docgen

# man writes reload.1, the manual page, from the same flags as --help
# (man -l reload.1 shows it). Completions: reload completion bash|zsh|fish.
man: build
	./$(BIN) man > $(BIN).1

# npm builds the npm packages into npm/dist/ (npm/README.md): @reload-dev/reload,
# whose command is a JavaScript shim, and one package per platform holding its
# cross-compiled binary. HOST_ONLY=1 builds this machine's package only.
npm:
	VERSION='$(VERSION)' GO_LDFLAGS='$(LDFLAGS)' HOST_ONLY='$(HOST_ONLY)' node npm/build.js

# bench runs reload, and every peer that bench-peers installed, on a generated
# 100k-file project, then save → served over HTTP with every tool at once, and
# prints Markdown tables (docs/benchmarks.md; go run ./internal/cmd/bench -h
# for knobs, e.g. make bench BENCHFLAGS="-runs 5 -tools reload,air").
BENCHFLAGS ?=
bench:
	go run ./internal/cmd/bench $(BENCHFLAGS)

# bench-peers installs nodemon, node-supervisor and tsx (npm) and air (Go)
# into internal/cmd/bench/.peers, where make bench finds them. node --watch
# is node's own (20 or later).
PEERS := internal/cmd/bench/.peers
bench-peers:
	npm install --prefix $(PEERS) --no-save --no-audit --no-fund nodemon@3.1.14 supervisor@0.12.0 tsx@4.23.15
	GOBIN=$(abspath $(PEERS))/bin go install github.com/air-verse/air@v1.67.4
	@echo "peers installed in $(PEERS); now run: make bench"

# bench-go runs the Go micro-benchmarks (watcher setup and others).
bench-go:
	go test -run '^$$' -bench . -benchtime 5x -count 5 ./...

# bench-crash measures reload's own CPU time (its utime+stime from
# /proc/<pid>/stat, not its app's) while an app that exits 1 at once
# crash-loops for CRASH_SECS under --no-watch --on-crash: with the default
# backoff, then with initial = max = 10ms. Then it runs the 1,000-restart
# soak (open files and RSS flat, no app left).
CRASH_SECS ?= 30
bench-crash: build
	@d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && echo 'exit 1' > "$$d/app.sh" && \
	for b in default 10ms; do \
	  [ $$b = default ] || printf '[backoff]\ninitial = "10ms"\nmax = "10ms"\n' > "$$d/.reload.toml"; \
	  (cd "$$d" && exec "$(abspath $(BIN))" --no-watch --on-crash app.sh 2>"$$d/log") & pid=$$!; \
	  sleep $(CRASH_SECS); \
	  set -- $$(sed 's/.*) //' /proc/$$pid/stat); \
	  ns=$$(cat /proc/$$pid/task/*/schedstat | awk '{s += $$1} END {print s}'); \
	  kill -INT $$pid; wait $$pid; \
	  echo "backoff $$b: $$(grep -c 'app crashed' "$$d/log") crashes in $(CRASH_SECS)s;" \
	    "reload's CPU: utime+stime $$(($${12} + $${13})) ticks of 1/$$(getconf CLK_TCK) s, on-CPU $$(awk "BEGIN {print $$ns / 1e9}") s"; \
	done
	cd e2e && RELOAD_SOAK=1 go test -count=1 -run '^TestCrashLoopSoak$$' -v .

# soak edits files at random for SOAK_TIME and reports edits, restarts,
# missed paths, and reload's fds and RSS at start and end.
SOAK_TIME ?= 5m
soak:
	cd e2e && RELOAD_SOAK_EDITS=$(SOAK_TIME) go test -count=1 -timeout 0 -v -run '^TestRandomEditSoak$$' .

# fuzz runs random file operations against the watcher, events and polling,
# with random seeds for FUZZ_TIME (a failure prints its seed; replay it with
# RELOAD_FUZZ_SEED=n make fuzz).
FUZZ_TIME ?= 5m
fuzz:
	RELOAD_FUZZ=$(FUZZ_TIME) go test -race -count=1 -timeout 0 -v -run '^TestRandomOps$$' ./watcher/

clean:
	rm -f $(BIN) $(BIN).1
	rm -rf npm/dist
