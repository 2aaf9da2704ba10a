"""Summaries, descriptive comparisons and self-experiments (pure).

Self-experiments live in :mod:`nightleaf.stats.experiment` (import it directly); the AR(1)
engine both use is :mod:`nightleaf.stats.ar1`.
"""

from nightleaf.stats.compare import MIN_NIGHTS, NOT_ENOUGH, Comparison, compare
from nightleaf.stats.describe import Describe, describe
from nightleaf.stats.intake import NightIntake, night_intakes, nights_per_week, use_streaks
from nightleaf.stats.window import NightRow, WindowSummary, summarise_window

__all__ = [
    "MIN_NIGHTS",
    "NOT_ENOUGH",
    "Comparison",
    "Describe",
    "NightIntake",
    "NightRow",
    "WindowSummary",
    "compare",
    "describe",
    "night_intakes",
    "nights_per_week",
    "summarise_window",
    "use_streaks",
]
