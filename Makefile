# Mon Compte mock and its test suites. `make` alone lists the targets.
# Every target that runs something first runs scripts/setup.sh (venv, project, Chromium).

SHELL := /bin/bash
.DEFAULT_GOAL := help
# pytest keeps its rewritten test modules (and Python its bytecode) in __pycache__/ only
# where Python may write bytecode: a shell that forbids it would have every pytest process
# of a run compile the project afresh (about 2 s each).
unexport PYTHONDONTWRITEBYTECODE

VENV        := .venv
PYTHON      := $(VENV)/bin/python
PYTEST      := $(VENV)/bin/pytest
REPORTS     := reports
# The example application's own tests (its suite on pytest_franceconnect_mock's fixtures):
# browserless, run by make test, make fast and make durations with the project's own.
EXAMPLE_TESTS := examples/relying_party/tests

PORT        ?= 8765
SLOWMO      ?= 500
K           ?=
DEVICE      ?=
PYTEST_ARGS ?=
# make load: Locust users (USERS, started RATE a second, for DURATION); LOGINS=10000 runs
# until that many logins are done instead; LOAD_ARGS for the others (--think 0,0.2 --mock-threads 8).
USERS       ?= 10
RATE        ?= 5
DURATION    ?= 30s
LOGINS      ?=
LOAD_ARGS   ?=
# make fuzz: schemathesis test cases per operation and phase; FUZZ_ARGS for the runner's
# other options (--seed N to replay a run, -- then any `schemathesis run` option).
FUZZ_EXAMPLES ?= 50
FUZZ_ARGS   ?=

# DEVICE="Pixel 7": pytest-playwright's --device (viewport, touch, user agent of that device).
DEVICE_ARGS = $(if $(strip $(DEVICE)),--device "$(DEVICE)")

# SHARD=i/n: group i of n (pytest-split), balanced on the durations recorded in DURATIONS
# (make durations); its reports go to reports/shard-i-of-n/, merged by make merge-reports.
# SEED=N: the run seed (the same on every shard: a failure replays with SEED and its test id).
# LF=1: only what failed last time (pytest's cache, .pytest_cache/).
SHARD       ?=
SEED        ?=
LF          ?=
DURATIONS   := .test_durations
# make flaky: run the scenarios matching K COUNT times each, print each one's pass rate.
COUNT       ?= 20
ifneq ($(strip $(SHARD)),)
SHARD_INDEX := $(word 1,$(subst /, ,$(SHARD)))
SHARD_TOTAL := $(word 2,$(subst /, ,$(SHARD)))
ifneq ($(shell echo '$(SHARD)' | grep -Ex '[1-9][0-9]*/[1-9][0-9]*' >/dev/null && [ $(SHARD_INDEX) -le $(SHARD_TOTAL) ] && echo ok),ok)
$(error SHARD=$(SHARD): a shard is i/n with 1 <= i <= n, for example SHARD=1/3)
endif
endif
OUT         := $(if $(strip $(SHARD)),$(REPORTS)/shard-$(SHARD_INDEX)-of-$(SHARD_TOTAL),$(REPORTS))
SHARD_ARGS  = $(if $(strip $(SHARD)),--splits $(SHARD_TOTAL) --group $(SHARD_INDEX) --durations-path $(DURATIONS) --splitting-algorithm least_duration)
RUN_ARGS    = $(SHARD_ARGS) $(if $(strip $(SEED)),--seed $(SEED)) $(if $(strip $(LF)),--last-failed)

# Every report of a run in OUT: report.html, junit.xml, Allure's results, the artifacts.
REPORT_ARGS = --html=$(OUT)/report.html --self-contained-html --css=e2e/report.css --junitxml=$(OUT)/junit.xml \
              --alluredir $(OUT)/allure-results --output $(OUT)/artifacts
ALLURE      := node_modules/.bin/allure
# make trace: which trace (default: the newest under reports/artifacts) and port (default: any free one).
TRACE       ?=
TRACE_PORT  ?=

