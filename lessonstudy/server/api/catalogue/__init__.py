"""The misconception catalogue over REST, and what its pages share with it.

``browse`` reads the catalogue (search, a task's page, comparisons, exports);
``misconceptions`` is the plan editor's picker; ``curation`` rewords, merges and
hides; ``school_link`` opens a school's read-only link. Each has its blueprint;
``reading`` (the views' queries, a search's filters, read-your-writes) and the
filter schemas are shared with the catalogue's pages.
"""

from lessonstudy.server.api.catalogue.browse import blp as catalogue_blp
from lessonstudy.server.api.catalogue.curation import blp as curation_blp
from lessonstudy.server.api.catalogue.misconceptions import blp as misconceptions_blp
from lessonstudy.server.api.catalogue.reading import (
    catalogue,
    comparisons,
    filters,
    queries,
    read_your_writes,
)
from lessonstudy.server.api.catalogue.schemas import (
    CatalogueExportQuerySchema,
    CatalogueFiltersSchema,
)
from lessonstudy.server.api.catalogue.school_link import blp as school_link_blp

__all__ = [
    "CatalogueExportQuerySchema",
    "CatalogueFiltersSchema",
    "catalogue",
    "catalogue_blp",
    "comparisons",
    "curation_blp",
    "filters",
    "misconceptions_blp",
    "queries",
    "read_your_writes",
    "school_link_blp",
]
