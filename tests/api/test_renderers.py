"""The API's JSON renderer writes exactly the bytes DRF's own renderer writes, only faster."""

import datetime
import decimal
import uuid

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from api.renderers import JSONRenderer

SAMPLES = [
    {"title": "Emotional numbness", "count": 3, "ratio": 0.25, "draft": False, "next": None},
    {"text": "Line\u2028separator and paragraph\u2029separator", "quote": 'say "hi"\n'},
    {"unicode": "Zoë’s café — ça va", "emoji": "\U0001f331", "slash": "a/b<script>"},
    {"at": datetime.datetime(2026, 12, 5, 9, 30, 15, 123456, tzinfo=datetime.UTC)},
    {"at": datetime.datetime(2026, 12, 5, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))},
    {"day": datetime.date(2026, 12, 5), "time": datetime.time(9, 30, 1)},
    {"price": decimal.Decimal("12.50"), "id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"lazy": gettext_lazy("Not found."), 3: "int key", "nested": [[1, 2], {"a": []}]},
]


@pytest.mark.parametrize("data", SAMPLES)
def test_same_bytes_as_drf(data):
    assert JSONRenderer().render(data) == DRFJSONRenderer().render(data)


def test_line_separators_are_escaped_for_javascript():
    out = JSONRenderer().render({"t": "a\u2028b\u2029c"})

    assert out == b'{"t":"a\\u2028b\\u2029c"}'


def test_utc_times_end_in_z():
    at = datetime.datetime(2026, 12, 5, 9, 30, 15, 123456, tzinfo=datetime.UTC)

    assert JSONRenderer().render({"at": at}) == b'{"at":"2026-12-05T09:30:15.123456Z"}'


def test_nothing_renders_as_an_empty_body():
    assert JSONRenderer().render(None) == b""


def test_content_type_names_the_charset():
    assert JSONRenderer().media_type == "application/json"
    assert JSONRenderer().charset == "utf-8"