ifneq ($(filter headed,$(MAKECMDGOALS)),)
ifeq ($(strip $(K)),)
$(error make headed needs K, a pytest -k expression: make headed K="login and not lockout")
endif
endif

.PHONY: help setup node-client e2e test visual snapshots fast report merge-reports durations flaky trace tutorial serve headed bench bench-login load fuzz clean distclean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z0-9-]*:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  variables: PYTEST_ARGS='...' (extra pytest / pytest-playwright flags), PORT=$(PORT), K=..., SLOWMO=$(SLOWMO), DEVICE='Pixel 7', BENCH_ARGS='--workers 2 -k login'"
	@echo "             SHARD=i/n (one shard, reports in reports/shard-i-of-n/), SEED=N, LF=1 (what failed last), COUNT=$(COUNT) (make flaky)"

setup: ## create .venv, install the project, find or install Chromium (idempotent)
	@bash scripts/setup.sh

# The Node example's packages (openid-client 6), which e2e/test_node_client.py runs; not part of
# setup, so make serve and make fast need no Node.
node-client: ## install the Node client example's packages (openid-client 6) for e2e/test_node_client.py
	@bash scripts/setup-node-client.sh

# $(1): test paths. Runs pytest, prints where the report is, exits with pytest's status.
define run_suite
	rm -rf $(OUT)/artifacts
	@status=0; \
	$(PYTEST) $(1) -n auto $(REPORT_ARGS) $(RUN_ARGS) $(DEVICE_ARGS) $(PYTEST_ARGS) || status=$$?; \
	echo "Report: $(abspath $(OUT)/report.html) ($(if $(strip $(SHARD)),shard $(SHARD): make merge-reports once every shard has run,the Allure report: make report))"; \
	exit $$status
endef

e2e: setup node-client ## browser scenarios in parallel, HTML + JUnit report in reports/ (SHARD=i/n: one shard; LF=1: what failed)
	$(call run_suite,e2e)

test: setup node-client ## fast tests, every browser scenario and the example application's tests, same reports as e2e
	$(call run_suite,tests e2e $(EXAMPLE_TESTS))

report: setup ## build the Allure report reports/allure/index.html from the last run's results (make e2e, make test, pytest)
	@bash scripts/setup-report.sh
	@ls $(REPORTS)/allure-results/*-result.json >/dev/null 2>&1 || { echo "report: no results in $(REPORTS)/allure-results: run make e2e, make test or pytest first"; exit 2; }
	$(ALLURE) generate --config allurerc.mjs $(REPORTS)/allure-results
	@echo "Allure report: $(abspath $(REPORTS)/allure/index.html)"

# The shards' results are gathered in $(REPORTS)/allure-results with one environment naming
# each shard (Allure reads several folders, but shows only the last one's environment).
merge-reports: setup ## merge the shards' reports (reports/shard-*/, from make e2e SHARD=i/n) into one report.html, junit.xml and Allure report
	$(PYTHON) -m e2e.merge_reports --reports $(REPORTS)
	@bash scripts/setup-report.sh
	$(ALLURE) generate --config allurerc.mjs --output $(REPORTS)/allure $(REPORTS)/allure-results
	@echo "Merged report: $(abspath $(REPORTS)/report.html) (JUnit: $(abspath $(REPORTS)/junit.xml); Allure: $(abspath $(REPORTS)/allure/index.html))"

durations: setup node-client ## record every test's duration in .test_durations, which SHARD=i/n balances on (commit it)
	$(PYTEST) tests e2e $(EXAMPLE_TESTS) -n auto -p no:randomly --store-durations --clean-durations --durations-path $(DURATIONS) --failure-trace off \
	  --deselect tests/test_run_controls.py::test_the_recorded_durations_cover_every_suite $(PYTEST_ARGS)
	@echo "Durations: $(abspath $(DURATIONS)) ($$(grep -c '::' $(DURATIONS)) tests)"

