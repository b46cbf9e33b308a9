"""Cheaper copies of long aggregates, for the repository's copy-on-read cache.

The library hands each command a deep copy of the cached aggregate, so a command
that fails leaves the cache untouched. For an observer's log with hundreds of notes
that copy dominated the cost of recording a note. These aggregates' event bodies
never change a stored value in place (they put a new dict in its place), so a copy
one level deep is as safe as a full one.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, TypeVar

T = TypeVar("T")


def copy_with(aggregate: T, memo: dict[int, Any], *, shallow: Iterable[str]) -> T:
    """A copy whose ``shallow`` attributes (dicts, lists) are copied one level deep; the
    library's own immutable attributes are shared; everything else is deep-copied."""
    clone = copy.copy(aggregate)
    shallow = set(shallow)
    for name, value in vars(aggregate).items():
        if name in shallow:
            setattr(clone, name, type(value)(value))
        elif name in _SHARED:
            continue
        else:
            setattr(clone, name, copy.deepcopy(value, memo))
    return clone


# Ids, versions and times are immutable values in the library's aggregates.
_SHARED = frozenset({"_id", "_version", "_created_on", "_modified_on"})
