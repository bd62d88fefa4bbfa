"""Demo content for local development, reviews and benchmarks.

``content.py`` holds the words (written for, and editable by, marketing staff), ``dsl.py`` the
small helpers those words are written with, ``images.py`` draws the pictures locally with Pillow
and ``builder.py`` turns it all into pages, snippets and settings, idempotently.
"""
