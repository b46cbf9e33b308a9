"""The installed `lessonstudy` script, run as a person runs it: a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

from lessonstudy.application import LessonStudy

SCRIPT = Path(sys.executable).parent / "lessonstudy"


def _run(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LESSONSTUDY_DATABASE_URL": url}
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def _head(url: str) -> int:
    app = LessonStudy(url)
    try:
        return app.recorder.max_notification_id() or 0
    finally:
        app.close()


def test_the_installed_script_loads_and_logs_the_demo(tmp_path: Path) -> None:
    assert SCRIPT.exists(), f"install the project first: {SCRIPT} is missing"
    url = f"sqlite:///{tmp_path / 'data' / 'lessonstudy.db'}"

    first = _run("demo", url=url)
    assert first.returncode == 0, first.stderr
    head = _head(url)
    second = _run("demo", url=url)
    assert second.returncode == 0, second.stderr
    assert "already loaded" in second.stdout and _head(url) == head
    lesson_id = first.stdout.strip().splitlines()[-1].removeprefix("lesson ")

    text = _run("log", lesson_id, url=url)
    assert text.returncode == 0, text.stderr
    assert "Plan version 2 started from accepted revisions rev-01, rev-02, rev-04" in text.stdout
    entries = json.loads(_run("log", "--demo", "--json", url=url).stdout)
    assert {e["by"] for e in entries if e["event"] == "NoteRecorded"} == {"sofia", "raj", "hannah"}

    unknown = _run("log", str(uuid4()), url=url)
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert "lesson_id: no study lesson" in unknown.stderr and "Traceback" not in unknown.stderr

    bad = _run("demo", url="oracle://somewhere/db")
    assert bad.returncode == 2 and "database_url:" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_the_installed_script_rebuilds_with_the_views_apart(tmp_path: Path) -> None:
    """The second process is spawned from the console script itself, as in production."""
    url = f"sqlite:///{tmp_path / 'lessonstudy.db'}"
    assert _run("demo", url=url).returncode == 0
    done = _run("rebuild", "--apart", "yes", url=url)
    assert done.returncode == 0, done.stderr
    assert "rebuilt 3 views (dashboard, misconception_index, catalogue)" in done.stdout
    assert (
        " MB in the process that applied dashboard, misconception_index, catalogue" in done.stdout
    )
    alone = _run("rebuild", "--apart", "no", url=url)
    assert alone.returncode == 0, alone.stderr
    assert "rebuilt 3 views" in alone.stdout and "in the process that applied" not in alone.stdout
    wrong = _run("rebuild", "--apart", "maybe", url=url)
    assert wrong.returncode == 2 and "'--apart'" in wrong.stderr and "maybe" in wrong.stderr
    memory = _run("rebuild", "--apart", "yes", url="memory://")
    assert memory.returncode == 2 and "Traceback" not in memory.stderr
    assert "apart: a second process cannot open an in-memory store" in memory.stderr
