"""The demo study lesson: a whole cycle of the "which bag?" probability task, loaded reproducibly.

load finds, loads and summarizes the demo; commands runs its script through the
service; plan, notes and discussion are the script's data; access is a demo account
to try it in a browser, and under_way the lesson being taught that it tries live.
"""

from lessonstudy.demo.access import DEMO_EMAIL, DEMO_PASSWORD, DemoAccess, ensure_demo_access
from lessonstudy.demo.load import (
    DemoSummary,
    demo_clock,
    demo_lesson_id,
    describe_summary,
    find_demo,
    load_demo,
)

__all__ = [
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "DemoAccess",
    "DemoSummary",
    "demo_clock",
    "demo_lesson_id",
    "describe_summary",
    "ensure_demo_access",
    "find_demo",
    "load_demo",
]
