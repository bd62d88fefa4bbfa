"""Colour contrast of the stylesheet's palette (WCAG 2.2 AA) and the skip link's target.

The pages' structure (one h1, heading order, landmarks, alt text) is checked on every crawled
page in test_crawl.py."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"

# (foreground, background, minimum ratio): every text colour on every background it is used on,
# and focus rings (non-text contrast, 3:1).
PAIRS = [
    ("--text", "--bg", 4.5),
    ("--text", "--surface", 4.5),
    ("--text", "--accent-bg", 4.5),
    ("--muted", "--bg", 4.5),
    ("--muted", "--surface", 4.5),
    ("--link", "--bg", 4.5),
    ("--link", "--surface", 4.5),
    ("--link", "--accent-bg", 4.5),
    ("--button-text", "--button-bg", 4.5),
    ("--crisis-text", "--crisis-bg", 4.5),
    ("--focus", "--bg", 3.0),
    ("--focus", "--surface", 3.0),
    ("--focus-on-dark", "--crisis-bg", 3.0),
]


def _palette() -> dict[str, str]:
    return dict(re.findall(r"(--[a-z-]+):\s*(#[0-9a-fA-F]{6})", CSS.read_text()))


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("fg", "bg", "minimum"), PAIRS)
def test_palette_colour_pairs_pass_wcag_aa(fg, bg, minimum):
    palette = _palette()
    assert contrast(palette[fg], palette[bg]) >= minimum


def test_focus_is_always_visible():
    css = CSS.read_text()
    assert ":focus-visible { outline: 3px solid var(--focus)" in css
    assert "outline: none" not in css.replace("main:focus { outline: none; }", "")
