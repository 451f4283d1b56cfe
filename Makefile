# Lockstep — `make run` runs every bundled scenario, `make test` runs the test suite,
# `make bench` runs the benchmarks (the separate package in Benchmarks/, see docs/benchmarks.md).
# All three first make sure OpenBLAS (the GEMM backend, loaded at run time as libopenblas.so.0) is installed.

SWIFT ?= swift
PREFIX ?= /usr/local
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run test build deps bench clean install

deps:
	@if ! pkg-config --exists openblas 2>/dev/null; then \
	  echo "Installing libopenblas-dev (needed for matmul)…"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libopenblas-dev pkg-config >/dev/null; \
	fi
	@if ! command -v xmllint >/dev/null 2>&1; then \
	  echo "Installing libxml2-utils (xmllint, which the JUnit output test validates with)…"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libxml2-utils >/dev/null; \
	fi

build: deps
	$(SWIFT) build -c release --product lockstep

# `make install` puts the release build of `lockstep` on PATH, under $(PREFIX)/bin.
install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 "$$($(SWIFT) build -c release --show-bin-path)/lockstep" $(DESTDIR)$(PREFIX)/bin/lockstep

run: build
	$(SWIFT) run -c release --skip-build lockstep run

test: deps
	$(SWIFT) test

bench: deps
	cd Benchmarks && $(SWIFT) run -c release lockstep-bench

clean:
	rm -rf .build .lockstep Benchmarks/.build
