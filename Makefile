# rlec: `make demo` builds rlec and runs it on the bundled sample; `make test`
# runs every test. See README.md.

GO       ?= go
BIN      := bin/rlec
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 60s
# Go shrinks every new input it finds for up to a minute by default, running
# nothing new meanwhile, which leaves little of a short run for fuzzing; ten
# seconds still shrinks a crasher.
FUZZMINIMIZETIME ?= 10s
FUZZFLAGS = -run '^$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME)

PREFIX   ?= /usr/local
DESTDIR  ?=

.PHONY: build test test-cluster demo bench fuzz man soak clean install

# Without cgo the binary is static: no dynamic loader at start-up, which
# matters when rlec runs once per file (pflag links package net, which would
# otherwise pull in cgo).
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/rlec

# Every test under the race detector; then, without it, the peak-memory
# tests (the detector's shadow memory would inflate what they measure) and
# the conformance images under the process strategy (a child per image,
# slow to start under the detector); then the man pages and make install.
test:
	@test -d ../shared/conformance || echo "make test: ../shared/conformance not found: the conformance tests are skipped"
	$(GO) vet ./...
	$(GO) test -race ./...
	$(GO) test -count=1 -run '^(TestScale|TestLargePage|TestFormatsConformance)$$' ./cmd/rlec
	$(GO) test -count=1 -tags rlecman -run '^TestMan$$' ./cmd/rlec
	./scripts/test-install.sh

# The README's cluster recipes, run as printed on a one-node Slurm cluster
# that scripts/test-cluster.sh starts on localhost (installing slurm-wlm,
# munge and parallel from Debian when missing, as root) and stops again.
# Kept out of make test, which starts no daemon.
test-cluster: build
	scripts/test-cluster.sh README.md

# The strategies run at once on random inputs for SOAK_TIME, under -race.
SOAK_TIME ?= 1m
soak:
	RLEC_SOAK_TIME=$(SOAK_TIME) $(GO) test -race -tags soak -run '^TestSoak$$' -timeout 0 -v ./internal/strategy

demo: build
	./scripts/demo.sh $(BIN) testdata/sample.bmp

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Each fuzz target in turn for FUZZTIME; crashers land in testdata/fuzz.
fuzz:
	$(GO) test ./internal/rle $(FUZZFLAGS) -fuzz '^FuzzDecode$$'
	$(GO) test ./internal/rle $(FUZZFLAGS) -fuzz '^FuzzRoundTrip$$'
	$(GO) test ./internal/codec/bmp $(FUZZFLAGS) -fuzz '^FuzzDecode$$'
	$(GO) test ./internal/strategy $(FUZZFLAGS) -fuzz '^FuzzEncode$$'
	$(GO) test ./internal/strategy $(FUZZFLAGS) -fuzz '^FuzzDecompress$$'

clean:
	rm -rf bin

# Man pages, generated from the commands, in man/man1.
man:
	$(GO) run -tags rlecman -ldflags "-X main.version=$(VERSION)" ./cmd/rlec man man/man1

# The binary, its man pages and its shell completions, under PREFIX (and
# DESTDIR, for packagers).
install: build man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d \
		$(DESTDIR)$(PREFIX)/share/rlec
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/rlec
	install -m 644 man/man1/*.1 $(DESTDIR)$(PREFIX)/share/man/man1
	$(BIN) completion bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/rlec
	$(BIN) completion zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_rlec
	$(BIN) completion fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/rlec.fish
	$(BIN) completion powershell > $(DESTDIR)$(PREFIX)/share/rlec/rlec.ps1
