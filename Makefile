# Rapport: build, run, test and package.
# On a fresh Debian/Ubuntu machine `make run` and `make test` are all you need;
# both install the missing system packages first (see .ci/deps.sh).

GO      ?= go
FYNE    ?= $(GO) run fyne.io/tools/cmd/fyne@v1.7.4
BIN     := rapport
# -s -w: no symbol table or DWARF (47 MB → 32 MB); panics still print their
# stack traces. fyne package --release strips the same way.
LDFLAGS ?= -s -w
SHOTTER := ../shared/tools/screenshot

export LANG ?= C.UTF-8
export DEBIAN_FRONTEND := noninteractive

.PHONY: all deps build run test race fmt-check vet bench screenshots package windows clean

all: build

## deps: install the Debian/Ubuntu packages Fyne and the tests need, if missing
deps:
	@./.ci/deps.sh

## build: compile ./rapport
build:
	$(GO) build -ldflags='$(LDFLAGS)' -o $(BIN) .

## run: open the window
run: deps build
	./$(BIN)

## test: formatting, vet and every test
test: deps fmt-check vet
	$(GO) test -count=1 -timeout 15m ./...
	@GO="$(GO)" ./.ci/skipped.sh

## race: the tests under the race detector (a few minutes; not in CI)
race: deps
	$(GO) test -race -count=1 -timeout 20m ./...

fmt-check:
	@files=$$(find . -name '*.go' -not -path './.git/*' -not -path '*/testdata/*' -print0 | xargs -0 -r gofmt -l); \
	if [ -n "$$files" ]; then echo "gofmt: these files need formatting (run gofmt -w):"; echo "$$files"; exit 1; fi

vet:
	$(GO) vet ./...

## bench: run the benchmarks (BenchmarkSearchProcess and BenchmarkHelpProcess
## time the built binary as whole processes: the median of 20 runs)
## The sync benchmarks (data/sync/...) run against the local Radicale and
## Xandikos; one op is a whole sync of 1,000-10,000 cards, so they run once
## each (-benchtime=1x), with a long timeout.
bench:
	$(GO) test -run '^$$' -bench . -benchmem $$($(GO) list ./... | grep -v '/data/sync/')
	$(GO) test -run '^$$' -bench . -benchtime=1x -timeout 120m ./data/sync/...

## screenshots: regenerate docs/screenshots/*.png under Xvfb (see .ci/screenshots.sh)
screenshots: deps build
	@./.ci/screenshots.sh $(SHOTTER)

## package: Rapport.tar.xz with the binary, icon, .desktop entry and an install
## Makefile; app ID, name, version and icon come from FyneApp.toml.
## fyne package rewrites FyneApp.toml with Build+1; we put it back, so that
## bumping Version/Build stays a deliberate, committed edit.
package: deps
	rm -f Rapport.tar.xz
	@cp FyneApp.toml .FyneApp.toml.keep; \
	 $(FYNE) package -os linux --release; rc=$$?; \
	 mv .FyneApp.toml.keep FyneApp.toml; exit $$rc
	@echo "Rapport.tar.xz contains:"; tar tJvf Rapport.tar.xz
	@tar tJf Rapport.tar.xz | grep -q '^rapport/usr/local/bin/rapport$$' && \
	 tar tJf Rapport.tar.xz | grep -q '\.desktop$$' && \
	 tar tJf Rapport.tar.xz | grep -q 'pixmaps/.*\.png$$' || \
	 { echo "package: Rapport.tar.xz lacks the binary, .desktop entry or icon" >&2; exit 1; }

## windows: Rapport.exe for 64-bit Windows, cross-built here with MinGW (installed
## if missing): a GUI program with the icon; subcommands attach to the console
## they are started from (console_windows.go). Not part of CI: a cold build
## takes about 8 minutes on two cores.
windows: deps
	@command -v x86_64-w64-mingw32-gcc >/dev/null || \
	 { sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	   $$sudo apt-get update -qq && $$sudo apt-get install -y -qq --no-install-recommends gcc-mingw-w64-x86-64; }
	rm -f Rapport.exe
	@# The fyne tool itself is built for this machine, before CC names MinGW.
	GOBIN=$(CURDIR)/.ci/out $(GO) install fyne.io/tools/cmd/fyne@v1.7.4
	@cp FyneApp.toml .FyneApp.toml.keep; \
	 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc .ci/out/fyne package -os windows --release; rc=$$?; \
	 mv .FyneApp.toml.keep FyneApp.toml; exit $$rc
	@ls -l Rapport.exe

clean:
	rm -f $(BIN) Rapport.tar.xz Rapport.exe
	rm -rf .ci/out testdata/failed
