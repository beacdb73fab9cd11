"""Shared fixtures: the spaCy pipeline is loaded once for the whole session."""

from __future__ import annotations

import pytest

from eventwire.analyze import analyze
from eventwire.nlp import load_pipeline


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="session")
def run_analyze(nlp):
    """analyze() with the shared pipeline: run_analyze(text, published=...)."""

    def _run(text: str, **kwargs):
        return analyze(text, nlp=nlp, **kwargs)

    return _run
