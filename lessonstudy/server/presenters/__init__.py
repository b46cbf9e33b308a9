"""JSON presenters: the service's results as the bodies the REST API and Socket.IO send.

One shape per thing, whichever way it travels: a teaching and its note changes
(``teaching``), a discussion and its board (``discussion``). Times are ISO 8601 strings.
Who may see what is checked before a presenter runs (``server/teaching_access.py``).
"""

from lessonstudy.server.presenters.discussion import board_json, discussion_json
from lessonstudy.server.presenters.teaching import (
    catch_up_json,
    change_json,
    jsonable,
    note_json,
    receipt_json,
    taught_steps,
    teaching_detail_json,
    teaching_json,
)

__all__ = [
    "board_json",
    "catch_up_json",
    "change_json",
    "discussion_json",
    "jsonable",
    "note_json",
    "receipt_json",
    "taught_steps",
    "teaching_detail_json",
    "teaching_json",
]
