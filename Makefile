# reload — build, install, test.
BIN      ?= reload
PREFIX   ?= $(shell go env GOPATH)
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)

.PHONY: build install test lint cross bench fuzz clean

build:
	go build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) .

# install puts reload in $(PREFIX)/bin (by default $(go env GOPATH)/bin, i.e. ~/go/bin).
install:
	GOBIN=$(PREFIX)/bin go install -trimpath -ldflags "$(LDFLAGS)" .
	@echo "installed $(PREFIX)/bin/$(BIN)"

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	go vet ./...

# cross checks that the per-OS process code compiles everywhere.
cross:
	GOOS=darwin go vet ./...
	GOOS=windows go vet ./...
	GOOS=windows go build -o /dev/null .
	GOOS=darwin go build -o /dev/null .

test: lint cross
	go test -race -count=1 -timeout 8m ./...

bench:
	go test -run '^$$' -bench . -benchtime 5x -count 5 ./...

fuzz:
	@echo "no fuzz targets yet"

clean:
	rm -f $(BIN)
