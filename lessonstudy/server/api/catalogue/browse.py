"""The misconception catalogue: browse, search, a task's page, anticipated vs observed,
and exports of the catalogue or of any search as CSV or JSON.

Everything here reads the catalogue's views (they may lag a write by a moment) and
is anonymised: quotes are a note's words and seat or group code, nothing about who
wrote them, whose class it was or which school. Any signed-in person may read the
catalogue; how one teaching or lesson compared with its plan is for its team.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Response, stream_with_context
from flask_smorest import Blueprint
from marshmallow import RAISE

from lessonstudy.domain.errors import NotFoundError
from lessonstudy.domain.permissions import Action
from lessonstudy.exports.catalogue_export import export_csv, export_json
from lessonstudy.server.api.access import allow, no_query, signed_in_only
from lessonstudy.server.api.catalogue.reading import comparisons, filters, queries, read_your_writes
from lessonstudy.server.api.catalogue.schemas import (
    CatalogueCardListSchema,
    CatalogueComparisonSchema,
    CatalogueEntrySchema,
    CatalogueExportQuerySchema,
    CatalogueFacetsSchema,
    CatalogueLessonComparisonSchema,
    CatalogueListQuerySchema,
    CatalogueTaskComparisonSchema,
    CatalogueTaskListSchema,
    CatalogueTaskPageSchema,
    CatalogueTasksQuerySchema,
)

blp = Blueprint(
    "catalogue", __name__, url_prefix="/api/v1/catalogue", description="The misconception catalogue"
)
signed_in_only(blp)


@blp.route("/facets", methods=["GET"])
@no_query(blp)
@blp.response(200, CatalogueFacetsSchema)
def facets() -> dict[str, Any]:
    """The subjects, grades and topics of the catalogue's tasks, with how many each has."""
    return queries().facets()


@blp.route("/tasks", methods=["GET"])
@blp.arguments(CatalogueTasksQuerySchema, location="query", unknown=RAISE)
@blp.response(200, CatalogueTaskListSchema)
def tasks(query: dict[str, Any]) -> dict[str, Any]:
    """Tasks by subject, grade and topic, each with how many misconceptions it has."""
    return queries().tasks(filters(query), limit=query["limit"], offset=query["offset"])


@blp.route("/tasks/<uuid:task_id>", methods=["GET"])
@no_query(blp)
@blp.response(200, CatalogueTaskPageSchema)
def task_page(task_id: Any) -> dict[str, Any]:
    """A task and its misconceptions, most observed first, each with its numbers, the
    latest quotes, the teacher responses that helped, its lessons and its examples."""
    page = read_your_writes(lambda: queries().task_page(str(task_id)))
    if page is None:
        raise NotFoundError(f"no task {task_id} in the catalogue", field="task_id")
    return page


@blp.route("/tasks/<uuid:task_id>/comparison", methods=["GET"])
@no_query(blp)
@blp.response(200, CatalogueTaskComparisonSchema)
def task_comparison(task_id: Any) -> dict[str, Any]:
    """Over every teaching of the task: each anticipated response, in how many teachings
    it was taught and occurred (notes matched it), and what nobody anticipated."""
    found = read_your_writes(lambda: comparisons().task(str(task_id)))
    if found is None:
        raise NotFoundError(f"no task {task_id} in the catalogue", field="task_id")
    return found


@blp.route("/misconceptions", methods=["GET"])
@blp.arguments(CatalogueListQuerySchema, location="query", unknown=RAISE)
@blp.response(200, CatalogueCardListSchema)
def misconceptions(query: dict[str, Any]) -> dict[str, Any]:
    """Browse (most observed first) or search with q (every word a prefix; the newest
    entries first), filtered by subject, grade, topic or task."""
    return queries().misconceptions(
        filters(query), limit=query["limit"], offset=query["offset"], detail=query["detail"]
    )


@blp.route("/misconceptions/<uuid:misconception_id>", methods=["GET"])
@no_query(blp)
@blp.response(200, CatalogueEntrySchema)
def misconception(misconception_id: Any) -> dict[str, Any]:
    """An entry over every task, and per task; an entry merged into another answers with
    the one it was merged into (requested_id says which was asked for)."""
    found = read_your_writes(lambda: queries().misconception(str(misconception_id)))
    if found is None:
        raise NotFoundError(f"no misconception {misconception_id}", field="misconception_id")
    return found


# The lesson's team only, checked (404, 403) before the query or the views are read.
@blp.route("/lessons/<uuid:lesson_id>/comparison", methods=["GET"])
@allow(Action.OBSERVE, via="lesson_id")
@no_query(blp)
@blp.response(200, CatalogueLessonComparisonSchema)
def lesson_comparison(lesson_id: Any) -> dict[str, Any]:
    """Per plan version, each teaching: the anticipated responses that occurred, those
    that did not, and the unanticipated notes. For the lesson's team."""
    found = read_your_writes(lambda: comparisons().lesson(str(lesson_id)))
    if found is None:
        raise NotFoundError(f"no lesson {lesson_id} in the catalogue", field="lesson_id")
    return found


@blp.route("/teachings/<uuid:teaching_id>/comparison", methods=["GET"])
@allow(Action.OBSERVE, via="teaching_id")
@no_query(blp)
@blp.response(200, CatalogueComparisonSchema)
def teaching_comparison(teaching_id: Any) -> dict[str, Any]:
    """One teaching against the plan as taught. For the lesson's team."""
    found = read_your_writes(lambda: comparisons().teaching(str(teaching_id)))
    if found is None:
        raise NotFoundError(f"no teaching {teaching_id} in the catalogue", field="teaching_id")
    return found


@blp.route("/export", methods=["GET"])
@blp.arguments(CatalogueExportQuerySchema, location="query", unknown=RAISE)
@blp.doc(
    responses={
        "200": {
            "description": "every matching entry with its numbers, latest quotes, helpful"
            " responses, lessons and examples; CSV cells that a spreadsheet would take for"
            " a formula (starting with = + - @) are prefixed with an apostrophe",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    }
)
def export(query: dict[str, Any]) -> Response:
    """The catalogue, or the result of any search or filter, as a CSV or JSON file."""
    chosen = filters(query)
    rows: Iterator[dict[str, Any]] = queries().export(chosen)
    name = "catalogue-search" if chosen.q else "catalogue"
    if query["format"] == "json":
        body, mimetype = export_json(rows, chosen), "application/json"
    else:
        body, mimetype = export_csv(rows), "text/csv"
    return Response(
        stream_with_context(body),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{query["format"]}"'},
    )
