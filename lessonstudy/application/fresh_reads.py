"""Reads of a cached aggregate that many requests share, never older than the request.

Twenty observers' notes read one teaching and one team. Each read brings the cached
aggregate up to date with the log (the repository's fast-forward, one query for the
new events), and the library lets only one thread do that at a time per aggregate:
queued one behind another, the same query ran twenty times over. The library's way
out, fast-forward skipping, hands a thread that finds the query under way the cached
aggregate as it is at that moment, before the query's events are applied. That can be
older than what the requester was already told had committed: an observer whose
tablet was told "the lesson has started" had a note refused as "not started", and a
member removed a moment ago could still act.

So a request may share a read only if that read *began after the request arrived*:
then it saw every commit the requester can know of. Per aggregate, reads are counted
as they begin; a request notes the count when it arrives, waits its turn, and uses
what the last completed read brought if that read's number is higher, else reads
itself. A burst of requests needs at most two reads: the one in flight when they
arrived (which they may not use) and the next, which serves all of them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.application import LRUCache, Repository
from eventsourcing.domain import Aggregate


@dataclass
class _Reads:
    """One aggregate's shared reads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    begun: int = 0  # reads of the store begun so far, counted
    done: int = 0  # the number of the latest read that completed
    aggregate: Aggregate | None = None  # what that read brought


class FreshReads:
    """The cached aggregate itself (never a copy: do not change it), brought up to date
    by a read of the store that began after the call; shared by concurrent calls."""

    def __init__(self, repository: Repository[UUID], maxsize: int = 1000) -> None:
        self.repository = repository
        self._guard = threading.Lock()
        # Bounded like the repository's cache. Dropping an aggregate's entry while a
        # call uses it costs at most one more read: each entry is correct on its own.
        self._reads: LRUCache[UUID, _Reads] = LRUCache(maxsize=maxsize)

    def get(self, aggregate_id: UUID) -> Aggregate:
        """Raises what Repository.get raises (AggregateNotFoundError, store errors)."""
        reads = self._reads_of(aggregate_id)
        # Reads numbered up to here began before this call: they may have missed a
        # commit the caller knows of. (An int read is atomic; the lock is not needed.)
        arrived = reads.begun
        with reads.lock:
            if reads.done > arrived and reads.aggregate is not None:
                return reads.aggregate  # a read that began after we arrived has completed
            reads.begun += 1
            number = reads.begun
            # The repository's own fast-forward (or, on a cache miss, a full read), on
            # the cached aggregate in place: its query starts after `number` was taken.
            aggregate: Aggregate = self.repository.get(aggregate_id, deepcopy_from_cache=False)
            reads.aggregate, reads.done = aggregate, number
            return aggregate

    def _reads_of(self, aggregate_id: UUID) -> _Reads:
        with self._guard:
            try:
                return self._reads.get(aggregate_id)
            except KeyError:
                reads = _Reads()
                self._reads.put(aggregate_id, reads)
                return reads
