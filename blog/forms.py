"""Admin forms: the image library's form (alt text required, see ``blog.images``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from wagtail.images.forms import BaseImageForm

from blog.images import ALT_TEXT_HELP, ALT_TEXT_LABEL


class ImageForm(BaseImageForm):
    """The image library's upload and edit form: the description is the required alt text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("description")
        if field is not None:
            field.required = True
            field.label = ALT_TEXT_LABEL
            field.help_text = ALT_TEXT_HELP

    def clean_description(self):
        description = " ".join((self.cleaned_data.get("description") or "").split())
        stem = (self.instance.filename if self.instance.file else "").rsplit(".", 1)[0]
        uploaded = self.cleaned_data.get("file")
        if uploaded is not None and getattr(uploaded, "name", None):
            stem = uploaded.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if stem and description.lower() == stem.lower():
            raise ValidationError("This is the file name: describe what the image shows instead.")
        return description
