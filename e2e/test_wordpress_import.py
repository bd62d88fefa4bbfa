"""Moving a WordPress blog in from the admin: the editor uploads an export (built like the unit
tests' by tests/wpimport/wxr_factory.py), the task worker's dry run reports what would happen,
the editor confirms, the worker imports, and the post is live on the site with its comment.

The screen refreshes itself while a run is queued or running, so each step waits for the
run's final heading. Screenshots: wordpress-dry-run.png, wordpress-import.png.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.conftest import save_screenshot
from tests.wpimport.wxr_factory import C, P, wxr

SLUG = "sleep-and-worry-from-wordpress"
TITLE = "Sleep and worry, moved from WordPress"
# The worker polls for tasks about once a second; an import of one post takes a few seconds
# on a busy two-core machine.
RUN_TIMEOUT_MS = 90_000


def export() -> bytes:
    return wxr(
        [
            P(
                901,
                title=TITLE,
                slug=SLUG,
                excerpt="Why worry keeps you up, and one habit that helps.",
                content=(
                    "<!-- wp:paragraph --><p>Worry keeps the mind awake long after the body is tired.</p>"
                    "<!-- /wp:paragraph -->\n<!-- wp:heading --><h2>What helps</h2><!-- /wp:heading -->\n"
                    "<!-- wp:paragraph --><p>A wind-down hour without screens.</p><!-- /wp:paragraph -->"
                ),
                categories=[("sleep", "Sleep")],
                comments=[
                    C(9001, author="Robin", email="robin.e2e@example.com", content="Trying this tonight.")
                ],
            ),
            P(902, title="Not finished", slug="not-finished-wordpress", status="draft", content="<p>x</p>"),
        ],
        terms=(("category", "sleep", "Sleep"),),
    )


def report_row(page: Page, kind: str):
    return page.locator(f'[data-import-report] tr[data-kind="{kind}"] td')


def test_an_editor_imports_a_wordpress_export_after_reading_the_dry_run(
    module_editor: Page, page: Page, artifacts_dir
):
    editor = module_editor
    editor.goto("/admin/")
    editor.get_by_role("button", name="Settings").click()
    editor.get_by_role("link", name="Import from WordPress").click()
    expect(editor.get_by_role("heading", name="Import from WordPress", level=1)).to_be_visible()

    editor.get_by_label("WordPress export file").set_input_files(
        {"name": "practice.WordPress.2026-12-04.xml", "mimeType": "text/xml", "buffer": export()}
    )
    editor.get_by_role("button", name="Upload and start the dry run").click()

    expect(editor.get_by_role("heading", name="Dry run: done")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(editor.get_by_text("Nothing was written.")).to_be_visible()
    expect(report_row(editor, "post")).to_have_text(["2", "0", "0", "0"])
    expect(report_row(editor, "comment")).to_have_text(["1", "0", "0", "0"])
    expect(editor.get_by_text("robin.e2e@example.com")).to_have_count(0)
    save_screenshot(editor, artifacts_dir / "wordpress-dry-run.png")
    # Nothing is on the site yet.
    assert page.request.get(f"/blog/{SLUG}/").status == 404

    editor.get_by_role("button", name="Import", exact=True).click()

    expect(editor.get_by_role("heading", name="Import: done")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(editor.get_by_text(re.compile("The import has finished"))).to_be_visible()
    expect(report_row(editor, "post")).to_have_text(["2", "0", "0", "0"])
    expect(editor.get_by_role("button", name="Import", exact=True)).to_have_count(0)
    save_screenshot(editor, artifacts_dir / "wordpress-import.png")

    page.goto(f"/blog/{SLUG}/")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text("Why worry keeps you up, and one habit that helps.")).to_be_visible()
    expect(page.get_by_text("Worry keeps the mind awake long after the body is tired.")).to_be_visible()
    expect(page.get_by_role("heading", name="What helps")).to_be_visible()
    expect(page.get_by_text("Trying this tonight.")).to_be_visible()
    assert page.request.get("/blog/not-finished-wordpress/").status == 404