flaky: setup node-client ## run the scenarios matching K COUNT times each in parallel and print each one's pass rate: make flaky K="login" COUNT=20
	@test -n "$(strip $(K))" || { echo 'make flaky needs K, a pytest -k expression: make flaky K="login and not lockout" COUNT=20'; exit 2; }
	$(PYTEST) e2e -k "$(K)" --count $(COUNT) -n auto -p no:randomly --failure-trace off --pass-rates $(DEVICE_ARGS) $(PYTEST_ARGS)

trace: setup ## open a Playwright trace in your browser: make trace [TRACE=reports/artifacts/…/trace.zip] (default: the newest)
	$(PYTHON) -m e2e.show_trace $(TRACE) $(if $(strip $(TRACE_PORT)),--port $(TRACE_PORT))

# No report from make fast (Allure's results would cost a third of its time): the last run's
# results stay for make report.
visual: setup ## the visual scenarios alone: every page against its baseline picture, report in reports/
	$(call run_suite,e2e -m visual)

snapshots: setup ## rewrite the baseline pictures that changed or are missing (e2e/snapshots/), then list them for review
	$(PYTEST) e2e -m visual -n auto --update-snapshots --alluredir= $(PYTEST_ARGS)
	@git status --short -- e2e/snapshots; echo "Review them (git diff --stat e2e/snapshots; open the PNGs), then commit them."

fast: setup ## fast tests only (the example application's too), no browser, no report, in parallel
	$(PYTEST) tests $(EXAMPLE_TESTS) -n auto --alluredir= $(PYTEST_ARGS)

tutorial: setup ## replay the happy paths and rebuild the illustrated guide reports/tutorial/index.html
	$(PYTEST) e2e -m tutorial -n auto --tutorial $(REPORTS)/tutorial $(DEVICE_ARGS) $(PYTEST_ARGS)

serve: setup ## run the mock server on port PORT (default 8765); SCENARIO=ameli-down to start with one
	$(PYTHON) -m mock_server --port $(PORT) $(if $(SCENARIO),--scenario $(SCENARIO))

headed: setup node-client ## watch matching scenarios in a visible browser: make headed K="login"
	$(PYTEST) e2e -k "$(K)" --headed --slowmo $(SLOWMO) -n 0 $(DEVICE_ARGS) $(PYTEST_ARGS)

bench: setup ## print the suites' speed (each build, -n 0 and -n 2) and the harness's cost per test (~15 min)
	$(PYTHON) -m benchmarks.suite $(BENCH_ARGS)

bench-login: setup ## print the login path's figures: mock answer times, a browser login
	$(PYTHON) -m benchmarks.login

load: setup ## Locust users on loopback (USERS=10 RATE=5 DURATION=30s, or LOGINS=10000): p95/p99, failures per step, memory
	$(PYTHON) -m benchmarks.load --users $(USERS) --rate $(RATE) --duration $(DURATION) $(if $(strip $(LOGINS)),--logins $(LOGINS)) $(LOAD_ARGS)

# Both parts run whatever the first one gives; the status is the last failure's.
fuzz: setup ## hostile input: the Hypothesis suite's long profile, then schemathesis on the control API (FUZZ_EXAMPLES=50)
	@status=0; \
	HYPOTHESIS_PROFILE=fuzz $(PYTEST) tests -m hostile -n auto --fast-test-timeout 0 $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "fuzz: no test marked hostile (tests/test_hostile_*.py)"; fi; \
	$(PYTHON) -m benchmarks.fuzz_control_api --max-examples $(FUZZ_EXAMPLES) $(FUZZ_ARGS) || status=$$?; \
	exit $$status

clean: ## remove reports (keeps reports/README.md) and caches
	find $(REPORTS) -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
	rm -rf test-results .pytest_cache *.egg-info
	find . \( -path ./$(VENV) -o -path ./.git \) -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean ## clean, and remove .venv too
	rm -rf $(VENV)
