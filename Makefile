# rlec: `make demo` builds rlec and runs it on the bundled sample; `make test`
# runs every test. See README.md.

GO       ?= go
BIN      := bin/rlec
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 60s

.PHONY: build test demo bench fuzz man clean

build:
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/rlec

test:
	$(GO) vet ./...
	$(GO) test -race ./...

demo: build
	./scripts/demo.sh $(BIN) testdata/sample.bmp

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Each fuzz target in turn for FUZZTIME; crashers land in testdata/fuzz.
fuzz:
	$(GO) test ./internal/rle -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/rle -run '^$$' -fuzz '^FuzzRoundTrip$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/bitmap -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME)

clean:
	rm -rf bin

# Man pages, generated from the commands, in man/man1.
man: build
	./$(BIN) man man/man1
