"""Run a command with every source of the registry served locally from ../shared (helpers.shared_site),
its URLs handed to make as CONFIG. For CI, which has no network: it runs the README's `make run` as a
user does, against recorded CBS answers instead of CBS.

    .venv/bin/python tests/helpers/serve_shared.py make run
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for conftest and helpers

from helpers.shared_site import config_args, shared_site  # noqa: E402


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    server = shared_site()
    server.start()
    try:
        values = config_args(server)[1:]  # the k=v pairs after --config
        print(f"serving ../shared at {server.host}; running {' '.join(argv)}", flush=True)
        return subprocess.run([*argv, f"CONFIG={' '.join(values)}"]).returncode
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
