"""Tonight's plan, the routine and reminders, computed from settings and what is logged (pure).

Nothing here reads the database, the clock or files: callers pass ``now`` and the records in.
The numbers are the person's own settings, never a prescription.
"""

from nightleaf.plan.consistency import Consistency, TimingDrift, consistency
from nightleaf.plan.reminders import Reminder, reminders
from nightleaf.plan.routine import Adherence, ItemAdherence, adherence, move
from nightleaf.plan.tonight import RoutineStep, TonightPlan, build_plan, wall_instant

__all__ = [
    "Adherence", "Consistency", "ItemAdherence", "Reminder", "RoutineStep", "TimingDrift",
    "TonightPlan", "adherence", "build_plan", "consistency", "move", "reminders", "wall_instant",
]
