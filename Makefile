# wsc — build, test and benchmark. `make test` is the one test command: it installs what it needs.
SWIFT ?= swift
VENV := .venv
PYTHON ?= python3
MANUAL_DATE := 2026-11-24

.PHONY: all build release deps venv lint format test bench bench-smoke docs clean fuzz fuzz-corpus test-sanitizers

# The libFuzzer targets (Fuzz/README.md).
FUZZ_TARGETS ?= frames upgrade-response upgrade-request extensions proxy url lines
FUZZ_SECONDS ?= 60

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

# Every committed fuzz input once through its target, as a regression test.
fuzz-corpus: build
	@for target in $(FUZZ_TARGETS); do ./.build/debug/wsc-fuzz $$target Fuzz/Corpus/$$target/* || exit 1; done

# The suites are XCTest; without the Swift Testing pass, the run ends on XCTest's summary line.
test: deps venv build lint fuzz-corpus bench-smoke
	$(SWIFT) test --disable-swift-testing

# Each fuzz target under libFuzzer with AddressSanitizer for FUZZ_SECONDS; optimized, with the internal types
# the targets test visible (-enable-testing): ten to thirty times the executions per second of a debug build.
fuzz: deps
	$(SWIFT) build -c release --product wsc-fuzz --scratch-path .build-fuzz \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -DFUZZING
	Fuzz/run $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The unit and end-to-end tests under AddressSanitizer, then ThreadSanitizer (slow: not part of `make test`).
test-sanitizers: deps venv
	$(SWIFT) test --disable-swift-testing --sanitize=address --scratch-path .build-asan
	$(SWIFT) test --disable-swift-testing --sanitize=thread --scratch-path .build-tsan

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
