"""Schemathesis hooks for the served-instance run (``tests/fuzz/test_api_schema.py``).

Loaded by the schemathesis CLI through ``SCHEMATHESIS_HOOKS``; what exists on the served site
comes in ``FUZZ_KNOWN_DATA`` (JSON). Some values are references to data the schema cannot
enumerate: a consultation request's ``location`` is the slug of a location the practice set up,
a comment's ``parent`` the id of a published comment on that article. A generated value of the
right form is swapped for one that exists, so schema-valid requests test the real validation
and not "no such location"; values that break the schema are left alone (negative cases stay
negative). Slugs and resolve paths of the right form are swapped for existing ones about half
the time, so 200 answers are checked against the schema too, not only 404s.
"""

from __future__ import annotations

import json
import os
import re
import zlib

import schemathesis

KNOWN = json.loads(os.environ.get("FUZZ_KNOWN_DATA", "{}"))
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
PUBLIC_PATH = re.compile(r"^/([^/\x00][^\x00]*)?$")
MAX_ID = 2**31 - 1


def _pick(value: str, choices: list[str]) -> str:
    """A stable choice: the same generated value always maps to the same known one (or stays)."""
    digest = zlib.crc32(value.encode("utf-8", "surrogatepass"))
    return choices[digest % len(choices)] if choices and digest % 2 == 0 else value


def _known_slugs(path: str) -> list[str]:
    for prefix, key in (("/topics/", "topics"), ("/authors/", "authors"), ("/articles/", "articles")):
        if prefix in path:
            return KNOWN.get(key, [])
    return []


@schemathesis.hook
def before_call(ctx, case, kwargs):
    slug = (case.path_parameters or {}).get("slug")
    if isinstance(slug, str) and SLUG.match(slug):
        case.path_parameters["slug"] = slug = _pick(slug, _known_slugs(case.path))
    path = (case.query or {}).get("path")
    if case.path.endswith("/resolve/") and isinstance(path, str) and PUBLIC_PATH.match(path):
        case.query["path"] = _pick(path, KNOWN.get("paths", []))
    body = case.body
    if not isinstance(body, dict):
        return
    location = body.get("location")
    if isinstance(location, str) and location and SLUG.match(location) and len(location) <= 120:
        body["location"] = KNOWN["locations"][zlib.crc32(location.encode()) % len(KNOWN["locations"])]
    parent = body.get("parent")
    if isinstance(parent, int) and not isinstance(parent, bool) and 1 <= parent <= MAX_ID:
        published = KNOWN.get("comments", {}).get(slug or "", [])
        body["parent"] = published[parent % len(published)] if published else None
