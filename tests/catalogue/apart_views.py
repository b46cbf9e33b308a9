"""Catalogues that fail, for the tests of a rebuild applying the catalogue apart.

A module of its own so that the rebuild's second process can import them by name
(it starts fresh: nothing set in the test's process reaches it).
"""

from __future__ import annotations

import os

from sqlalchemy import Connection

from lessonstudy.projections.base import LoggedEvent, handles
from lessonstudy.projections.catalogue import Catalogue

FAILING_NOTE = "note-direct"


class BrittleCatalogue(Catalogue):
    """Fails on one note, as a view with a bug would; the fix is Catalogue itself."""

    @handles("ObservationLog.NoteRecorded")
    def _note_recorded(self, db: Connection, logged: LoggedEvent) -> None:
        if logged.note_id == FAILING_NOTE:
            raise ValueError("cannot read this note")
        super()._note_recorded(db, logged)


class DyingCatalogue(Catalogue):
    """Its process ends on one note, as one killed by the machine would."""

    @handles("ObservationLog.NoteRecorded")
    def _note_recorded(self, db: Connection, logged: LoggedEvent) -> None:
        if logged.note_id == FAILING_NOTE:
            os._exit(3)
        super()._note_recorded(db, logged)
