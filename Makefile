# wsc — build, test and benchmark. `make test` is the one test command: it installs what it needs.
SWIFT ?= swift
VENV := .venv
PYTHON ?= python3
MANUAL_DATE := 2026-11-24
# make install: where, and under which root (DESTDIR, for packaging).
PREFIX ?= /usr/local
DESTDIR ?=
BINARY ?= .build/release/wsc
# make run: a server to connect to instead of wsc's own echo server, and options for wsc.
URL ?=
ARGS ?=

.PHONY: all build release deps venv lint format test bench bench-smoke docs docs-check run install install-files \
	uninstall clean fuzz fuzz-corpus test-sanitizers order order-check

# The libFuzzer targets (Fuzz/README.md).
FUZZ_TARGETS ?= frames upgrade-response upgrade-request extensions proxy url lines
FUZZ_SECONDS ?= 60

all: build

deps:
	@./.ci/install-deps

build: deps
	$(SWIFT) build

# What a Swift user types. Package.swift links the Swift runtime into the release binary (it starts about 10 ms
# sooner, which scripts that run it often feel); the check fails the build if it ever loads the runtime's
# shared libraries again.
release: deps
	$(SWIFT) build -c release --product wsc
	@! ldd .build/release/wsc | grep libswift || \
		{ echo "the release binary loads the Swift runtime's shared libraries: see Package.swift" >&2; exit 1; }

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

# The link order of the common paths' functions (link/wsc.order): written from a profile of the release binary.
# The binary is relinked after, with the new order.
order: release
	bench/profile-order --wsc $(BINARY)
	rm -f $(BINARY) && $(MAKE) release

# Fails when the committed order misses more than a few percent of what a smoke run of the release binary runs.
order-check: release
	bench/profile-order --check --wsc $(BINARY)

# The suites are XCTest; without the Swift Testing pass, the run ends on XCTest's summary line.
test: deps venv build lint docs-check fuzz-corpus bench-smoke order-check
	$(SWIFT) test --disable-swift-testing

# The interactive session on wsc's own echo server (or on URL), built as users get it.
run: release
	@./.ci/run-demo $(BINARY) "$(URL)" $(ARGS)

# Each fuzz target under libFuzzer with AddressSanitizer for FUZZ_SECONDS; optimized, with the internal types
# the targets test visible (-enable-testing): ten to thirty times the executions per second of a debug build.
fuzz: deps
	$(SWIFT) build -c release --product wsc-fuzz --scratch-path .build-fuzz \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -DFUZZING
	Fuzz/run $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The unit tests under AddressSanitizer, then ThreadSanitizer, each in a build of its own; then the end-to-end
# tests, from the plain debug build, against the wsc of that sanitizer's build (under `swift test --sanitize`,
# Foundation's Process.run crashes). A report from any wsc they run (written in a folder of reports) fails the
# run. Skipped there: the tests that bound wsc's memory or CPU time, which a sanitizer's shadow memory and
# slowdown exceed without anything being wrong. AddressSanitizer runs without leak checking (XCTest's async
# tests, embedded channels that tests leave open and NIO's process-long singletons all show as leaks) and
# skips the test that glibc accepts wsc's mallopt(3) settings (its allocator is not glibc's). Slow: not part
# of `make test`.
SANITIZERS ?= address thread
SANITIZER_BOUND_TESTS := CompressionTests.testLargeBombDoesNotGrowMemory \
	CompressionTests.testCompressedMessagesNearTheLimitDoNotPileUp \
	LongLineTests.testAGibibyteLineFromDevZeroIsStreamedInBoundedMemory \
	ListenHostileClientTests.testDeflateBombsFromAHundredClientsStayWithinTheSharedBudget \
	ListenHostileClientTests.testAcceptingPausesWhenDescriptorsRunOutWithNoHandshakeToDrop \
	StandardDescriptorTests.testASlowlyReadNonBlockingStdoutLosesNothingAndDoesNotSpin

test-sanitizers: deps venv
	$(SWIFT) build --build-tests
	@for sanitizer in $(SANITIZERS); do \
		scratch=.build-$$sanitizer; reports=$$(mktemp -d); skip=; \
		if [ $$sanitizer = address ]; then skip="--skip AllocatorTuningTests"; fi; \
		echo "== $$sanitizer"; \
		$(SWIFT) build --build-tests --sanitize=$$sanitizer --scratch-path $$scratch && \
		ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --skip-build --disable-swift-testing --sanitize=$$sanitizer \
			--scratch-path $$scratch --skip EndToEndTests $$skip && \
		ASAN_OPTIONS=detect_leaks=0:log_path=$$reports/report TSAN_OPTIONS=log_path=$$reports/report \
			WSC_BINARY=$$scratch/debug/wsc \
			$(SWIFT) test --skip-build --disable-swift-testing --filter EndToEndTests \
			$(addprefix --skip ,$(SANITIZER_BOUND_TESTS)) || exit 1; \
		if ls $$reports/report.* >/dev/null 2>&1; then \
			head -40 $$reports/report.*; echo "$$sanitizer: wsc reported errors; see $$reports" >&2; exit 1; \
		fi; \
		rm -rf $$reports; \
	done

bench: deps
	bench/run

# Regenerates the completion scripts and the manual (man/wsc.1.in with the options of the argument parser)
# from the debug binary; commit the results.
docs: build
	./.ci/generate-docs .build/debug/wsc $(MANUAL_DATE) .

# Generates the docs into a temporary folder and fails, naming the file, when a committed one differs; the
# manual must lint clean.
docs-check: build
	@folder=$$(mktemp -d) && trap 'rm -rf "$$folder"' EXIT && \
	./.ci/generate-docs .build/debug/wsc $(MANUAL_DATE) "$$folder" && \
	for file in completions/wsc.bash completions/_wsc completions/wsc.fish man/wsc.1; do \
		diff -u "$$file" "$$folder/$$file" >/dev/null || \
			{ diff -u "$$file" "$$folder/$$file" | head -40; echo "$$file is stale: run 'make docs' and commit it" >&2; \
			exit 1; }; \
	done
	@lint=$$(mandoc -Tlint man/wsc.1 2>&1) || true; \
	if [ -n "$$lint" ]; then echo "$$lint" >&2; echo "man/wsc.1: mandoc -Tlint is not silent" >&2; exit 1; fi

# Installs the binary, the manual and the completions where each shell looks for them; `make install-files`
# installs an already built BINARY.
install: release
	@$(MAKE) --no-print-directory install-files

install-files:
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/man/man1" \
		"$(DESTDIR)$(PREFIX)/share/bash-completion/completions" "$(DESTDIR)$(PREFIX)/share/zsh/site-functions" \
		"$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d"
	install -m 755 $(BINARY) "$(DESTDIR)$(PREFIX)/bin/wsc"
	install -m 644 man/wsc.1 "$(DESTDIR)$(PREFIX)/share/man/man1/wsc.1"
	install -m 644 completions/wsc.bash "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/wsc"
	install -m 644 completions/_wsc "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_wsc"
	install -m 644 completions/wsc.fish "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/wsc.fish"

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/wsc" "$(DESTDIR)$(PREFIX)/share/man/man1/wsc.1" \
		"$(DESTDIR)$(PREFIX)/share/bash-completion/completions/wsc" "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_wsc" \
		"$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/wsc.fish"

clean:
	rm -rf .build $(VENV)
