"""Diary entries other than intakes: the sleep diary, pain, symptoms, other substances, notes.

Each has a parser (typed input → validated entry, nothing saved; the morning check-in saves
several together) and a ``log_*`` use case that saves one entry in one transaction.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from nightleaf.errors import InputError
from nightleaf.model import clock, validate
from nightleaf.model.entities import Note, PainRating, SleepEntry, Substance, Symptom
from nightleaf.services import parse
from nightleaf.services.context import Context
from nightleaf.services.inputs import PainInput, SleepInput, SubstanceInput, SymptomInput


def substance(ctx: Context, inp: SubstanceInput) -> Substance:
    profile = ctx.profile()
    f = parse.Fields()
    instant = f.get(lambda: parse.instant(inp.at, "at", now=ctx.now(), tz=profile.tz))
    amount = f.get(lambda: parse.number(inp.amount, "amount", "the amount"))
    f.check()
    if not (instant is not None):  # narrows the types
        raise InputError("a required value is missing", code="required")
    s = validate.substance(Substance(
        at=instant, tz=profile.tz, kind=inp.kind or "", night=clock.night_of(instant, profile.tz),
        name=parse.text(inp.name), amount=amount, unit=parse.text(inp.unit),
        note=parse.text(inp.note)))
    if s.kind == "alcohol" and s.unit is None and s.amount is not None:
        s.unit = "drinks"
    return s


def log_substance(ctx: Context, inp: SubstanceInput) -> Substance:
    s = substance(ctx, inp)
    with ctx.tx() as repo:
        return repo.add(s)


def update_substance(ctx: Context, entry_id: int, inp: SubstanceInput) -> Substance:
    """Correct a substance entry: all values are given again (as for a new one)."""
    s = substance(ctx, inp)
    with ctx.tx() as repo:
        repo.get(Substance, entry_id)  # NotFound for an unknown id
        fixed = dataclasses.replace(s, id=entry_id)
        repo.update(fixed)
    return fixed


def pain_rating(ctx: Context, inp: PainInput) -> PainRating:
    """Parse and validate a pain rating without saving it."""
    profile = ctx.profile()
    f = parse.Fields()
    instant = f.get(lambda: parse.instant(inp.at, "at", now=ctx.now(), tz=profile.tz))
    score = f.get(lambda: parse.whole(inp.nrs, "nrs", "pain (NRS)"))
    if score is None and not any(e.field == "nrs" for e in f.errors):
        f.add("nrs", "required", "pain (NRS) is required: 0 (no pain) to 10 (worst imaginable)")
    peg = {k: f.get(lambda k=k, what=what: parse.whole(getattr(inp, k), k, what))  # type: ignore[misc]
           for k, what in (("peg_pain", "PEG pain"), ("peg_enjoyment", "PEG enjoyment of life"),
                           ("peg_activity", "PEG general activity"))}
    f.check()
    if not (instant is not None and score is not None):  # narrows the types
        raise InputError("a required value is missing", code="required")
    return validate.pain(PainRating(
        at=instant, tz=profile.tz, night=clock.night_of(instant, profile.tz), nrs=score,
        context=inp.context or "other", peg_pain=peg["peg_pain"],
        peg_enjoyment=peg["peg_enjoyment"], peg_activity=peg["peg_activity"],
        note=parse.text(inp.note)))


def log_pain(ctx: Context, inp: PainInput) -> PainRating:
    p = pain_rating(ctx, inp)
    with ctx.tx() as repo:
        return repo.add(p)


def update_pain(ctx: Context, entry_id: int, inp: PainInput) -> PainRating:
    """Correct a pain rating: all values are given again (as for a new one)."""
    p = pain_rating(ctx, inp)
    with ctx.tx() as repo:
        repo.get(PainRating, entry_id)  # NotFound for an unknown id
        fixed = dataclasses.replace(p, id=entry_id)
        repo.update(fixed)
    return fixed


def symptom(ctx: Context, inp: SymptomInput) -> Symptom:
    """Parse and validate a side effect or withdrawal sign without saving it."""
    profile = ctx.profile()
    f = parse.Fields()
    instant = f.get(lambda: parse.instant(inp.at, "at", now=ctx.now(), tz=profile.tz))
    sev = f.get(lambda: parse.whole(inp.severity, "severity", "severity"))
    if sev is None and not any(e.field == "severity" for e in f.errors):
        f.add("severity", "required",
              "severity is required: 0 none, 1 mild, 2 moderate, 3 severe, 4 very severe")
    f.check()
    if not (instant is not None and sev is not None):  # narrows the types
        raise InputError("a required value is missing", code="required")
    return validate.symptom(Symptom(
        at=instant, tz=profile.tz, night=clock.night_of(instant, profile.tz),
        kind=inp.kind or "", name=(inp.name or "").strip(), severity=sev,
        note=parse.text(inp.note)))


def log_symptom(ctx: Context, inp: SymptomInput) -> Symptom:
    s = symptom(ctx, inp)
    with ctx.tx() as repo:
        return repo.add(s)


def log_note(ctx: Context, text: str, *, at: str | None = None) -> Note:
    body = parse.required(text, "text", "the note is empty")
    profile = ctx.profile()
    instant = parse.instant(at, "at", now=ctx.now(), tz=profile.tz)
    with ctx.tx() as repo:
        return repo.add(Note(at=instant, tz=profile.tz, night=clock.night_of(instant, profile.tz),
                             text=body))


#: (field id, words) of the diary's times, in the order of the night
SLEEP_TIMES = (("into_bed", "into bed"), ("tried_to_sleep", "tried to sleep"),
               ("final_awakening", "final awakening"), ("out_of_bed", "out of bed"))
#: (field id, words, whole number) of the diary's counts and minutes
SLEEP_NUMBERS = (("sol", "minutes to fall asleep", False),
                 ("awakenings", "number of awakenings", True),
                 ("waso", "minutes awake during the night", False),
                 ("woke_early", "minutes woken earlier than planned", False),
                 ("quality", "sleep quality", True), ("rested", "how rested", True),
                 ("nap_count", "number of naps", True), ("nap_minutes", "nap minutes", False))


#: the SleepEntry attribute of each numeric diary field id
SLEEP_ATTRS = {"sol": "sol_minutes", "awakenings": "awakenings", "waso": "waso_minutes",
               "woke_early": "woke_early_minutes", "quality": "quality", "rested": "rested",
               "nap_count": "nap_count", "nap_minutes": "nap_minutes"}


def check_sleep_number(field: str, value: float | None) -> None:
    """The range check of one numeric diary field alone (the same as for a whole entry)."""
    if value is not None:
        validate.sleep_entry(SleepEntry(night=date(2000, 1, 1), tz="UTC",
                                        **{SLEEP_ATTRS[field]: value}))  # type: ignore[arg-type]


def sleep_entry(ctx: Context, inp: SleepInput) -> SleepEntry:
    """Parse and validate one night's diary entry without saving it (see :func:`log_sleep`).
    Every unreadable field is reported at once; a time outside the named night is refused."""
    tz = ctx.profile().tz
    now = ctx.now()
    n = parse.night(inp.night, "night", now=now, tz=tz)
    f = parse.Fields()
    times = {fid: f.get(lambda fid=fid, what=what: parse.time_in_night(  # type: ignore[misc]
        getattr(inp, fid), fid, what, now=now, tz=tz, night=n)) for fid, what in SLEEP_TIMES}
    nums = {fid: f.get(lambda fid=fid, what=what, w=w: (  # type: ignore[misc]
        parse.whole if w else parse.number)(getattr(inp, fid), fid, what))
        for fid, what, w in SLEEP_NUMBERS}
    for fid, v in nums.items():  # out-of-range numbers are reported with the unreadable ones
        f.get(lambda fid=fid, v=v: check_sleep_number(fid, v))  # type: ignore[misc]
    f.check()
    entry = SleepEntry(
        night=n, tz=tz, into_bed=times["into_bed"], tried_to_sleep=times["tried_to_sleep"],
        sol_minutes=nums["sol"], awakenings=nums["awakenings"],  # type: ignore[arg-type]
        waso_minutes=nums["waso"], final_awakening=times["final_awakening"],
        out_of_bed=times["out_of_bed"], woke_early_minutes=nums["woke_early"],
        quality=nums["quality"], rested=nums["rested"],  # type: ignore[arg-type]
        nap_count=nums["nap_count"], nap_minutes=nums["nap_minutes"],  # type: ignore[arg-type]
        note=parse.text(inp.note))
    validate.sleep_entry(entry)
    latest = max((v for v in (entry.out_of_bed, entry.final_awakening, entry.tried_to_sleep)
                  if v is not None), default=None)
    if latest is not None and latest > now + parse.FUTURE_SLACK:
        ends = clock.local_datetime(latest, tz)
        raise InputError(f"the entry for the night of {n} ends in the future ({ends:%a %H:%M}): "
                         "log a night once you are up, or choose an earlier night (e.g. "
                         "2 days ago); check the times", field="night", code="future")
    return entry


def log_sleep(ctx: Context, inp: SleepInput) -> SleepEntry:
    """Save (or replace) the diary entry of one night. Clock times are read within that night:
    from noon on they are that evening, before noon the next morning."""
    entry = sleep_entry(ctx, inp)
    with ctx.tx() as repo:
        return repo.save_sleep_entry(entry)
