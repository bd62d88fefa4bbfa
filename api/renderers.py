"""Compact UTF-8 JSON, with the charset spelled out in Content-Type as the contract says."""

from rest_framework.renderers import JSONRenderer as BaseJSONRenderer


class JSONRenderer(BaseJSONRenderer):
    """``application/json; charset=utf-8``, no pretty printing (indentation is ignored)."""

    charset = "utf-8"

    def get_indent(self, accepted_media_type, renderer_context):
        # A client asking for ``indent=4`` in Accept would triple list sizes; always compact.
        return None
