"""Every per-night figure, computed in one place (pure).

Each view — ``nightleaf nights`` (table and ``--json``), ``/api/nights``, ``nightleaf summary``,
the dashboard, the calendar and the clinician report — reads its nightly figures from
:func:`nightly`, which is fed by one bulk read of the window's records:

- **intake**: :func:`nightleaf.stats.intake.night_intakes` (grams and mitragynine mg are unknown
  when any intake of the night has an unknown amount);
- **diary**: :func:`nightleaf.sleep.diary.diary_metrics` of the night's entry (the last one
  given wins when there are several);
- **wearable**: the main (longest non-nap) episode of each source,
  :func:`nightleaf.sleep.episode.episode_metrics`, one :class:`NightMetrics` per source, sorted
  by source, never mixed with the diary;
- **pain**: :func:`nightleaf.pain.nrs.night_pain` — the *last* rating of each context (evening,
  morning) by time wins when a night has several (the morning form corrects a rating by saving
  it again, so the latest is the person's answer);
- **symptoms**: each side effect or withdrawal sign once per night with its highest severity;
- **experiment_arm**: the arm of a self-experiment the night belongs to; ``None`` until
  experiments exist (a slot kept for them).

>>> from datetime import UTC, date, datetime
>>> from nightleaf.model.entities import Intake, PainRating, Profile
>>> from nightleaf.model.units import Amount
>>> n = date(2026, 3, 1)
>>> at = lambda h: datetime(2026, 3, 1, h, 0, tzinfo=UTC)
>>> rows = nightly(first_night=n, last_night=n, profile=Profile(tz="UTC"),
...     intakes=[Intake(at(20), "UTC", Amount(2.0, "g"), n)],
...     pain=[PainRating(at(21), "UTC", n, 6, "evening"), PainRating(at(22), "UTC", n, 5, "evening")])
>>> rows[0].intake.total_grams, rows[0].pain.evening_nrs, rows[0].experiment_arm
(2.0, 5, None)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, timedelta

from nightleaf.model.entities import Intake, PainRating, Profile, SleepEntry, SleepEpisode, Symptom
from nightleaf.pain.nrs import NightPain, night_pain
from nightleaf.sleep.diary import NightMetrics, diary_metrics
from nightleaf.sleep.episode import episode_metrics, main_episodes
from nightleaf.sleep.regularity import is_work_night
from nightleaf.stats.intake import NightIntake, night_intakes


@dataclass(frozen=True)
class NightSymptom:
    kind: str  # side_effect / withdrawal
    name: str
    severity: int  # the highest severity recorded that night (0 none .. 4 very severe)


@dataclass(frozen=True)
class Night:
    """All figures of one night. ``None`` (or empty) means nothing was recorded."""

    night: date
    work_night: bool
    diary: NightMetrics | None
    wearable: tuple[NightMetrics, ...]  # main episode per source, sorted by source
    intake: NightIntake | None
    pain: NightPain | None
    symptoms: tuple[NightSymptom, ...] = ()
    experiment_arm: str | None = None

    __json_extra__ = ("used",)

    @property
    def used(self) -> bool:
        return self.intake is not None

    @property
    def recorded(self) -> bool:
        """Whether anything at all was recorded for the night."""
        return bool(self.diary or self.wearable or self.intake or self.pain or self.symptoms)


def night_symptoms(symptoms: Iterable[Symptom]) -> dict[date, tuple[NightSymptom, ...]]:
    """Each (kind, name) once per night with its highest severity, sorted by kind and name."""
    worst: dict[date, dict[tuple[str, str], int]] = {}
    for s in symptoms:
        mine = worst.setdefault(s.night, {})
        key = (s.kind, s.name)
        mine[key] = max(s.severity, mine.get(key, s.severity))
    return {n: tuple(NightSymptom(k, name, sev) for (k, name), sev in sorted(d.items()))
            for n, d in worst.items()}


def nightly(
    *,
    first_night: date,
    last_night: date,
    profile: Profile,
    entries: Iterable[SleepEntry] = (),
    episodes: Iterable[SleepEpisode] = (),
    intakes: Iterable[Intake] = (),
    pain: Iterable[PainRating] = (),
    symptoms: Iterable[Symptom] = (),
    arms: Mapping[date, str] | None = None,
) -> tuple[Night, ...]:
    """One :class:`Night` for every night ``first_night..last_night`` (inclusive, oldest first).

    Records outside the window are ignored. ``arms`` maps the nights of a self-experiment to
    their arm ("A"/"B").
    """
    lo, hi = first_night, last_night  # records outside the window are ignored
    diary_by_night = {e.night: diary_metrics(e) for e in entries if lo <= e.night <= hi}
    tried = {n: m.tried_to_sleep for n, m in diary_by_night.items()
             if m.tried_to_sleep is not None}
    intake_by_night = night_intakes([i for i in intakes if lo <= i.night <= hi], tried)
    pain_by_night = night_pain([p for p in pain if lo <= p.night <= hi])
    wear_by_night: dict[date, list[NightMetrics]] = {}
    for (_, n), ep in sorted(main_episodes(e for e in episodes if lo <= e.night <= hi).items()):
        wear_by_night.setdefault(n, []).append(episode_metrics(ep))
    wear = {n: tuple(ms) for n, ms in wear_by_night.items()}
    sym_by_night = night_symptoms(s for s in symptoms if lo <= s.night <= hi)
    arm_of = arms or {}
    days = (last_night - first_night).days + 1
    # whether a night is a work night depends on its weekday only: 7 look-ups, not one a night
    work = [is_work_night(first_night + timedelta(days=k), profile.work_days) for k in range(7)]
    start = first_night.toordinal()
    out = []
    for k in range(days):
        n = date.fromordinal(start + k)
        # Night(...) without the frozen dataclass's object.__setattr__ per field (the same
        # object: see _NIGHT_FIELDS)
        row = _new(Night)
        row.__dict__.update({
            "night": n, "work_night": work[k % 7], "diary": diary_by_night.get(n),
            "wearable": wear.get(n, ()), "intake": intake_by_night.get(n),
            "pain": pain_by_night.get(n), "symptoms": sym_by_night.get(n, ()),
            "experiment_arm": arm_of.get(n),
        })
        out.append(row)
    return tuple(out)


_new = object.__new__
#: the fields ``nightly`` fills in, in order: a new field of Night must be added there too
_NIGHT_FIELDS = ("night", "work_night", "diary", "wearable", "intake", "pain", "symptoms",
                 "experiment_arm")
assert tuple(f.name for f in fields(Night)) == _NIGHT_FIELDS
assert not hasattr(Night, "__post_init__")
