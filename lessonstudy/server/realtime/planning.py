"""The plan room: everyone with a lesson's plan open sees each change as it lands."""

from __future__ import annotations

from typing import Any

from flask_socketio import SocketIO, join_room, leave_room

from lessonstudy.domain.errors import DomainError, PermissionDeniedError
from lessonstudy.domain.permissions import Action
from lessonstudy.server.context import services
from lessonstudy.server.errors import NotSignedInError, domain_error_body, error_body
from lessonstudy.server.guests import has_guest_session, signed_in_actor


def plan_room(lesson_id: str) -> str:
    return f"plan:{lesson_id}"


def register(socketio: SocketIO) -> None:
    @socketio.on("plan:join")
    def join(payload: Any) -> dict[str, Any]:
        """Join a lesson's plan room; acked with the plan's current revision."""
        lesson_id = payload.get("lesson_id") if isinstance(payload, dict) else None
        if not isinstance(lesson_id, str):
            return error_body(
                422, "invalid", "lesson_id is required", {"lesson_id": ["is required"]}
            )
        try:
            person = signed_in_actor()
            if person is None and not has_guest_session():
                raise NotSignedInError("sign in to open a lesson's plan", field="session")
            plan = services().service.get_plan(lesson_id)  # 404 before 403, as everywhere
            if person is None:
                # A guest was admitted to one teaching with its code, to observe it: the
                # plan is its team's, and a guest is on no team.
                raise PermissionDeniedError(
                    "a guest observes the lesson it joined; the plan is for the lesson's team",
                    field="session",
                )
            services().service.authorize(person.id, plan.team_id, Action.OBSERVE)
        except DomainError as error:
            return domain_error_body(error)[0]
        join_room(plan_room(lesson_id))
        return {"ok": True, "revision": plan.revision}

    @socketio.on("plan:leave")
    def leave(payload: Any) -> dict[str, Any]:
        lesson_id = payload.get("lesson_id") if isinstance(payload, dict) else None
        if isinstance(lesson_id, str):
            leave_room(plan_room(lesson_id))
        return {"ok": True}


def announce_plan_change(socketio: SocketIO, lesson_id: str, change: dict[str, Any]) -> None:
    """Tell everyone with the plan open what changed, who changed it, and the revision."""
    socketio.emit("plan:changed", {"lesson_id": lesson_id, **change}, to=plan_room(lesson_id))
