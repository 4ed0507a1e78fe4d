"""Browser tests: Debian's Chromium driven by Playwright, pages checked with axe-core.

Never `playwright install`: the browser is the system's (WAYPOINT_CHROMIUM, default
/usr/bin/chromium). A missing browser fails these tests; `make test` says so and
deselects them only outside CI.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

# Playwright's sync API runs an event loop in this thread; Django must still let the
# test thread use the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("WAYPOINT_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (see README).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        # This machine has no network beyond package registries: keep Chromium quiet.
        "args": [
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def axe() -> Callable[[Page, str], None]:
    """Check the page against WCAG 2.2 AA with axe-core; fail listing each violation."""
    if not AXE.exists():
        pytest.fail("axe-core missing: run `npm ci` (make test does).")
    source = AXE.read_text()

    def check(page: Page, what: str) -> None:
        page.evaluate(source)
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            WCAG_TAGS,
        )
        problems = [
            {
                "rule": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
        ]
        assert problems == [], (
            f"axe found WCAG 2.2 AA problems on {what}:\n{json.dumps(problems, indent=1)}"
        )
        assert result["passes"], "axe ran no rule at all"

    return check
