"""Apple Health ``export.zip`` / ``export.xml`` → sleep episodes.

Only ``HKCategoryTypeIdentifierSleepAnalysis`` records matter; everything else (heart rate,
steps, workouts, metadata) is skipped. Two readers give the same records:

* the **fast path** scans the raw bytes for the sleep-analysis type name and parses only the
  start tags of those records. It checks its assumptions as it goes (a UTF-8 ``<HealthData>``
  document with no entity declarations, every hit inside a well-formed ``<Record ...>`` start
  tag, no hit inside a comment or CDATA, the document ends with ``</HealthData>``) and hands
  over to the full parse as soon as one does not hold;
* the **full parse** streams the whole document through lxml (``resolve_entities=False``,
  ``no_network=True``, no DTD loading), clearing each top-level element as it ends so memory
  stays flat.

Real exports are not well-formed XML, so both read the same repaired byte stream; every
repair keeps the length, so lines and byte offsets in messages match the original file:

* the ``<!DOCTYPE HealthData [...]>`` internal subset (iOS 16+ leaves an ``ATTLIST``
  unterminated) is blanked; a subset that declares entities is refused at once (billion
  laughs and external entities never get a chance to expand);
* control characters that XML forbids (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F) become
  spaces;
* attribute names with spaces (iOS 8 wrote ``Health Mate App Version="2.6.2"``) get
  underscores.

Sleep values (old and iOS 16+ names, and the numeric values of 2015 exports) map to stages:

>>> STAGES["HKCategoryValueSleepAnalysisAsleepCore"], STAGES["1"]
('light', 'asleep')
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from nightleaf.errors import FormatError
from nightleaf.io._common import (
    ProgressFn,
    Reporter,
    bad_file,
    metrics_from_segments,
)
from nightleaf.model import SleepEpisode, StageSegment, night_of, zone

SOURCE = "apple_health"
SLEEP_TYPE = "HKCategoryTypeIdentifierSleepAnalysis"
_MARK = SLEEP_TYPE.encode()
CHUNK = 8 << 20
#: how far into the file the ``<HealthData`` root must start (the DTD is ~10 KB)
PROLOG_LIMIT = 4 << 20

_P = "HKCategoryValueSleepAnalysis"
STAGES: dict[str, str] = {
    f"{_P}InBed": "inbed", "0": "inbed",
    f"{_P}Asleep": "asleep", f"{_P}AsleepUnspecified": "asleep", "1": "asleep",
    f"{_P}Awake": "awake", "2": "awake",
    f"{_P}AsleepCore": "light", "3": "light",
    f"{_P}AsleepDeep": "deep", "4": "deep",
    f"{_P}AsleepREM": "rem", "5": "rem",
}
#: 2015 exports leave ``value`` out of in-bed records
MISSING_VALUE_STAGE = "inbed"
STAGED = frozenset({"light", "deep", "rem"})

_BAD_CTRL = bytes(range(0x00, 0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20))
_CTRL_TO_SPACE = bytes.maketrans(_BAD_CTRL, b" " * len(_BAD_CTRL))
_SPACED_NAME = re.compile(
    rb'(?<=[ \t\r\n])([^\s="\'<>/&]+(?:[ ]+[^\s="\'<>/&]+)+)(?=\s*=\s*["\'])')
_NAME = re.compile(r"^[A-Za-z_:\u00C0-\uFFFF][-\w.:\u00B7\u00C0-\uFFFF]*$")
_TAG = re.compile(rb'<Record((?:\s+[^\s="<>/][^="<>]*?\s*=\s*"[^"<]*")*)\s*/?>')
_ATTR = re.compile(rb'\s+([^\s="<>/][^="<>]*?)\s*=\s*"([^"<]*)"')
_REF = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_ENCODING = re.compile(rb'^<\?xml[^>]*?encoding\s*=\s*["\']([^"\']+)["\']')
_DATE = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})\s*(?:([+-])(\d{2}):?(\d{2})|Z)$"
)
TOP_TAGS = frozenset({
    "Record", "Correlation", "Workout", "ActivitySummary", "ClinicalRecord", "Audiogram",
    "VisionPrescription", "ExportDate", "Me",
})


@dataclass(frozen=True, order=True)
class SleepRecord:
    """One sleep-analysis record, as both readers see it."""

    source: str
    start: datetime  # UTC
    end: datetime  # UTC
    stage: str
    offset_minutes: int  # the record's own UTC offset


class _Fallback(Exception):
    """The fast path met something it does not handle; the full parse takes over."""


# ---------------------------------------------------------------- opening and the prolog


@contextmanager
def _open_export(path: Path) -> Iterator[tuple[BinaryIO, int | None, str]]:
    """Yield (binary stream of export.xml, its size, a name for messages)."""
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
            if magic != b"PK\x03\x04":
                fh.seek(0)
                yield fh, path.stat().st_size, str(path)
                return
    except OSError as exc:
        raise FormatError(f"{path}: cannot read the file ({exc.strerror})") from None
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise bad_file(path, "a damaged zip archive",
                       hint="export again from the Health app (profile → Export All Health Data)"
                       ) from None
    with zf:
        member = _export_member(zf)
        if member is None:
            raise bad_file(path, "this zip has no export.xml",
                           hint="use the export.zip the Health app wrote "
                           "(apple_health_export/export.xml)")
        with zf.open(member) as fh:
            yield fh, member.file_size, f"{path}!{member.filename}"  # type: ignore[misc]


def _export_member(zf: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    xmls = [i for i in zf.infolist() if i.filename.lower().endswith(".xml") and not i.is_dir()]
    for info in xmls:
        if info.filename.rsplit("/", 1)[-1] == "export.xml":
            return info
    rest = [i for i in xmls if "cda" not in i.filename.rsplit("/", 1)[-1].lower()
            and "/" not in i.filename.strip("/").split("/", 1)[-1]]
    return rest[0] if len(rest) == 1 else None


def _prolog_end(head: bytes, name: str) -> int:
    """Check the prolog and return the offset of ``<HealthData``. Raise for entity
    declarations, another encoding or a file that is not an Apple Health export."""
    start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    enc = _ENCODING.match(head, start)
    if enc and enc.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8", b"us-ascii"):
        raise FormatError(f"{name}: encoded as {enc.group(1).decode('ascii', 'replace')}; "
                          "Apple Health exports are UTF-8 — export again from the Health app")
    root = head.find(b"<HealthData", start)
    doctype = head.find(b"<!DOCTYPE", start, root if root != -1 else len(head))
    if doctype != -1:
        subset_end = root if root != -1 else len(head)
        ent = head.find(b"<!ENTITY", doctype, subset_end)
        if ent != -1:
            raise FormatError(
                f"{name} (byte {ent}): the document type declares entities; Apple Health "
                "exports never do, so the file is refused without expanding them")
    if root == -1:
        raise FormatError(
            f"{name}: not an Apple Health export (no <HealthData> element at the start); "
            "choose export.xml or export.zip from the Health app's export")
    return root


def _read_head(stream: BinaryIO) -> tuple[bytes, bool]:
    """Read at least one chunk, and on until the root element has started (or the prolog
    limit is reached). Returns (bytes, end of stream reached)."""
    head = stream.read(CHUNK)
    eof = len(head) < CHUNK
    while not eof and b"<HealthData" not in head and len(head) < PROLOG_LIMIT:
        more = stream.read(CHUNK)
        head += more
        eof = len(more) < CHUNK
    return head, eof


def _blank(data: bytes) -> bytes:
    """Spaces for every byte but newlines (keeps line numbers and offsets)."""
    return re.sub(rb"[^\n]", b" ", data)


def _repair(chunk: bytes) -> bytes:
    chunk = chunk.translate(_CTRL_TO_SPACE)
    if b" " in chunk:
        chunk = _SPACED_NAME.sub(lambda m: m.group(1).replace(b" ", b"_"), chunk)
    return chunk


# ---------------------------------------------------------------- records


def parse_date(text: str) -> tuple[datetime, int]:
    """``2020-07-08 01:05:06 +0100`` or ``20150601161900+0100`` → (UTC instant, offset min)."""
    m = _DATE.match(text.strip())
    if not m:
        raise ValueError(text)
    y, mo, d, h, mi, s, sign, oh, om = m.groups()
    off = 0 if sign is None else (int(oh) * 60 + int(om)) * (1 if sign == "+" else -1)
    local = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s),
                     tzinfo=timezone(timedelta(minutes=off)))
    return local.astimezone(UTC), off


def _record(attrs: dict[str, str], name: str, where: str) -> SleepRecord | None:
    value = attrs.get("value")
    stage = MISSING_VALUE_STAGE if value is None else STAGES.get(value)
    if stage is None:
        return None  # a sleep value from a future iOS: skipped, not guessed
    source = attrs.get("sourceName") or attrs.get("source") or "unknown source"
    try:
        start, off = parse_date(attrs["startDate"])
        end, _ = parse_date(attrs["endDate"])
    except KeyError as exc:
        raise FormatError(f"{name} ({where}): a sleep record has no {exc.args[0]}; "
                          "export again from the Health app") from None
    except ValueError as exc:
        raise FormatError(f"{name} ({where}): cannot read the date {exc.args[0]!r} "
                          "(expected like 2024-03-20 22:04:00 +0100)") from None
    if end < start:
        start, end = end, start
    return SleepRecord(source, start, end, stage, off)


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8")  # UnicodeDecodeError → fallback
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in text or "\n" in text:
        text = text.replace("\t", " ").replace("\n", " ")
    if "&" not in text:
        return text

    def ref(m: re.Match[str]) -> str:
        g = m.group(1)
        if g[0] == "#":
            return chr(int(g[2:], 16) if g[1] == "x" else int(g[1:]))
        return _NAMED[g]

    out = _REF.sub(ref, text)
    if "&" in _REF.sub("", text):
        raise _Fallback("an unknown entity reference")
    return out


def _fast_records(stream: BinaryIO, name: str, rep: Reporter) -> Iterator[SleepRecord]:
    buf, eof = _read_head(stream)
    got = len(buf)
    rep.bytes(got)
    root = _prolog_end(buf[:PROLOG_LIMIT], name)
    base = 0  # file offset of buf[0]
    pos = root
    tail = b""
    while True:
        if not eof:
            more = stream.read(CHUNK)
            if more:
                buf += more
                got += len(more)
                rep.bytes(got)
            eof = len(more) < CHUNK
        if b"<![CDATA[" in buf:
            raise _Fallback("CDATA section")
        limit = len(buf) if eof else buf.rfind(b"<")
        if limit < pos:
            limit = pos
        _check_comments(buf, pos, limit, eof)
        i = buf.find(_MARK, pos, limit)
        while i != -1:
            lt = buf.rfind(b"<", 0, i)
            m = _TAG.match(buf, lt) if lt >= pos else None
            if m is None or m.end() <= i:
                raise _Fallback(f"sleep type name outside a <Record> start tag at byte {base + i}")
            attrs: dict[str, str] = {}
            for a in _ATTR.finditer(m.group(1)):
                key = a.group(1).strip().replace(b" ", b"_").decode("utf-8")
                if key in attrs or not _NAME.match(key):
                    raise _Fallback("a repeated or unusual attribute name")
                attrs[key] = _unescape(a.group(2).translate(_CTRL_TO_SPACE))
            if attrs.get("type") != SLEEP_TYPE:
                raise _Fallback("sleep type name in another attribute")
            rec = _record(attrs, name, f"byte {base + lt}")
            if rec is not None:
                yield rec
            i = buf.find(_MARK, m.end(), limit)
        if eof:
            tail = buf[-256:]
            break
        base += limit
        buf = buf[limit:]
        pos = 0
    if not tail.rstrip().endswith(b"</HealthData>"):
        raise _Fallback("the document does not end with </HealthData>")


def _check_comments(buf: bytes, pos: int, limit: int, eof: bool) -> None:
    j = buf.find(b"<!--", pos, limit)
    while j != -1:
        k = buf.find(b"-->", j + 4)
        if k == -1:
            raise _Fallback("a comment runs past the read buffer")
        if buf.find(_MARK, j, k) != -1:
            raise _Fallback("sleep type name inside a comment")
        j = buf.find(b"<!--", k + 3, limit)


def _full_records(stream: BinaryIO, name: str, rep: Reporter) -> Iterator[SleepRecord]:
    parser = etree.XMLPullParser(
        events=("end",), resolve_entities=False, no_network=True, load_dtd=False,
        huge_tree=True, remove_comments=True, remove_pis=True,
    )
    head, _ = _read_head(stream)
    got = len(head)
    rep.bytes(got)
    root = _prolog_end(head[:PROLOG_LIMIT], name)
    decl_end = 0
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml"):
        decl_end = head.find(b"?>", 0, root) + 2
    chunk = head[:decl_end] + _blank(head[decl_end:root]) + head[root:]
    carry = b""
    try:
        while True:
            data = carry + chunk
            more = stream.read(CHUNK) if chunk else b""
            if more:
                cut = data.rfind(b">") + 1
                carry, data = data[cut:], data[:cut]
            else:
                carry = b""
            parser.feed(_repair(data))
            yield from _drain(parser, name)
            if not more:
                break
            got += len(more)
            rep.bytes(got)
            chunk = more
        parser.close()
        yield from _drain(parser, name)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        msg = exc.msg.split(", line ")[0] if exc.msg else "not well-formed XML"
        raise FormatError(
            f"{name} (line {line}): {msg}; the file looks damaged or cut short — export "
            "again from the Health app") from None


def _drain(parser: etree.XMLPullParser, name: str) -> Iterator[SleepRecord]:
    for _, el in parser.read_events():
        tag = el.tag
        if tag == "Record" and el.get("type") == SLEEP_TYPE:
            rec = _record(dict(el.attrib), name, f"line {el.sourceline}")
            if rec is not None:
                yield rec
        if tag in TOP_TAGS:
            el.clear(keep_tail=False)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]


def sleep_records(path: str | Path, *, fast: bool = True,
                  on_progress: ProgressFn | None = None) -> list[SleepRecord]:
    """All sleep-analysis records of an export, in document order. With ``fast`` the byte
    scanner runs first and falls back to the full parse when its assumptions fail."""
    return _records(Path(path), fast, Reporter(on_progress, None))


def _records(path: Path, fast: bool, rep: Reporter, tz: str | None = None) -> list[SleepRecord]:
    if fast:
        try:
            with _open_export(path) as (stream, size, name):
                rep.total = size
                return list(_count_nights(_fast_records(stream, name, rep), rep, tz))
        except (_Fallback, UnicodeDecodeError, ValueError):
            rep.nights = 0
    with _open_export(path) as (stream, size, name):
        rep.total = size
        return list(_count_nights(_full_records(stream, name, rep), rep, tz))


def _count_nights(records: Iterator[SleepRecord], rep: Reporter,
                  tz: str | None) -> Iterator[SleepRecord]:
    seen: set[date] = set()
    for rec in records:
        if tz is not None:
            n = night_of(rec.start, tz)
            if n not in seen:
                seen.add(n)
                rep.night()
        yield rec


# ---------------------------------------------------------------- episodes


def build_episodes(records: Sequence[SleepRecord], *, tz: str, prefer: Sequence[str] = (),
                   all_sources: bool = False) -> list[SleepEpisode]:
    """One episode per source per night; then, unless ``all_sources``, one source per night.

    The preferred source of a night is the first of ``prefer`` that has data that night;
    otherwise the source with stage data (AsleepCore/Deep/REM), then the one with the most
    sleep, then the name. Overlapping and duplicated records are merged, never added twice.
    """
    zone(tz)
    groups: dict[tuple[date, str], set[tuple[datetime, datetime, str]]] = {}
    for r in records:
        groups.setdefault((night_of(r.start, tz), r.source), set()).add((r.start, r.end, r.stage))
    per_night: dict[date, list[SleepEpisode]] = {}
    for (night, src), segs in sorted(groups.items()):
        stages = [StageSegment(s, e, st) for s, e, st in sorted(segs)]
        met = metrics_from_segments(stages)
        ext = f"night/{night.isoformat()}" + (f"/{src}" if all_sources else "")
        per_night.setdefault(night, []).append(SleepEpisode(
            source=SOURCE, external_id=ext, start=min(s.start for s in stages),
            end=max(s.end for s in stages), tz=tz, night=night, device=src,
            tst_minutes=met.tst_minutes, sol_minutes=met.sol_minutes,
            waso_minutes=met.waso_minutes, awakenings=met.awakenings, stages=stages))
    out: list[SleepEpisode] = []
    rank = {name: i for i, name in enumerate(prefer)}
    for night in sorted(per_night):
        eps = per_night[night]
        if all_sources:
            out.extend(eps)
            continue
        out.append(min(eps, key=lambda e: (
            rank.get(e.device or "", len(rank)),
            not any(s.stage in STAGED for s in e.stages),
            -(e.tst_minutes or 0.0),
            e.device or "",
        )))
    return out


def read_apple_health(path: str | Path, *, tz: str, prefer: Sequence[str] = (),
                      all_sources: bool = False, on_progress: ProgressFn | None = None,
                      fast: bool = True) -> Iterator[SleepEpisode]:
    """Sleep episodes from an Apple Health ``export.zip`` or ``export.xml``, one per night
    (see :func:`build_episodes`), named in zone ``tz``. Raises :class:`FormatError` for a file
    that is not a readable export."""
    zone(tz)
    p = Path(path)
    rep = Reporter(on_progress, None)
    records = _records(p, fast, rep, tz)
    episodes = build_episodes(records, tz=tz, prefer=prefer, all_sources=all_sources)
    rep.nights = len({e.night for e in episodes})
    rep.done()
    yield from episodes


def sources_in(records: Sequence[SleepRecord]) -> Counter[str]:
    """How many sleep records each source contributed (for a "which source?" prompt)."""
    return Counter(r.source for r in records)
