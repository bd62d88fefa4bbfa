"""Compact UTF-8 JSON, with the charset spelled out in Content-Type as the contract says."""

import orjson
from rest_framework.renderers import JSONRenderer as BaseJSONRenderer
from rest_framework.utils.encoders import JSONEncoder

# What orjson does not encode itself goes to DRF's encoder: dates and times (passed through, so
# they keep DRF's format: ISO 8601, "Z" for UTC), lazy strings, decimals, querysets. Keys that
# are not strings become strings, as ``json.dumps`` makes them.
_default = JSONEncoder().default
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


class JSONRenderer(BaseJSONRenderer):
    """``application/json; charset=utf-8``, compact, encoded by orjson.

    The same JSON DRF's renderer writes (UTF-8, no spaces, U+2028/U+2029 escaped so the
    output is also valid JavaScript), several times faster on an article's 50 kB. Indentation
    asked for in Accept is ignored: it would triple list sizes.
    """

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        out = orjson.dumps(data, default=_default, option=_OPTIONS)
        return out.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
