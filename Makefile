# wsc — build, test and benchmark. `make test` is the one test command: it installs what it needs.
SWIFT ?= swift
VENV := .venv
PYTHON ?= python3

.PHONY: all build release deps venv lint format test bench docs clean

all: build

deps:
	@./.ci/install-deps

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product wsc

$(VENV)/.installed: Tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r Tests/requirements.txt
	touch $@

venv: $(VENV)/.installed

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

test: deps venv build lint
	$(SWIFT) test

bench: deps
	bench/run

docs: build
	./.build/debug/wsc --generate-completion-script bash > completions/wsc.bash
	./.build/debug/wsc --generate-completion-script zsh > completions/_wsc
	./.build/debug/wsc --generate-completion-script fish > completions/wsc.fish
	$(SWIFT) package plugin --allow-writing-to-package-directory generate-manual --multi-page=false --output-directory man wsc 2>/dev/null || \
		$(SWIFT) package generate-manual --output-directory man

clean:
	rm -rf .build $(VENV)
