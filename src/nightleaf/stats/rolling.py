"""Trailing means over nights: the dashboard's 7-night line and its weekly view.

Each window counts nights, not values: a night without the value leaves a gap in the window, and
a window with fewer than ``min_n`` known values has no mean (``None``) rather than a mean of one.
"""

from __future__ import annotations

from collections.abc import Sequence


def rolling_mean(values: Sequence[float | None], window: int = 7, min_n: int = 4
                 ) -> list[float | None]:
    """The mean of each night's trailing ``window`` nights (itself included), over the known
    values, when at least ``min_n`` are known.

    >>> rolling_mean([1, 2, 3, None, 5], window=3, min_n=2)
    [None, 1.5, 2.0, 2.5, 4.0]
    """
    if window < 1 or min_n < 1:
        raise ValueError("window and min_n must be at least 1")
    out: list[float | None] = []
    total, n = 0.0, 0
    for i, v in enumerate(values):
        if v is not None:
            total, n = total + v, n + 1
        if i >= window:
            old = values[i - window]
            if old is not None:
                total, n = total - old, n - 1
        out.append(total / n if n >= min_n else None)
    return out


def block_means(values: Sequence[float | None], size: int = 7, min_n: int = 1
                ) -> list[float | None]:
    """Means of consecutive blocks of ``size`` nights, the last block ending with the last
    night (a first, shorter block holds what is left over).

    >>> block_means([1, 2, 3, 4, 5], size=2)
    [1.0, 2.5, 4.5]
    >>> block_means([None, None, 4], size=2)
    [None, 4.0]
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    if not values:
        return []
    start = len(values) % size
    edges = ([0] if start else []) + list(range(start, len(values), size))
    out: list[float | None] = []
    for a, b in zip(edges, [*edges[1:], len(values)], strict=True):
        known = [v for v in values[a:b] if v is not None]
        out.append(sum(known) / len(known) if len(known) >= min_n else None)
    return out
