"""Static files (stylesheets, scripts) kept by the browser: each URL carries a digest of
the file (`/static/style.css?v=3f2a…`), so it may be cached for a year and still change
the moment the file does. Without it a browser asks for every stylesheet and script again
at each page (304 Not Modified), and each of those asks reaches the mock's Python."""

from __future__ import annotations

import functools
import hashlib
import os
from typing import Any

from flask import Flask

MAX_AGE_SECONDS = 365 * 24 * 3600
DIGEST_LENGTH = 12


@functools.lru_cache(maxsize=256)
def _digest(path: str, modified_ns: int) -> str:
    with open(path, "rb") as content:
        return hashlib.sha256(content.read()).hexdigest()[:DIGEST_LENGTH]


def digest_of(folder: str, filename: str) -> str | None:
    """The file's digest, read again whenever it changes on disk; None if it is not there."""
    path = os.path.join(folder, filename)
    try:
        modified = os.stat(path).st_mtime_ns
    except OSError:
        return None
    return _digest(path, modified)


def cache_static_files(app: Flask) -> None:
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = MAX_AGE_SECONDS

    @app.url_defaults
    def add_digest(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or "v" in values or app.static_folder is None:
            return
        digest = digest_of(app.static_folder, str(values.get("filename", "")))
        if digest is not None:
            values["v"] = digest
