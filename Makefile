# rollcall: the two commands a new user runs are `make demo` and `make test`.
# Both install what is missing (scripts/bootstrap), then build with the CMake
# presets in CMakePresets.json (build/release, build/debug).
SHELL := /bin/bash
MAKEFLAGS += --no-print-directory
JOBS ?= $(shell nproc)
RELEASE := build/release
DEBUG := build/debug
DEMO_DIR := demo

.PHONY: all bootstrap release debug demo package test test-release test-release-full test-debug bench bench-load bench-mark bench-engine conformance screenshots format clean

all: release

bootstrap:
	@scripts/bootstrap

# UNITY=OFF compiles file by file (quicker when editing one file); the
# default, ON, is quicker from a clean tree (CMakeLists.txt says by how much).
UNITY ?= ON
# A build folder made by an older checkout with Make's generator is started
# afresh: CMake cannot change the generator of an existing folder.
fresh_if_not_ninja = @if [ -f $(1)/CMakeCache.txt ] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$$' $(1)/CMakeCache.txt; then rm -rf $(1); fi

# The release build is what ships: the binary and the benchmarks. Its
# GoogleTest suites are built only on request (RELEASE_UNIT_TESTS=ON, or
# `make test-release-full`); `make test` runs them in the sanitizer build.
RELEASE_UNIT_TESTS ?= OFF
release: bootstrap
	$(call fresh_if_not_ninja,$(RELEASE))
	@cmake --preset release -DROLLCALL_UNITY=$(UNITY) -DROLLCALL_UNIT_TESTS=$(RELEASE_UNIT_TESTS) >/dev/null
	@cmake --build --preset release -j $(JOBS)

# SHIPPED: a release binary whose tests (those that drive the binary) the
# sanitizer build's ctest runs too, beside its own (`make test` sets it).
SHIPPED ?=
debug: bootstrap
	$(call fresh_if_not_ninja,$(DEBUG))
	@cmake --preset debug -DROLLCALL_UNITY=$(UNITY) -DROLLCALL_SHIPPED_BINARY=$(SHIPPED) >/dev/null
	@cmake --build --preset debug -j $(JOBS)

# Creates the demo primary school (first time only) in demo/rollcall.db and
# serves it on port 8080 (PORT=... to change); prints the URL and the logins.
PORT ?= 8080
NOW ?=
demo: release
	@$(RELEASE)/rollcall demo --db $(DEMO_DIR)/rollcall.db --port $(PORT) --quiet $(if $(NOW),--now $(NOW))

# The Debian package of the release build (docs/packaging.md):
# build/release/rollcall_VERSION-1_ARCH.deb, ready for `apt install ./...`.
package: release
	@cd $(RELEASE) && cpack -G DEB

# Every test: the debug build (ASan + UBSan) runs the GoogleTest suites,
# conformance, fuzz, command-line and server tests; the release build's
# binary, as shipped, runs the conformance cases again, the README's
# walk-through and the browser tests (the flows and the accessibility pass,
# side by side). Both
# sets run in one ctest run (tests named shipped.*), which keeps both cores busy
# until the end: run separately, the release build's tests left one core idle
# for most of their minute. Run it all twice, as before, with
# `make test-debug test-release-full`.
# The two builds run at once: each alone leaves a core idle while its last
# files compile and its programs link one after another.
test: bootstrap
	@$(MAKE) -j2 release debug SHIPPED=$(abspath $(RELEASE))/rollcall
	@cd $(DEBUG) && ctest --output-on-failure -j $(JOBS)

test-debug: debug
	@cd $(DEBUG) && ctest --output-on-failure -j $(JOBS)

test-release: release
	@cd $(RELEASE) && ctest --output-on-failure -j $(JOBS)

test-release-full:
	@$(MAKE) test-release RELEASE_UNIT_TESTS=ON

conformance: release
	@python3 tests/conformance/run.py $(RELEASE)/rollcall tests/conformance/cases

bench: release
	@scripts/bench
	@python3 bench/load_bench.py $(RELEASE)/rollcall

# The columnar engine at LA scale against DuckDB and SQLite (README "LA scale").
PUPILS ?= 1000000
bench-engine: release
	@scripts/bench-engine $(RELEASE)/rollcall $(PUPILS)

# Recording a mark with 0 and with 500 open cases of other pupils.
bench-mark: release
	@$(RELEASE)/bench/mark_bench

bench-load: release
	@python3 bench/load_bench.py $(RELEASE)/rollcall
	@python3 bench/page_bench.py $(RELEASE)/rollcall

# Saves each page at 1280 and 375 px under docs/screenshots (the README shows
# them), with the demo's clock at 10:30 last Wednesday, so the registers and
# Today are those of a school morning whenever this runs.
screenshots: release
	@mkdir -p docs/screenshots
	@ROLLCALL_DEMO_NOW=$$(date -d 'last wednesday' +%FT10:30) scripts/browser-test $(RELEASE)/rollcall docs/screenshots

format:
	@clang-format -i $$(find src tests bench -name '*.h' -o -name '*.cc')

clean:
	rm -rf build $(DEMO_DIR)
