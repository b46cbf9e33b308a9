"""A real `lessonstudy worker` process for the tests: started, signalled, its log read."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "lessonstudy"


class Worker:
    """One `lessonstudy worker` process, its output in a file."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        self.log_path = folder / "worker.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        command = [str(SCRIPT), "worker", "--database-url", self.url]
        command += ["--poll", "0.05", "--log-every", "0.2"]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                start_new_session=True,
            )
        return self

    def signal(self, sig: signal.Signals) -> int:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        return self.process.wait(timeout=15)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")
