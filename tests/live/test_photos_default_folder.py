"""Photos on a server started as a teacher starts it: `lessonstudy serve` in a new
folder with nothing configured, so the database is the default relative
`sqlite:///data/lessonstudy.db` and photos go to ./data/photos.

Every other test gives the server absolute folders, which hid that a photo saved under
the relative folder was looked for, on reading, beside the package (500 on every read).
"""

from __future__ import annotations

import os
import signal
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from live.clients import teach
from support.ports import LOOPBACK, free_port

SCRIPT = Path(sys.executable).parent / "lessonstudy"  # the installed console script
READY_SECONDS = 30.0
# What a teacher's shell may have set, which would move the data out of the folder.
SETTINGS = ("LESSONSTUDY_DATABASE_URL", "LESSONSTUDY_PHOTOS_DIR", "LESSONSTUDY_SECRET_KEY")


def png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG image: grey pixels, made here so the test needs no image file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@contextmanager
def serve_with_defaults(folder: Path) -> Iterator[str]:
    """The installed `lessonstudy serve` run in folder with no settings at all."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env["PYTHONUNBUFFERED"] = "1"
    port = free_port()
    url = f"http://{LOOPBACK}:{port}"
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(SCRIPT), "serve", "--host", LOOPBACK, "--port", str(port)],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_ready(url, process, log_path)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_until_ready(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, log_path.read_text(errors="replace")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"no /healthz in time:\n{log_path.read_text(errors='replace')}")


def test_a_photo_uploaded_to_a_server_on_its_defaults_reads_back(tmp_path: Path) -> None:
    folder = tmp_path / "school"
    folder.mkdir()
    image = png()
    with serve_with_defaults(folder) as url:
        ana, (oli,), teaching = teach(url, ["Oli"])
        upload = oli.http.post(
            f"{url}/api/v1/teachings/{teaching}/photos",
            files={"photo": ("desk.png", image, "image/png")},
            headers={"X-CSRFToken": oli.csrf},
            timeout=10,
        )
        assert upload.status_code == 201, upload.text
        photo_id = upload.json()["photo_id"]
        # Where a teacher would back it up: under the folder the server was started in.
        assert (folder / "data" / "photos" / teaching / photo_id).read_bytes() == image
        for reader in (oli, ana):
            answer = reader.http.get(
                f"{url}/api/v1/teachings/{teaching}/photos/{photo_id}", timeout=10
            )
            assert answer.status_code == 200, answer.text
            assert answer.headers["Content-Type"] == "image/png"
            assert answer.content == image
    assert (folder / "data" / "lessonstudy.db").is_file()  # the default database it used
