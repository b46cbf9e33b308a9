"""The LessonStudy application service: one method per command and query.

It is assembled from one mixin per part of the cycle (teams and tasks, planning,
observing, the catalogue, discussing, history, the plan's history, accounts), each a
small module, so that the service stays one object for the boundaries while its code
stays readable.
"""

from __future__ import annotations

from lessonstudy.application.accounts import Accounts
from lessonstudy.application.history import History
from lessonstudy.application.plan_history import PlanHistory


class LessonStudy(Accounts, History, PlanHistory):
    """Everything a boundary (web, Socket.IO, CLI) may ask of lessonstudy."""
