"""normgraph's graph layer: IRIs, ontology and corpus loading, validation,
reasoning, releases, SPARQL execution and export. Importing it does nothing."""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _dist_version


def version() -> str:
    """The installed normgraph version (``0+unknown`` when run from a bare checkout)."""
    try:
        return _dist_version("normgraph")
    except PackageNotFoundError:
        return "0+unknown"
