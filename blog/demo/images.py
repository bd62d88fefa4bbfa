"""Pictures for the demo, drawn locally with Pillow: soft gradients, a few blurred shapes and a
short line of text. Nothing is downloaded, and the same key always gives the same picture."""

from __future__ import annotations

import hashlib
import io
import random
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERO_SIZE = (1600, 900)
PORTRAIT_SIZE = (800, 800)


def _rgb(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _gradient(size: tuple[int, int], colors: tuple[str, ...]) -> Image.Image:
    """A smooth diagonal gradient: a tiny image of corner colours scaled up (fast)."""
    first, middle, last = (_rgb(c) for c in (colors + colors[-1:] * 3)[:3])
    corners = Image.new("RGB", (2, 2))
    corners.putdata([first, middle, middle, last])
    return corners.resize(size, Image.Resampling.BICUBIC, reducing_gap=None)


def _soft_shapes(img: Image.Image, seed: str, colors: tuple[str, ...]) -> Image.Image:
    rng = random.Random(hashlib.sha256(seed.encode()).hexdigest())  # noqa: S311 - decoration only
    # Shapes are drawn on a small canvas and scaled up, which blurs them cheaply.
    w, h = img.size[0] // 8, img.size[1] // 8
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(6):
        r = rng.randint(h // 5, h // 2)
        x, y = rng.randint(0, w), rng.randint(0, h)
        colour = _rgb(rng.choice(colors)) + (rng.randint(60, 120),)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    layer = layer.filter(ImageFilter.GaussianBlur(3)).resize(img.size, Image.Resampling.BICUBIC)
    return Image.alpha_composite(img.convert("RGBA"), layer)


def _centered_text(img: Image.Image, text: str, size: int, fill=(45, 55, 72, 235)) -> None:
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=size)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (img.size[0] - (right - left)) / 2 - left
    y = (img.size[1] - (bottom - top)) / 2 - top
    draw.text((x, y), text, font=font, fill=fill)


def _jpeg(img: Image.Image) -> bytes:
    buffer = io.BytesIO()
    img.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


# Pictures are deterministic, so repeated builds in one process (the test suite) draw each once.
@lru_cache(maxsize=32)
def hero(key: str, words: str, colors: tuple[str, ...]) -> bytes:
    """A 1600 × 900 JPEG: gradient, blurred circles and ``words`` in the middle."""
    img = _soft_shapes(_gradient(HERO_SIZE, colors), key, colors)
    _centered_text(img, words, size=96)
    return _jpeg(img)


@lru_cache(maxsize=32)
def portrait(name: str, color: str) -> bytes:
    """An 800 × 800 JPEG placeholder portrait: a soft circle with the person's initials."""
    base = _gradient(PORTRAIT_SIZE, ("#f7f3ee", color, "#f7f3ee"))
    img = base.convert("RGBA")
    draw = ImageDraw.Draw(img)
    draw.ellipse((150, 150, 650, 650), fill=_rgb(color) + (255,))
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    _centered_text(img, initials, size=200, fill=(255, 255, 255, 255))
    return _jpeg(img)
