"""Journal entities. Instants are aware UTC datetimes; ``tz`` is the IANA zone the person was in.

Every record belongs to a person (``person_id``); one local person (id 1) by default.
Ids are ``None`` until the store saves the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from nightleaf.model.units import Amount

FORMS = ("leaf", "powder", "capsule", "tea", "extract", "tablet", "other")
VEINS = ("red", "green", "white", "yellow", "gold", "mixed", "other", "unknown")
CONTAMINANT_RESULTS = ("pass", "fail", "unknown")
SUBSTANCE_KINDS = ("alcohol", "caffeine", "cannabis", "medicine", "other")
PAIN_CONTEXTS = ("evening", "morning", "other")
SYMPTOM_KINDS = ("side_effect", "withdrawal")
REGIMENS = ("regular", "as_needed")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def saved_id(record: object) -> int:
    """The id of a record that has been saved (a programming error otherwise)."""
    value = getattr(record, "id", None)
    if value is None:
        raise ValueError(f"{type(record).__name__} has not been saved yet")
    return int(value)


@dataclass
class Profile:
    """The person's settings. Limits are the person's own; nightleaf never suggests them."""

    tz: str = "UTC"
    region: str | None = None  # ISO 3166-1 alpha-2 or ISO 3166-2 code, e.g. "US-CA", "TH"
    target_bedtime: time = time(23, 0)
    lead_minutes: int = 60  # planned minutes between intake and bedtime
    target_wake: time | None = None
    max_grams_per_night: float | None = None
    max_nights_per_week: int | None = None
    work_days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")  # nights before these are work nights
    name: str | None = None
    person_id: int = 1


@dataclass
class Medicine:
    name: str
    dose_text: str | None = None
    regimen: str = "regular"  # one of REGIMENS
    note: str | None = None
    id: int | None = None
    person_id: int = 1


@dataclass
class Condition:
    name: str
    note: str | None = None
    id: int | None = None
    person_id: int = 1


@dataclass
class Product:
    name: str
    vendor: str | None = None
    label: str | None = None  # the "strain" name on the label, free text (e.g. "Red Bali")
    vein: str = "unknown"  # one of VEINS
    form: str = "powder"  # one of FORMS
    capsule_mg: float | None = None  # default material per capsule for capsule products
    note: str | None = None
    id: int | None = None
    person_id: int = 1


@dataclass
class Batch:
    """A purchase or lot of a product, with its lab results when the person has them."""

    product_id: int
    lot: str | None = None
    purchased_on: date | None = None
    mitragynine_pct: float | None = None  # % of dry weight
    seven_oh_pct: float | None = None  # 7-hydroxymitragynine, % of dry weight
    lab: str | None = None
    test_date: date | None = None
    heavy_metals: str = "unknown"  # pass / fail / unknown
    microbial: str = "unknown"
    pesticides: str = "unknown"
    note: str | None = None
    id: int | None = None
    person_id: int = 1

    @property
    def has_lab_results(self) -> bool:
        return self.mitragynine_pct is not None or self.seven_oh_pct is not None


@dataclass
class Intake:
    at: datetime  # UTC
    tz: str
    amount: Amount
    night: date
    product_id: int | None = None
    batch_id: int | None = None
    note: str | None = None
    mitragynine_mg: float | None = None  # derived from the batch's lab result when known
    id: int | None = None
    person_id: int = 1

    @property
    def grams(self) -> float | None:
        return self.amount.grams


@dataclass
class Substance:
    """Another substance the same evening: alcohol (standard drinks), caffeine (mg), cannabis,
    a medicine taken as needed, or other."""

    at: datetime
    tz: str
    kind: str  # one of SUBSTANCE_KINDS
    night: date
    name: str | None = None
    amount: float | None = None
    unit: str | None = None  # "drinks" for alcohol, "mg" for caffeine, free text otherwise
    note: str | None = None
    id: int | None = None
    person_id: int = 1


@dataclass
class SleepEntry:
    """One night of the Consensus Sleep Diary (Carney et al. 2012), stored raw.

    Times are UTC instants; minutes are as the person reported them. Missing items are None.
    """

    night: date
    tz: str
    into_bed: datetime | None = None
    tried_to_sleep: datetime | None = None
    sol_minutes: float | None = None  # minutes to fall asleep
    awakenings: int | None = None
    waso_minutes: float | None = None  # total minutes of the awakenings
    final_awakening: datetime | None = None
    out_of_bed: datetime | None = None
    woke_early_minutes: float | None = None  # how much earlier than planned the person woke
    quality: int | None = None  # 1 very poor .. 5 very good
    rested: int | None = None  # 1 not at all .. 5 very well-rested
    nap_count: int | None = None
    nap_minutes: float | None = None
    note: str | None = None
    id: int | None = None
    person_id: int = 1


@dataclass
class StageSegment:
    start: datetime
    end: datetime
    stage: str  # "awake", "light", "deep", "rem", "asleep" (unstaged), "inbed"


@dataclass
class SleepEpisode:
    """A sleep period recorded by a device or app, kept apart from the diary."""

    source: str  # "apple_health", "fitbit", "oura", "sleep_as_android"
    external_id: str  # stable key from the source, or a content hash
    start: datetime
    end: datetime
    tz: str  # zone or fixed offset used to name the night
    night: date
    device: str | None = None  # e.g. "Apple Watch", a source app's name
    tst_minutes: float | None = None
    sol_minutes: float | None = None
    waso_minutes: float | None = None
    awakenings: int | None = None
    #: the file's own minutes per stage (Oura's ``deep/light/rem_sleep_duration`` and
    #: ``awake_time``), exact where the stage segments are 5-minute epochs; ``None`` when the
    #: file does not state them (then the metrics add up the segments)
    deep_minutes: float | None = None
    light_minutes: float | None = None
    rem_minutes: float | None = None
    awake_minutes: float | None = None
    stages: list[StageSegment] = field(default_factory=list)
    is_nap: bool = False
    id: int | None = None
    person_id: int = 1


@dataclass
class PainRating:
    at: datetime
    tz: str
    night: date
    nrs: int  # 0..10
    context: str = "other"  # evening / morning / other
    peg_pain: int | None = None  # PEG item 1 (0..10)
    peg_enjoyment: int | None = None  # PEG item 2 (0..10)
    peg_activity: int | None = None  # PEG item 3 (0..10)
    note: str | None = None
    id: int | None = None
    person_id: int = 1


@dataclass
class Symptom:
    at: datetime
    tz: str
    night: date
    kind: str  # side_effect / withdrawal
    name: str
    severity: int  # 0 none .. 4 very severe
    note: str | None = None
    id: int | None = None
    person_id: int = 1


@dataclass
class RoutineItem:
    text: str
    position: int = 0
    active: bool = True
    minutes_before_bed: int | None = None
    id: int | None = None
    person_id: int = 1


@dataclass
class RoutineCheck:
    item_id: int
    night: date
    done: bool = True
    person_id: int = 1


@dataclass
class Note:
    at: datetime
    tz: str
    night: date
    text: str
    id: int | None = None
    person_id: int = 1


EXPERIMENT_STATUSES = ("planned", "running", "stopped", "finished")


@dataclass
class Experiment:
    """A self-experiment's plan, fixed before its first night (only the stop fields change).

    ``arm_a``/``arm_b`` are the person's own settings as text: lead minutes for ``timing``,
    their own amount for ``amount``, a product name for ``product``, ``"none"`` for no kratom.
    ``end`` is the planned last night; ``status`` is ``planned`` until ``stopped`` (early, with a
    reason); running/finished are derived from the date and never stored as a plan change.
    ``source`` is where the sleep outcomes come from: ``"diary"`` or one wearable source's name
    (``"fitbit"``, ...), never both. ``mid_usual`` is the usual morning pain a 30 % pain MID was
    taken from (``mid`` holds the points); ``None`` when the MID was given in points.
    """

    name: str
    compare: str
    arm_a: str
    arm_b: str
    period: int
    pairs: int
    washout: int
    outcome: str
    mid: float
    analysis: str
    seed: int
    start: date
    end: date
    tz: str
    created_at: datetime
    status: str = "planned"
    stopped_reason: str | None = None
    stopped_at: datetime | None = None
    source: str = "diary"
    mid_usual: float | None = None
    id: int | None = None
    person_id: int = 1


@dataclass
class ExperimentNight:
    """One scheduled night of an experiment, stored so the schedule cannot drift from the seed."""

    experiment_id: int
    night: date
    arm: str  # "A" | "B"
    washout: bool
    person_id: int = 1


@dataclass
class Journal:
    """Everything one person has recorded, as plain objects (used by export/import and tests)."""

    profile: Profile | None = None
    medicines: list[Medicine] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    batches: list[Batch] = field(default_factory=list)
    intakes: list[Intake] = field(default_factory=list)
    substances: list[Substance] = field(default_factory=list)
    sleep: list[SleepEntry] = field(default_factory=list)
    episodes: list[SleepEpisode] = field(default_factory=list)
    pain: list[PainRating] = field(default_factory=list)
    symptoms: list[Symptom] = field(default_factory=list)
    routine: list[RoutineItem] = field(default_factory=list)
    routine_checks: list[RoutineCheck] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    experiments: list[Experiment] = field(default_factory=list)
    experiment_nights: list[ExperimentNight] = field(default_factory=list)


def _journal_lists() -> dict[str, type]:
    import typing

    hints = typing.get_type_hints(Journal)
    return {f: typing.get_args(hints[f])[0] for f in Journal.__dataclass_fields__ if f != "profile"}


#: The journal's lists by name, in dependency order (parents first), with the class of their items:
#: the JSON backup's keys and the store's ``JOURNAL_TABLES`` follow this order.
JOURNAL_LISTS: dict[str, type] = _journal_lists()
