"""Python's cyclic garbage collector, set for reading a whole log.

Decoding an event makes a handful of dicts and objects, nearly all freed at once by
reference counting. With the default settings the collector still runs every 700
allocations, and its full collections walk every object alive. Paired runs on the
1,000,000-note database of bench.catalogue (1,275,945 events read; a fresh process each,
defaults then these settings, twice): reading and decoding 32,330 -> 44,176 and
33,218 -> 46,099 events/s, a whole rebuild 12,882 -> 18,236 and 13,235 -> 16,053
events/s; peak memory 287 -> 288 MB. The bench's baseline reads with these settings
too, so its ratio compares like with like.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Young objects every 50,000 allocations (default 700); the older generations after 20
# and 100 collections of the one below (default 10 and 10). Raising only the first did
# about half as much (one run: 40,427 and 14,871 events/s).
THRESHOLDS = (50_000, 20, 100)


@contextmanager
def bulk_collection() -> Iterator[None]:
    """The collector set for bulk reading while inside; as it was afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(*THRESHOLDS)
    gc.freeze()  # what exists already (modules, the app) is never walked meanwhile
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
