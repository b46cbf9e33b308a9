"""Every read model the server keeps, in the order they are applied: the one list the
server, the worker, the rebuild and the tests take them from.

Adding a read model is adding a field to ReadModels and its instance to read_models.
"""

from typing import NamedTuple

from lessonstudy.projections.base import Projection
from lessonstudy.projections.catalogue import Catalogue
from lessonstudy.projections.dashboard import Dashboard
from lessonstudy.projections.misconception_index import MisconceptionIndex

# No `from __future__ import annotations` here: READ_MODELS reads the fields' classes.


class ReadModels(NamedTuple):
    """One instance of each read model, by name, iterated in order."""

    dashboard: Dashboard
    misconception_index: MisconceptionIndex
    catalogue: Catalogue


def read_models(prefix: str = "") -> ReadModels:
    """Fresh instances of every read model, their tables named with `prefix`."""
    return ReadModels(Dashboard(prefix), MisconceptionIndex(prefix), Catalogue(prefix))


# The classes, for what makes instances of its own (a rebuild, in either of its processes).
READ_MODELS: tuple[type[Projection], ...] = tuple(ReadModels.__annotations__.values())
