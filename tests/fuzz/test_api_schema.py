"""Schema fuzzing against a served instance: the schemathesis CLI, with every check it has,
drives every operation of ``/api/v1/schema/`` over HTTP against pytest-django's live server.

``--checks all`` includes, besides "no 5xx" and "status, content type, headers and body as the
schema says": schema-valid requests are accepted (``positive_data_acceptance``), schema-invalid
ones refused (``negative_data_rejection``), unsupported methods answered 405 with ``Allow``,
missing required parameters refused, and the stateful checks (``use_after_free``,
``ensure_resource_availability``, ``ignored_auth``...). Any failure fails this test, with
schemathesis' report (and a curl line to reproduce each failure) in the assertion message.

``FUZZ_MAX_EXAMPLES`` (10 by default, ``make fuzz``: 1000) examples per operation, with a fixed
seed so that a run is repeatable. See docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps

from tests.conftest import body_json, clear_cache

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "10"))
SEED = os.environ.get("FUZZ_SEED", "20261204")
HOOKS = Path(__file__).with_name("schemathesis_hooks.py")
CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
# Submissions are throttled per client; every fuzzed request comes from 127.0.0.1.
UNTHROTTLED = "1000000/60"


@pytest.fixture
def fuzz_content(make_article, practice, reviewer, approach, image, home, blog_index):
    """A small site with every block type, related picks, a redirect and comments, so that
    detail endpoints answer 200 for the known slugs and not only 404. Returns what exists,
    for the hooks (``FUZZ_KNOWN_DATA``)."""
    from wagtail.contrib.redirects.models import Redirect

    from blog.models import Location

    burnout = make_article("Burnout at work", topics=["burnout", "stress"], hero_image=image)
    make_article(
        "Coping with panic attacks",
        topics=["anxiety", "stress"],
        reviewer=reviewer,
        related=[burnout],
        hero_image=image,
        body=body_json(
            ("heading", {"text": "What a panic attack feels like", "level": 2}),
            ("paragraph", f'<p>Read <a linktype="page" id="{burnout.pk}">this</a>.</p>'),
            ("symptom_list", {"title": "Signs", "intro": "", "items": ["Racing heart"], "style": "bullets"}),
            ("approach_summary", {"approach": approach.pk, "link": None}),
            ("related_article", {"lead_in": "More on stress", "article": burnout.pk}),
            ("quote", {"text": "It passes.", "attribution": "A client"}),
            ("image", {"image": image.pk, "caption": "Calm"}),
            ("faq", {"items": [{"question": "Is it dangerous?", "answer": "<p>No.</p>"}]}),
        ),
    )
    make_article("A draft about sleep", topics=["sleep"], live=False)
    Redirect.objects.create(old_path="/old-page", redirect_link="/blog/", is_permanent=True)
    comments = {}
    if apps.is_installed("readers"):
        comment = apps.get_model("readers", "Comment").objects.create(
            article=burnout, name="Sam", email="sam@example.test", body="Thank you.", status="approved"
        )
        comments[burnout.slug] = [comment.pk]
    clear_cache()  # throttle counters must not carry over from other tests
    return {
        "articles": ["coping-with-panic-attacks", "burnout-at-work"],
        "topics": ["anxiety", "burnout", "stress"],
        "authors": ["maya-chen", "daniel-ortiz"],
        "paths": ["/", "/blog/", "/blog/coping-with-panic-attacks/", "/blog/topics/anxiety/", "/old-page/"],
        "locations": list(Location.objects.values_list("slug", flat=True)),
        "comments": comments,
    }


def failures_of(report: str) -> str:
    """Schemathesis' report from its failures on, each line cut short: a generated body can
    be thousands of characters, which would push the failures out of the assertion message."""
    start = report.find("FAILURES")
    lines = report[start if start >= 0 else 0 :].splitlines()
    return "\n".join(line if len(line) <= 400 else line[:400] + " …" for line in lines if line.strip())


def run_schemathesis(base_url: str, known: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    command = [
        str(SCHEMATHESIS),
        f"--config-file={CONFIG}",
        "run",
        f"{base_url}/api/v1/schema/",
        "--checks=all",
        f"--max-examples={MAX_EXAMPLES}",
        f"--seed={SEED}",
        "--generation-deterministic",
        "--workers=1",
        "--header=Accept: application/json",
        "--no-color",
        "--output-truncate=false",
        "--suppress-health-check=all",
    ]
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": str(HOOKS),
        "FUZZ_KNOWN_DATA": json.dumps(known),
        # The report and any cassette stay out of the working tree.
        "HOME": str(tmp_path),
    }
    return subprocess.run(  # noqa: S603 (a fixed command: our own venv's schemathesis)
        command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=3600, check=False
    )


# serialized_rollback: the live server needs committed data; the flush after it must not take the
# migrations' data (root page, groups, workflow) from the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_schemathesis_with_all_checks_finds_nothing_against_a_served_instance(
    fuzz_content, live_server, settings, tmp_path
):
    settings.COMMENT_THROTTLE_RATE = UNTHROTTLED
    settings.CONSULTATION_THROTTLE_RATE = UNTHROTTLED

    result = run_schemathesis(live_server.url, fuzz_content, tmp_path)

    report = result.stdout + result.stderr
    assert result.returncode == 0, failures_of(report)
    assert "14 selected / 14 total" in report  # every operation of the schema was fuzzed
    assert "FAILURES" not in report and "ERRORS" not in report
