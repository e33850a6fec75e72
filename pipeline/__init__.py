"""tdx: French seminar handouts (TD, fiches de lecture) in, validated structured JSON out.

    >>> import pipeline
    >>> handout = pipeline.extract("raw/casilli-en-attendant-les-robots.txt")
    >>> handout.quotes[0].reference.pages
    [9]
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tdx")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+local"

from pipeline.errors import TdxError  # noqa: E402
from pipeline.extract import extract  # noqa: E402
from pipeline.models import SCHEMA_VERSION, Finding, Handout  # noqa: E402



def check(handout, source=None, **options):
    """Quality findings for an extracted handout (see ``pipeline.checks.check``).

    Imported on first use: the rules and the book index cost a quarter of a second to import,
    which `tdx extract` should not pay."""
    from pipeline.checks import check as run

    return run(handout, source, **options)


__all__ = ["extract", "check", "Handout", "Finding", "TdxError", "SCHEMA_VERSION", "__version__"]
