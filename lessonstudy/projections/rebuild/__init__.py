"""`lessonstudy rebuild`: every read model rebuilt from the log beside the live one, then
switched in (build: the Rebuild and its steps; aside: the tables it fills; reader: the
log in batches; apart: the second process that applies the views; switch: the swap in
one transaction). Decoding and committing a batch are the follower's too (runtime).
"""

from lessonstudy.projections.rebuild.build import (
    ApartUnavailableError,
    Rebuild,
    RebuildFailedError,
    RebuildReport,
)
from lessonstudy.projections.rebuild.reader import LogReader

__all__ = ["ApartUnavailableError", "LogReader", "Rebuild", "RebuildFailedError", "RebuildReport"]
