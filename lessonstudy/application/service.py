"""The LessonStudy application service: one method per command and query.

It is assembled from one part per stage of the cycle (teams and tasks, planning,
the plan's history, observing, the catalogue, discussing, history, accounts), each a
small module standing on ServiceBase alone, so that the service stays one object for
the boundaries while its code stays readable. What one part asks of another is
declared on ServiceBase.
"""

from __future__ import annotations

from lessonstudy.application.accounts import Accounts
from lessonstudy.application.catalogue import Catalogue
from lessonstudy.application.discussing import Discussing
from lessonstudy.application.history import History
from lessonstudy.application.observing import Observing
from lessonstudy.application.planning import PlanHistory, Planning
from lessonstudy.application.teams import TeamsAndTasks


class LessonStudy(
    TeamsAndTasks, Planning, PlanHistory, Observing, Catalogue, Discussing, History, Accounts
):
    """Everything a boundary (web, Socket.IO, CLI) may ask of lessonstudy."""
