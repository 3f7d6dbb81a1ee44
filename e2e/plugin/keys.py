"""What the plugin's modules tell each other about the run and its tests (pytest's stash)."""

from __future__ import annotations

from typing import Any

import pytest

from ..steps import StepRecorder

# The run (config.stash)
RUN_SEED = pytest.StashKey[int]()  # the run's seed for test data
BROWSER_BUILD = pytest.StashKey[str]()  # which Chromium build this process launched, or the remote server
MOCK_UNREACHABLE = pytest.StashKey[str]()  # --mock-url did not answer: why

# A test (item.stash)
STEPS = pytest.StashKey[StepRecorder]()  # its steps as they are recorded
FAILED = pytest.StashKey[bool]()  # one of its phases failed
JOURNAL = pytest.StashKey[tuple[Any, int]]()  # (control client, last journal id before the test)
