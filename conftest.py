"""The harness's fixtures, options and reports: one pytest plugin, e2e/plugin/."""

pytest_plugins = ["e2e.plugin"]
