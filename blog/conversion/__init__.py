"""Documents into article blocks: one HTML conversion (``html``) that pasted text, Word
documents (``docx``) and WordPress exports all go through."""

from blog.conversion.html import Conversion, html_to_blocks, text_to_html

__all__ = ["Conversion", "html_to_blocks", "text_to_html"]
