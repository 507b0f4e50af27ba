# The two set-up commands of README.md: `make run` and `make test`.
SWIFT ?= swift
VENV ?= .venv
PY := $(VENV)/bin/python
ARGS ?=

.PHONY: run test deps venv build release unit integration harness lint format bench clean

deps:
	@scripts/install-deps.sh

venv: deps
	@VENV=$(VENV) scripts/make-venv.sh

release: deps
	$(SWIFT) build -c release

## Build in release mode and start the root on its embedded defaults (CONTRACT §2).
run: release
	.build/release/intercloud serve $(ARGS)

build: deps
	$(SWIFT) build --build-tests

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

unit: build
	$(SWIFT) test --skip-build --disable-xctest

## Integration tests: the real `intercloud serve` driven by slixmpp and other real peers.
integration: build venv
	INTERCLOUD_BIN=$$($(SWIFT) build --show-bin-path)/intercloud $(PY) -m pytest -q Tests/Integration

## The federation harness (issue 6) against a root it starts: 50 clouds, every step must pass.
harness: build
	$$($(SWIFT) build --show-bin-path)/intercloud harness --clouds 50

## The whole suite: lint, unit tests, integration tests, the federation harness.
test: deps venv build lint unit integration harness

bench: release venv
	$(PY) benchmarks/c2s_load.py --binary .build/release/intercloud

clean:
	rm -rf .build
