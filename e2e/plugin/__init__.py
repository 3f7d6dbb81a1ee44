"""The harness as one pytest plugin, registered once by the root conftest.py
(``pytest_plugins = ["e2e.plugin"]``), split by role as pytest-playwright's and
pytest-html's are:

- ``options``: every option of the harness and the run's configuration (seed, mock
  URL, time limits, retries), in one place;
- the fixtures, layered so each can be overridden: ``data`` (run seed, personas),
  ``mock`` (one mock per worker, its control API), ``browser`` (which Chromium, or a
  Playwright server: ``remote``), ``network`` (network faults the browser sees);
- the verdicts: ``retry`` (a failed scenario's traced retry, flaky tests with
  --reruns), ``timeouts`` (per-test time limits that name the step they stopped),
  ``pass_rates`` (make flaky: how often each test passed over many runs);
- the reports: ``environment`` (run seed, shard, machine, browser, commit),
  ``steps``, ``journal``, ``html_report`` (report.html), ``allure_report``
  (Allure's results), ``tutorial`` (make tutorial). The HTML fragments are Jinja
  templates in e2e/templates/report/.

The modules tell each other what they know through pytest's stash (``keys``).
"""

# Registration order matters where two hook wrappers read each other's work: the
# retry decides an attempt's outcome before the reports read it (both say so with
# tryfirst/trylast where it counts).
pytest_plugins = [
    # The fc_* fixtures (the mock, its control API, personas): pytest loads it by itself
    # from its entry point; listed for runs without autoloading, and first, so that
    # `mock` below points it at --mock-url and the run seed.
    "pytest_franceconnect_mock",
    "e2e.plugin.options",
    "e2e.plugin.data",
    "e2e.plugin.mock",
    "e2e.plugin.browser",
    "e2e.plugin.remote",
    "e2e.plugin.network",
    "e2e.plugin.retry",
    "e2e.plugin.timeouts",
    "e2e.plugin.pass_rates",
    "e2e.plugin.environment",
    "e2e.plugin.steps",
    "e2e.plugin.journal",
    "e2e.plugin.html_report",
    "e2e.plugin.visual",
    "e2e.plugin.allure_report",
    "e2e.plugin.tutorial",
]
