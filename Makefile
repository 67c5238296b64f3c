# wsc — build, test and benchmark. `make test` is the one test command: it installs what it needs.
SWIFT ?= swift
VENV := .venv
PYTHON ?= python3
MANUAL_DATE := 2026-11-24

.PHONY: all build release deps venv lint format test bench bench-smoke docs clean

all: build

deps:
	@./.ci/install-deps

build: deps
	$(SWIFT) build

# The Swift runtime linked into the binary: it starts about 10 ms sooner, which scripts that run it often feel.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product wsc

$(VENV)/.installed: Tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r Tests/requirements.txt
	touch $@

venv: $(VENV)/.installed

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

# The benchmark's parts, at tiny sizes and for correctness only (no timing is judged here), on the release
# binary: the one users install, linked as Package.swift links it on Linux.
bench-smoke: release
	bench/run --smoke --wsc .build/release/wsc

# The suites are XCTest; without the Swift Testing pass, the run ends on XCTest's summary line.
test: deps venv build lint bench-smoke
	$(SWIFT) test --disable-swift-testing

bench: deps
	bench/run

# Regenerates the completion scripts and the manual from the argument parser; commit the results.
docs: build
	./.build/debug/wsc --generate-completion-script bash > completions/wsc.bash
	./.build/debug/wsc --generate-completion-script zsh > completions/_wsc
	./.build/debug/wsc --generate-completion-script fish > completions/wsc.fish
	$(SWIFT) package --allow-writing-to-package-directory generate-manual --configuration debug --date $(MANUAL_DATE)
	cp .build/plugins/GenerateManual/outputs/wsc/wsc.1 man/wsc.1

clean:
	rm -rf .build $(VENV)
