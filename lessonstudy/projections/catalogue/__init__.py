"""The misconception catalogue, a read model: per task, what students misunderstood.

The projection (projection.Catalogue) keeps its tables (tables) from the log, with
handlers by source: plans (plans), observation notes (notes) and the revisions a
discussion accepted (revisions). Handlers record changes in a batch (batch, written
through the row buffer) and the numbers are recomputed from the facts (facts, stats).
Reading: the catalogue's pages and API (queries, cards, search), comparisons between
tasks (compare) and between the cycles of a lesson (cycles).
"""

from lessonstudy.projections.catalogue.compare import Comparisons
from lessonstudy.projections.catalogue.cycles import CycleComparison
from lessonstudy.projections.catalogue.projection import Catalogue
from lessonstudy.projections.catalogue.queries import CatalogueQueries, Filters

__all__ = ["Catalogue", "CatalogueQueries", "Comparisons", "CycleComparison", "Filters"]
