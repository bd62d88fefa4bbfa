"""Alt text for images: the image library's description is the alt text, and it is required.

``blog.forms.ImageForm`` is Wagtail's image form with the description required, labelled as
what it is and explained (``WAGTAILIMAGES_IMAGE_FORM_BASE``). Wagtail's multiple uploader already supports a
required field: an upload without it waits as an unfinished upload until the editor fills it
in, so no image enters the library without alt text. ``missing_alt_text`` is the check pages
run on the images chosen for them (images uploaded before the rule, or through code).
"""

from __future__ import annotations

ALT_TEXT_LABEL = "Alt text (description)"
ALT_TEXT_HELP = (
    "Required. What the image shows, for people who cannot see it: screen readers read it "
    "aloud, and search engines and social networks show it too. One plain sentence about "
    "what matters here, e.g. 'A woman looking out of a rain-streaked window at dusk'. "
    "Do not start with 'Image of', do not repeat the caption, never use the file name."
)
MISSING_ALT_TEXT = (
    f"This image has no alt text. Open it in the Images menu, fill in '{ALT_TEXT_LABEL}', save, "
    "then choose it here again."
)


def alt_text(image) -> str:
    """The alt text of a library image: its description, or empty (decorative) when it has
    none. Never the title, which defaults to the file name."""
    return (getattr(image, "description", "") or "").strip()


def missing_alt_text(instance, fields: tuple[str, ...]) -> dict[str, str]:
    """Field errors for the image fields of ``instance`` whose chosen image has no alt text."""
    errors = {}
    for name in fields:
        image = getattr(instance, name, None) if getattr(instance, f"{name}_id", None) else None
        if image is not None and not alt_text(image):
            errors[name] = MISSING_ALT_TEXT
    return errors
