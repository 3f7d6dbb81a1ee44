"""What the harness's plugins (conftest.py, e2e/reporting.py) tell each other about the run."""

from __future__ import annotations

import pytest

RUN_SEED = pytest.StashKey[int]()  # the run's seed for test data
BROWSER_BUILD = pytest.StashKey[str]()  # which Chromium build this process launched
MOCK_UNREACHABLE = pytest.StashKey[str]()  # --mock-url did not answer: why
