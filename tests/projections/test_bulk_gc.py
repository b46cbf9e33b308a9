"""The rebuild's garbage-collector settings hold inside, and are put back afterwards."""

from __future__ import annotations

import gc

import pytest

from lessonstudy.projections.bulk_gc import THRESHOLDS, bulk_collection


def test_the_settings_hold_inside_and_are_restored_even_after_an_error() -> None:
    before = gc.get_threshold()
    assert before != THRESHOLDS
    with bulk_collection():
        assert gc.get_threshold() == THRESHOLDS
        assert gc.get_freeze_count() > 0  # what existed is left out of collections
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), bulk_collection():
        raise RuntimeError("a view failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
