"""Pain measures (pure): NRS per night and the PEG score."""

from nightleaf.pain.nrs import NightPain, WeekPain, night_pain, weekly_pain
from nightleaf.pain.peg import peg_score

__all__ = ["NightPain", "WeekPain", "night_pain", "peg_score", "weekly_pain"]
