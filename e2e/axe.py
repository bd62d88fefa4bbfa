"""axe-core (npm package, installed by `make e2e` under var/e2e/node_modules) run inside a page.

The script is injected with Playwright's add_script_tag; the site's Content-Security-Policy
forbids inline scripts, so pages scanned this way live in a context with bypass_csp=True
(the policy itself stays on for everything a reader runs).
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page

from e2e.server import E2E_VAR_DIR

AXE_PATH = Path(os.environ.get("AXE_PATH", E2E_VAR_DIR / "node_modules" / "axe-core" / "axe.min.js"))
BLOCKING_IMPACTS = ("serious", "critical")


def axe_violations(page: Page) -> list[dict]:
    """Every axe violation on the page as loaded (all rules: WCAG 2.x A/AA and best practices)."""
    if not AXE_PATH.exists():
        raise FileNotFoundError(f"{AXE_PATH} is missing: `make e2e` installs axe-core from npm.")
    page.add_script_tag(path=str(AXE_PATH))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    # An empty or broken page passes no rule either: make sure axe really examined something.
    assert result["passes"], f"axe-core checked nothing on {page.url}"
    return result["violations"]


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def describe(violations: list[dict], *, max_nodes: int = 5) -> str:
    """A report a developer can act on: rule id, impact, help, and the offending elements."""
    lines = []
    for violation in violations:
        rule = f"{violation['id']} ({violation['impact']})"
        lines.append(f"- {rule}: {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"][:max_nodes]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary[:300]}")
        if len(violation["nodes"]) > max_nodes:
            lines.append(f"    … and {len(violation['nodes']) - max_nodes} more")
    return "\n".join(lines)
