"""The mock of a load run, in a process of its own, on a free port of 127.0.0.1:

    .venv/bin/python -m benchmarks.load.serve_mock --threads 32

As `python -m mock_server --port 0 --no-demo`, with the size of the server's thread
pool as an option: the mock makes its server-to-server calls (discovery, token,
userinfo, JWKS) to itself, on the same pool as the browsers' requests, so under
many users a small pool can have every thread waiting for a call queued behind
them, until the 3 s upstream timeout (see mock_process.py).
"""

from __future__ import annotations

import argparse
import sys

from mock_server.config import MockConfig
from mock_server.server import LiveServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load.serve_mock", description=__doc__)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (the mock's own default: 8)")
    args = parser.parse_args(argv)
    server = LiveServer(MockConfig(), host="127.0.0.1", port=0, threads=max(1, min(args.threads, 256)))
    print(f"control API {server.control_url}/__mock__/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
