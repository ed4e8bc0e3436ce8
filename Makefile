# rollcall: the two commands a new user runs are `make demo` and `make test`.
# Both install what is missing (scripts/bootstrap), then build with the CMake
# presets in CMakePresets.json (build/release, build/debug).
SHELL := /bin/bash
MAKEFLAGS += --no-print-directory
JOBS ?= $(shell nproc)
RELEASE := build/release
DEBUG := build/debug
FUZZ := build/fuzz
DEMO_DIR := demo

.PHONY: all bootstrap release debug demo package test test-release test-release-full test-debug bench bench-load bench-mark bench-engine bench-hosted bench-lessons conformance screenshots format clean fuzz-build fuzz fuzz-merge

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
# FUZZED: a fuzz build folder whose harnesses the sanitizer build's ctest
# runs for 10 s each (tests named fuzz.*; `make test` sets it).
FUZZED ?=
debug: bootstrap
	$(call fresh_if_not_ninja,$(DEBUG))
	@cmake --preset debug -DROLLCALL_UNITY=$(UNITY) -DROLLCALL_SHIPPED_BINARY=$(SHIPPED) -DROLLCALL_FUZZ_DIR=$(FUZZED) >/dev/null
	@cmake --build --preset debug -j $(JOBS)

# The libFuzzer harnesses (docs/fuzzing.md): clang 14, AddressSanitizer and
# UBSan, in build/fuzz. FUZZ_JOBS compiles in parallel (`make test` builds it
# beside the other two with one job).
FUZZ_JOBS ?= $(JOBS)
fuzz-build: bootstrap
	$(call fresh_if_not_ninja,$(FUZZ))
	@cmake --preset fuzz -DROLLCALL_UNITY=$(UNITY) >/dev/null
	@cmake --build --preset fuzz -j $(FUZZ_JOBS)

# Runs each harness for FUZZ_SECONDS on a scratch copy of its seed corpus
# (fuzz/corpus/<harness>/); FUZZERS="routing http_request" runs only those.
# A finding stops nothing else: each harness runs, and the findings are kept
# under build/fuzz/findings/.
FUZZ_SECONDS ?= 300
FUZZERS ?=
fuzz: fuzz-build
	@scripts/fuzz-run $(FUZZ) $(FUZZ_SECONDS) $(FUZZERS)

# As `make fuzz`, then the new inputs that add coverage are merged into the
# repository's seed corpus (libFuzzer's -merge=1 keeps only those).
fuzz-merge: fuzz-build
	@rm -rf $(FUZZ)/reached && scripts/fuzz-run --keep $(FUZZ)/reached $(FUZZ) $(FUZZ_SECONDS) $(FUZZERS); \
	  for dir in $(FUZZ)/reached/*; do h=$$(basename $$dir); \
	    $(FUZZ)/fuzz/fuzz_$$h -merge=1 fuzz/corpus/$$h $$dir >/dev/null 2>&1 || exit 1; \
	    echo "fuzz-merge: fuzz/corpus/$$h now $$(ls fuzz/corpus/$$h | wc -l) files"; done

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
# The fuzz build compiles beside them with one job, filling the cores the
# other two leave idle while they link; its harnesses run 10 s each in the
# same ctest run (fuzz.*).
test: bootstrap
	@$(MAKE) -j3 release debug fuzz-build SHIPPED=$(abspath $(RELEASE))/rollcall FUZZED=$(abspath $(FUZZ)) FUZZ_JOBS=1
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

# The hosted morning burst (docs/benchmarks.md): 100 schools in
# one throwaway PostgreSQL, two server processes, every register of every
# school taken within 60 s while 500 clients read summaries, beside a
# one-school SQLite baseline measured in the same run. SCHOOLS=... and
# DAYS=... (school days of marks before the bench day) to change.
SCHOOLS ?= 100
DAYS ?= 5
bench-hosted: release
	@scripts/bench-hosted --binary $(RELEASE)/rollcall --schools $(SCHOOLS) --days $(DAYS)

# The lesson-register burst (docs/benchmarks.md): on the demo's
# secondary school, 50 teachers each take a lesson's register of 30 pupils
# at once, beside 50 statutory registers of 30 in the same run.
bench-lessons: release
	@scripts/bench-lessons $(RELEASE)/rollcall

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
	@clang-format -i $$(find src tests bench fuzz -name '*.h' -o -name '*.cc')

clean:
	rm -rf build $(DEMO_DIR)
