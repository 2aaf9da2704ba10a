"""Draw the web app's PNG icons (192 and 512 px) once; the PNGs are committed.

    .venv/bin/python tools/make_icons.py

The same shapes as ``static/icons/icon.svg`` (a leaf and a moon on the app's green), drawn with
Pillow so no SVG renderer is needed. Full-bleed square: fit for ``purpose: any maskable``.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

OUT = Path(__file__).parents[1] / "src" / "nightleaf" / "web" / "static" / "icons"


def leaf(size: int) -> Image.Image:
    s = size / 512
    big = Image.new("RGB", (size * 4, size * 4), "#2c5a4c")  # drawn 4x, then reduced: smooth
    d = ImageDraw.Draw(big)
    k = 4 * s
    # the leaf: the lens where two circles (radius 200) overlap, tip to tip (144,352)-(368,144)
    a, b = Image.new("L", big.size, 0), Image.new("L", big.size, 0)
    for mask, (cx, cy) in ((a, (344, 342)), (b, (168, 154))):
        ImageDraw.Draw(mask).ellipse([(cx - 200) * k, (cy - 200) * k, (cx + 200) * k,
                                      (cy + 200) * k], fill=255)
    big.paste("#e3eee9", mask=ImageChops.multiply(a, b))
    d.ellipse([(352 - 48) * k, (352 - 48) * k, (352 + 48) * k, (352 + 48) * k], fill="#f4f5f2")
    return big.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        leaf(size).quantize(colors=16).save(OUT / f"icon-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
