"""A real server and a real browser, shared by the whole browser test session.

The server is uvicorn in a thread on a free loopback port, over a corpus
ingested from tests/fixtures/serve; the browser is the system chromium
driven by playwright.  Without chromium these tests fail (CI installs it).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parents[1] / "fixtures" / "serve" / "articles.jsonl"
ARTIFACTS = Path(__file__).parents[1] / "artifacts"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def browser_corpus(tmp_path_factory, nlp) -> Path:
    from eventwire.ingest import ingest

    db = tmp_path_factory.mktemp("browser") / "corpus.duckdb"
    summary = ingest([str(FIXTURE)], db)
    assert summary.stored == 6 and not summary.errors
    return db


@pytest.fixture(scope="session")
def base_url(browser_corpus, nlp):
    import uvicorn

    from eventwire.serve import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(browser_corpus, nlp=nlp), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the eventwire server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("chromium is not installed: the browser tests need the system chromium "
                    "(apt-get install chromium); CI installs it", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
        yield instance
        instance.close()


@pytest.fixture
def page(browser, base_url):
    """A fresh page that records console errors, page errors and dialogs; none may occur."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
           if msg.type in ("error", "warning") else None)
    tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))

    def on_dialog(dialog) -> None:
        problems.append(f"dialog opened: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.problems = problems
    yield tab
    context.close()
    assert problems == []


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
