"""The catalogue's pages: browse and search, a task's page, an entry's page.

A teacher reads these the evening before teaching a task. Everything comes from the
catalogue's views through the same queries as the REST API (so it is anonymised the
same way: a quote is a note's words and seat or group code, nothing more). The same
templates serve a school's read-only link (school.py); ``Links`` says where
their links lead in each case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import render_template, request, url_for
from marshmallow import ValidationError, fields, validate

from lessonstudy.domain.errors import NotFoundError
from lessonstudy.domain.values import Role
from lessonstudy.projections.catalogue import Filters
from lessonstudy.server.api.catalogue import (
    CatalogueFiltersSchema,
    comparisons,
    filters,
    queries,
    read_your_writes,
)
from lessonstudy.server.context import services
from lessonstudy.server.pages.catalogue.charts import anticipated_vs_observed, frequency
from lessonstudy.server.pages.catalogue.facets import facets
from lessonstudy.server.pages.common import bp, me, settle, signed_in

PAGE_SIZE = 20  # entries per page of results
TASKS_SHOWN = 50  # tasks beside them; the facets narrow a longer list
FILTER_NAMES = ("q", "subject", "grade", "topic", "task_id")


class BrowseQuerySchema(CatalogueFiltersSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 10_000))
    # The results part alone, for the search-as-you-type script to put in place.
    fragment = fields.String(validate=validate.OneOf(["results"]))


@dataclass(frozen=True)
class Links:
    """Where the catalogue's pages link: the signed-in catalogue, or a school's link
    (team id and token), whose pages must keep the token in every link."""

    school: tuple[str, str] | None = None

    def _url(self, view: str, **values: Any) -> str:
        if self.school:
            team_id, token = self.school
            return url_for(f"pages.school_{view}", team_id=team_id, token=token, **values)
        return url_for(f"pages.catalogue_{view}", **values)

    def browse(self, **values: Any) -> str:
        return self._url("browse", **{k: v for k, v in values.items() if v})

    def task(self, task_id: str) -> str:
        return self._url("task", task_id=task_id)

    def entry(self, misconception_id: str) -> str:
        return self._url("entry", misconception_id=misconception_id)

    def export(self, file_format: str, chosen: dict[str, Any]) -> str:
        values = {k: v for k, v in chosen.items() if v and k in FILTER_NAMES}
        values["format"] = file_format
        if self.school:
            return self._url("export", **values)
        return "/api/v1/catalogue/export?" + urlencode(values)


def chosen_filters(query: dict[str, Any]) -> dict[str, Any]:
    return {name: str(query[name]) for name in FILTER_NAMES if query.get(name)}


def render_browse(links: Links, **extra: Any) -> tuple[str, int]:
    """The browse and search page (or only its results, for the live search)."""
    try:
        query = BrowseQuerySchema().load(request.args.to_dict())
    except ValidationError as error:
        problems = error.normalized_messages()
        return render_template(
            "catalogue_browse.html",
            links=links,
            problems=problems,
            facets={},
            chosen={},
            tasks={"items": [], "total": 0},
            entries={"items": [], "total": 0},
            page=1,
            page_size=PAGE_SIZE,
            pages=1,
            **extra,
        ), 422
    found = queries()
    picked: Filters = filters(query)
    entries = found.misconceptions(picked, limit=PAGE_SIZE, offset=(query["page"] - 1) * PAGE_SIZE)
    values = {
        "links": links,
        "chosen": chosen_filters(query),
        "entries": entries,
        "page": query["page"],
        "page_size": PAGE_SIZE,
        "pages": max(1, -(-entries["total"] // PAGE_SIZE)),
        **extra,
    }
    if query.get("fragment") == "results":
        return render_template("_catalogue_results.html", **values), 200
    tasks = found.tasks(picked, limit=TASKS_SHOWN)
    # A task picked as a filter is named by its words in the chip, not by its id.
    named = {t["task_id"]: f"{t['topic']}: {t['statement']}" for t in tasks["items"]}
    return render_template(
        "catalogue_browse.html",
        facets=facets(found, services().engine),
        tasks=tasks,
        task_label=named.get(values["chosen"].get("task_id", ""), ""),
        **values,
    ), 200


def render_task(links: Links, task_id: str, **extra: Any) -> str:
    page = read_your_writes(lambda: queries().task_page(task_id, quotes=5))
    if page is None:
        raise NotFoundError(f"no task {task_id} in the catalogue", field="task_id")
    compared = comparisons().task(task_id) or {"teachings": 0, "responses": [], "unanticipated": {}}
    return render_template(
        "catalogue_task.html",
        links=links,
        task=page["task"],
        misconceptions=page["misconceptions"],
        frequency=frequency(page["misconceptions"]),
        compared=anticipated_vs_observed(compared),
        **extra,
    )


def read_entry(misconception_id: str) -> dict[str, Any]:
    card = read_your_writes(lambda: queries().misconception(misconception_id, quotes=20))
    if card is None:
        raise NotFoundError(f"no misconception {misconception_id}", field="misconception_id")
    return card


def render_entry(
    links: Links, misconception_id: str, card: dict[str, Any] | None = None, **extra: Any
) -> str:
    card = card or read_entry(misconception_id)
    return render_template(
        "catalogue_entry.html",
        links=links,
        entry=card,
        merged=[_statement_of(m) for m in card["merged"]],
        **extra,
    )


def _statement_of(misconception_id: str) -> dict[str, str]:
    """An entry merged into another keeps its own words: show them, so a reader sees
    which descriptions the merge joined."""
    entry = services().service.get_misconception(misconception_id)
    return {"id": entry.id, "statement": entry.statement}


# --- the signed-in catalogue ---------------------------------------------------------


@bp.get("/catalogue")
@signed_in
def catalogue_browse() -> tuple[str, int]:
    return render_browse(Links())


@bp.get("/catalogue/tasks/<uuid:task_id>")
@signed_in
def catalogue_task(task_id: Any) -> str:
    return render_task(Links(), str(task_id))


@bp.get("/catalogue/misconceptions/<uuid:misconception_id>")
@signed_in
def catalogue_entry(misconception_id: Any) -> str:
    if request.args.get("changed"):
        settle()  # the curator's page reloads after a change: show it, not the view before
    card = read_entry(str(misconception_id))
    curating = _curator_teams()
    # The version a curator's edit starts from: the entry as shown (the one a merged
    # entry was merged into), read from the log after the card.
    version = services().service.get_misconception(card["id"]).version if curating else None
    return render_entry(
        Links(),
        str(misconception_id),
        card,
        curating=curating,
        version=version,
        signed_in=True,
    )


def _curator_teams() -> list[dict[str, Any]]:
    """The teams on which the signed-in person curates the catalogue."""
    return [
        {"team_id": team["team_id"], "name": team["name"]}
        for team in services().queries.teams_of(me().id)
        if Role.CURATOR.value in team["roles"]
    ]
