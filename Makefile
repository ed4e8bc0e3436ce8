# rollcall: the two commands a new user runs are `make demo` and `make test`.
# Both install what is missing (scripts/bootstrap), then build with the CMake
# presets in CMakePresets.json (build/release, build/debug).
SHELL := /bin/bash
MAKEFLAGS += --no-print-directory
JOBS ?= $(shell nproc)
RELEASE := build/release
DEBUG := build/debug
DEMO_DIR := demo

.PHONY: all bootstrap release debug demo test test-release test-debug bench conformance format clean

all: release

bootstrap:
	@scripts/bootstrap

release: bootstrap
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

debug: bootstrap
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug -j $(JOBS)

# Generates a demo school scenario and prints a readable summary of its evaluation.
demo: release
	@mkdir -p $(DEMO_DIR)
	@$(RELEASE)/rollcall synth --pupils 420 --years 2 --seed 2024 --phase primary \
	    --out $(DEMO_DIR)/school.json
	@$(RELEASE)/rollcall summary $(DEMO_DIR)/school.json
	@echo
	@echo "Scenario: $(DEMO_DIR)/school.json   Full result: $(RELEASE)/rollcall evaluate $(DEMO_DIR)/school.json"

# Every test: the debug build (ASan + UBSan) runs the unit, conformance and
# fuzz tests; the release build runs them again as shipped.
test: test-debug test-release

test-debug: debug
	@cd $(DEBUG) && ctest --output-on-failure -j $(JOBS)

test-release: release
	@cd $(RELEASE) && ctest --output-on-failure -j $(JOBS)

conformance: release
	@python3 tests/conformance/run.py $(RELEASE)/rollcall tests/conformance/cases

bench: release
	@scripts/bench

format:
	@clang-format -i $$(find src tests bench -name '*.h' -o -name '*.cc')

clean:
	rm -rf build $(DEMO_DIR)
