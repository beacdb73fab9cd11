"""eventwire: news articles in; who did what to whom, who said what, where and when out.

    >>> from eventwire import analyze
    >>> analysis = analyze(text, published="2019-01-10")
    >>> analysis.to_dict()["entities"]
"""

__version__ = "0.1.0"

from .analyze import analyze, analyze_stream  # noqa: E402
from .decode import InputError  # noqa: E402
from .model import Analysis, Article, ArticleError  # noqa: E402
from .readers import read_paths  # noqa: E402

__all__ = ["analyze", "analyze_stream", "Analysis", "Article", "ArticleError", "InputError",
           "read_paths", "__version__"]
