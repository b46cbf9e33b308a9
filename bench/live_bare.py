"""The live baseline: a bare Flask-SocketIO server that saves a note and broadcasts it.

Run as its own process by bench/live.py (``python -m bench.live_bare --port P
--database-url sqlite:///...``). It serves Socket.IO the way `lessonstudy serve` does
(Flask-SocketIO, ``async_mode="threading"``, Werkzeug) and answers the same two events
with no sign-in, no validation and no read model:

- ``teaching:join`` puts the socket in the room ``teaching:<id>``;
- ``note:record`` saves the note in the observer's log with a bare eventsourcing
  Application (bench/bare.py, the same store settings as the service's), broadcasts a
  ``note:recorded`` change of the same shape to the room, and only then acks it with
  the note's position, as the service does.

So the distance between the two servers is lessonstudy's own work per event.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from flask import Flask
from flask_socketio import SocketIO, join_room

from bench.bare import BareApp
from lessonstudy.application import LessonStudy

NOTE_FIELDS = (
    "subject_kind",
    "subject_code",
    "kind",
    "text",
    "step_id",
    "response_ids",
    "misconception_ids",
    "unanticipated",
    "photo_id",
    "flagged",
)


def service_env() -> dict[str, str]:
    """The service's repository settings, so the bare side caches alike."""
    probe = LessonStudy("memory://")
    try:
        return dict(probe.env)
    finally:
        probe.close()


def create_app(database_url: str) -> tuple[Flask, SocketIO]:
    app = Flask("bench-live-bare")
    socketio = SocketIO(app, async_mode="threading")
    bare = BareApp(database_url, service_env())
    started_at = dt.datetime.now(dt.UTC)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @socketio.on("teaching:join")
    def join(payload: dict[str, Any]) -> dict[str, Any]:
        join_room(f"teaching:{payload['teaching_id']}")
        return {"ok": True, "head": 0, "snapshot": False, "notes_since": []}

    @socketio.on("note:record")
    def record(payload: dict[str, Any]) -> dict[str, Any]:
        teaching_id, observer_id = str(payload["teaching_id"]), str(payload["observer_id"])
        recorded_at = dt.datetime.fromisoformat(payload["recorded_at"])
        fields = {name: payload.get(name) for name in NOTE_FIELDS}
        position = bare.record_note(
            teaching_id=teaching_id,
            observer_id=observer_id,
            started_at=started_at,
            note_id=payload["note_id"],
            recorded_at=recorded_at,
            fields=fields,
        )
        note = {
            "id": payload["note_id"],
            "observer_id": observer_id,
            "recorded_at": payload["recorded_at"],
            "offset_seconds": round((recorded_at - started_at).total_seconds(), 3),
            **fields,
        }
        change = {
            "type": "recorded",
            "teaching_id": teaching_id,
            "note_id": payload["note_id"],
            "position": position,
            "note": note,
        }
        socketio.emit("note:recorded", change, to=f"teaching:{teaching_id}")
        return {
            "ok": True,
            "note_id": payload["note_id"],
            "position": position,
            "duplicate": False,
            "note": note,
        }

    return app, socketio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    app, socketio = create_app(args.database_url)
    print(f"bare live server on http://{args.host}:{args.port}", flush=True)
    socketio.run(app, host=args.host, port=args.port, allow_unsafe_werkzeug=True, log_output=False)


if __name__ == "__main__":
    main()
