"""Diary entries other than intakes: the sleep diary, pain, symptoms, other substances, notes.

Each has a parser (typed input → validated entry, nothing saved; the morning check-in saves
several together) and a ``log_*`` use case that saves one entry in one transaction.

Edits carry the version the person saw (:func:`version_of` an entry, :func:`night_version` of a
night: a digest of the stored content, so no column or migration is needed). The write takes
the row's lock (the night's, for a diary entry that may not exist yet), reads the version again
inside its transaction and refuses with :class:`Changed` (409) when it differs: two people (or
two tabs) editing the same night never silently lose one of the edits.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from typing import Any, TypeVar

from nightleaf.errors import Conflict, InputError
from nightleaf.model import clock, validate
from nightleaf.model.entities import Note, PainRating, SleepEntry, Substance, Symptom
from nightleaf.model.plain import to_plain
from nightleaf.services import parse
from nightleaf.services.context import Context
from nightleaf.services.inputs import PainInput, SleepInput, SubstanceInput, SymptomInput
from nightleaf.store.repo import Repo

E = TypeVar("E", Substance, PainRating)
NIGHT_CHANGED = "this night was changed elsewhere; reload"
ENTRY_CHANGED = "this entry was changed elsewhere; reload"


class Changed(Conflict):
    """What the person edited is no longer what is stored (someone saved in between)."""


def version_of(value: Any) -> str:
    """A short digest of stored content (an entry, a night's entries; None: nothing stored)."""
    blob = json.dumps(to_plain(value), sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def night_version(repo: Repo, night: date, *, lock: bool = False) -> str:
    """The version of a night as the morning form edits it: its diary entry and its morning
    pain ratings. ``lock``: take the night's write lock first (for a compare-then-write)."""
    if lock:
        repo.lock_night(night)
    pains = [p for p in repo.all(PainRating, first=night, last=night) if p.context == "morning"]
    return version_of({"entry": repo.sleep_entry(night), "pain": pains})


def night_version_now(ctx: Context, night: date) -> str:
    """The version of ``night`` to put in a form or an ``ETag``: ``NIGHT:DIGEST`` (a form whose
    night field is changed to another night is not a stale edit of that one)."""
    with ctx.tx() as repo:
        return f"{night.isoformat()}:{night_version(repo, night)}"


def check_night(repo: Repo, night: date, version: str | None) -> None:
    """Inside the saving transaction: lock the night and refuse when it is not the version the
    person saw. None or empty: the caller sent no version (a script, an older page); a version
    of another night: the person chose a different night in the form; nothing to compare."""
    current = night_version(repo, night, lock=True)
    seen_night, _, digest = (version or "").strip().strip('"').rpartition(":")
    if digest and seen_night == night.isoformat() and digest != current:
        raise Changed(NIGHT_CHANGED, field="version")


def entry_version(ctx: Context, cls: type[E], entry_id: int) -> str:
    with ctx.tx() as repo:
        return version_of(repo.get(cls, entry_id))


def _correct(ctx: Context, cls: type[E], entry_id: int, parsed: E, version: str | None) -> E:
    """Replace entry ``entry_id`` by ``parsed`` (all values given again), if it is still the
    version the person saw: the row is locked, compared and written in one transaction."""
    with ctx.tx() as repo:
        # the night's lock, then the row read again (see entries.update_intake)
        repo.lock_night(repo.get(cls, entry_id).night)  # NotFound for an unknown id
        current = repo.get(cls, entry_id, for_update=True)
        if version is not None and version.strip() and version_of(current) != version.strip():
            raise Changed(ENTRY_CHANGED, field="version")
        fixed = dataclasses.replace(parsed, id=entry_id)
        repo.update(fixed)
    return fixed


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


def update_substance(ctx: Context, entry_id: int, inp: SubstanceInput, *,
                     version: str | None = None) -> Substance:
    """Correct a substance entry: all values are given again (as for a new one). ``version``:
    the :func:`version_of` the entry the person edited (:class:`Changed` if it is not)."""
    return _correct(ctx, Substance, entry_id, substance(ctx, inp), version)


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


def update_pain(ctx: Context, entry_id: int, inp: PainInput, *,
                version: str | None = None) -> PainRating:
    """Correct a pain rating: all values are given again (as for a new one). ``version``: as
    for :func:`update_substance`."""
    return _correct(ctx, PainRating, entry_id, pain_rating(ctx, inp), version)


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


def log_sleep(ctx: Context, inp: SleepInput, *, version: str | None = None) -> SleepEntry:
    """Save (or replace) the diary entry of one night. Clock times are read within that night:
    from noon on they are that evening, before noon the next morning. ``version``: the
    :func:`night_version` the person saw (:class:`Changed` if the night changed since)."""
    entry = sleep_entry(ctx, inp)
    with ctx.tx() as repo:
        check_night(repo, entry.night, version)
        return repo.save_sleep_entry(entry)
