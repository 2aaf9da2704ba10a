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

import io
import mmap
import os
import re
import stat
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, TypeAlias

from nightleaf.errors import FormatError
from nightleaf.io._common import (
    MiB,
    ProgressFn,
    Reporter,
    bad_file,
    metrics_from_segments,
    night_in,
    open_member,
)
from nightleaf.model import SleepEpisode, StageSegment, zone

SOURCE = "apple_health"
SLEEP_TYPE = "HKCategoryTypeIdentifierSleepAnalysis"
_MARK = SLEEP_TYPE.encode()
CHUNK = 8 << 20
#: bytes handed to lxml at a time by the full parse (its event queue holds one feed's elements)
FEED = 1 << 20
#: how much of a regular file is mapped and scanned at a time (a multiple of the page size),
#: and how far past it a tag may run
WINDOW = 16 << 20
OVERLAP = 1 << 20
#: how far into the file the ``<HealthData`` root must start (the DTD is ~10 KB)
PROLOG_LIMIT = 4 << 20
#: the longest start tag either reader waits for (a real Record tag is under 2 KB): a ``<``
#: with no ``>`` for this long is refused instead of being kept in memory
MAX_TAG = 4 << 20

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
_STAGES_B = {k.encode(): v for k, v in STAGES.items()}
STAGED = frozenset({"light", "deep", "rem"})

_BAD_CTRL = bytes(range(0x00, 0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20))
_CTRL_TO_SPACE = bytes.maketrans(_BAD_CTRL, b" " * len(_BAD_CTRL))
_SPACED_NAME = re.compile(
    rb'(?<=[ \t\r\n])([^\s="\'<>/&]+(?:[ ]+[^\s="\'<>/&]+)+)(?=\s*=\s*["\'])')
_NAME = re.compile(r"^[A-Za-z_:\u00C0-\uFFFF][-\w.:\u00B7\u00C0-\uFFFF]*$")
#: the shape of nearly every sleep record the Health app writes; anything else goes through
#: the general attribute-by-attribute reading, which gives the same answer more slowly
_COMMON = re.compile(
    rb'<Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="([^"&<\x00-\x1f]+)"'
    rb'(?: sourceVersion="[^"&<\x00-\x1f]*")?'
    rb'(?: device="(?:[^"&<\x00-\x1f]++|&(?:lt|gt|amp|quot|apos);)*+")?'
    rb'(?: unit="[^"&<\x00-\x1f]*")?'
    rb'(?: creationDate="[^"&<\x00-\x1f]*")?'
    rb' startDate="([^"&<\x00-\x1f]*)" endDate="([^"&<\x00-\x1f]*)"'
    rb'(?: value="([^"&<\x00-\x1f]*)")?[ \t\r\n]*/?>')
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


class SleepRecord(NamedTuple):
    """One sleep-analysis record, as both readers see it."""

    source: str
    start: datetime  # UTC
    end: datetime  # UTC
    stage: str
    offset_minutes: int  # the record's own UTC offset


Buffer: TypeAlias = bytearray | mmap.mmap


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
    import zipfile  # only exports given as a zip need it

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
        name = f"{path}!{member.filename}"
        with open_member(zf, member, name) as fh:
            yield fh, member.file_size, name


def _export_member(zf: Any) -> Any:
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


@lru_cache(maxsize=1 << 16)
def parse_date(text: str) -> tuple[datetime, int]:
    """``2020-07-08 01:05:06 +0100`` or ``20150601161900+0100`` → (UTC instant, offset min).

    >>> parse_date("2020-07-08 01:05:06 +0100")[0].isoformat()
    '2020-07-08T00:05:06+00:00'
    """
    t = text.strip()
    if (len(t) == 25 and t.isascii() and t[4] == t[7] == "-" and t[10] == t[19] == " "
            and t[13] == t[16] == ":" and t[20] in "+-"
            and (t[:4] + t[5:7] + t[8:10] + t[11:13] + t[14:16] + t[17:19] + t[21:]).isdigit()):
        local = datetime.fromisoformat(t[:19] + t[20:])
        off = local.utcoffset()
        return local.astimezone(UTC), int(off.total_seconds()) // 60 if off else 0
    return _parse_date_general(t)


def _parse_date_general(t: str) -> tuple[datetime, int]:
    m = _DATE.match(t)
    if not m or not t.isascii():
        raise ValueError(t)
    return _instant(*m.groups())


def _instant(y: str, mo: str, d: str, h: str, mi: str, s: str, sign: str | None,
             oh: str | None, om: str | None) -> tuple[datetime, int]:
    off = 0 if sign is None else (int(oh or 0) * 60 + int(om or 0)) * (1 if sign == "+" else -1)
    if abs(off) >= 24 * 60 or int(om or 0) >= 60:
        raise ValueError(f"{y}-{mo}-{d} {h}:{mi}:{s} {sign}{oh}{om}")
    wall = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=UTC)
    return wall - timedelta(minutes=off), off


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
    except (ValueError, OverflowError) as exc:
        raise FormatError(f"{name} ({where}): cannot read the date {exc.args[0]!r} "
                          "(expected like 2024-03-20 22:04:00 +0100)") from None
    if end < start:
        start, end = end, start
    return SleepRecord(source, start, end, stage, off)


def _is_xml_char(c: int) -> bool:
    return (c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0xD7FF or 0xE000 <= c <= 0xFFFD
            or 0x10000 <= c <= 0x10FFFF)


def _unescape(raw: bytes) -> str:
    """An attribute value as an XML parser reports it: literal tabs and line ends become
    spaces (attribute-value normalisation), then references are replaced."""
    text = raw.decode("utf-8")  # UnicodeDecodeError → fallback
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in text or "\n" in text:
        text = text.replace("\t", " ").replace("\n", " ")
    if "&" not in text:
        return text

    def ref(m: re.Match[str]) -> str:
        g = m.group(1)
        if g[0] != "#":
            return _NAMED[g]
        code = int(g[2:], 16) if g[1] == "x" else int(g[1:])
        if not _is_xml_char(code):
            raise _Fallback("a character reference to a character XML forbids")
        return chr(code)

    out = _REF.sub(ref, text)
    if "&" in _REF.sub("", text):
        raise _Fallback("an unknown entity reference")
    return out


def _general_tag(buf: Buffer, lt: int, i: int, end: int, name: str,
                 where: int) -> tuple[SleepRecord | None, int]:
    """Any ``<Record ...>`` start tag, attribute by attribute, as an XML parser would."""
    m = _TAG.match(buf, lt, end)
    if m is None or m.end() <= i:
        raise _Fallback(f"sleep type name outside a <Record> start tag at byte {where}")
    attrs: dict[str, str] = {}
    for a in _ATTR.finditer(m.group(1)):
        key = a.group(1).strip().replace(b" ", b"_").decode("utf-8")
        if key in attrs or not _NAME.match(key):
            raise _Fallback("a repeated or unusual attribute name")
        attrs[key] = _unescape(a.group(2).translate(_CTRL_TO_SPACE))
    if attrs.get("type") != SLEEP_TYPE:
        raise _Fallback("sleep type name in another attribute")
    return _record(attrs, name, f"byte {where}"), m.end()


def _check_markup(buf: Buffer, pos: int, limit: int, filled: int) -> None:
    """Comments, CDATA and declarations in the body are found through their ``!`` (a
    memchr-speed scan); a comment is harmless unless it hides a sleep record."""
    j = buf.find(b"!", pos, limit)
    while j != -1:
        if j > 0 and buf[j - 1] == 0x3C:  # "<!"
            if buf[j + 1:j + 3] == b"--":
                k = buf.find(b"-->", j + 3, filled)
                if k == -1:
                    raise _Fallback("a comment runs past the read buffer")
                if buf.find(_MARK, j, k) != -1:
                    raise _Fallback("sleep type name inside a comment")
                j = buf.find(b"!", k + 3, limit) if k + 3 < limit else -1
                continue
            raise _Fallback("CDATA or a declaration inside the document")
        j = buf.find(b"!", j + 1, limit)


class _Scanner:
    """Finds the sleep records whose type name lies in ``[pos, limit)`` of a buffer (a
    bytearray window or a whole-file mmap); tags may run on to ``end``."""

    def __init__(self, name: str, rep: Reporter) -> None:
        self.name = name
        self.rep = rep
        self.sources: dict[bytes, str] = {}
        self.dates: dict[bytes, tuple[datetime, int]] = {}
        self.nights: set[date] = set()
        self.resume = 0  # first file offset not yet consumed by a processed tag

    def window(self, buf: Buffer, pos: int, limit: int, end: int, base: int,
               *, cut: bool = False) -> Iterator[SleepRecord]:
        """Records whose type name starts in ``[pos, limit)``. With ``cut`` (a mapped file's
        window, which may cut a name in two) a name may end past ``limit``."""
        common = _COMMON.match
        mark = _MARK
        sources, dates, nights = self.sources, self.dates, self.nights
        if cut:
            limit = min(end, limit + len(mark) - 1)
        i = buf.find(mark, max(pos, self.resume - base), limit)
        while i != -1:
            lt = i - 14  # where `<Record type="` starts in the common shape
            m = common(buf, lt, end) if lt >= 0 else None
            if m is None:
                lt = buf.rfind(b"<", 0, i)
            rec: SleepRecord | None = None
            if m is not None:
                src_b, start_b, end_b, value_b = m.groups()
                after = m.end()
                stage = MISSING_VALUE_STAGE if value_b is None else _STAGES_B.get(value_b)
                if stage is not None:
                    try:
                        sd = dates.get(start_b)
                        if sd is None:
                            sd = dates[start_b] = parse_date(start_b.decode("ascii"))
                        ed = dates.get(end_b)
                        if ed is None:
                            ed = dates[end_b] = parse_date(end_b.decode("ascii"))
                    except (ValueError, OverflowError, UnicodeDecodeError):
                        rec, after = _general_tag(buf, lt, i, end, self.name, base + lt)
                    else:
                        src = sources.get(src_b)
                        if src is None:
                            src = sources[src_b] = src_b.decode("utf-8")
                        start, off = sd
                        stop = ed[0]
                        if stop < start:
                            start, stop = stop, start
                        rec = SleepRecord(src, start, stop, stage, off)
            elif lt == -1:
                raise _Fallback(f"sleep type name outside a tag at byte {base + i}")
            else:
                rec, after = _general_tag(buf, lt, i, end, self.name, base + lt)
            if rec is not None:
                key = rec.start.date()
                if key not in nights:  # progress only: roughly, the nights seen so far
                    nights.add(key)
                    self.rep.night()
                yield rec
            self.resume = base + after
            i = buf.find(mark, after, limit)


def _fast_records(stream: BinaryIO, name: str, rep: Reporter) -> Iterator[SleepRecord]:
    try:
        fd = stream.fileno()
        info = os.fstat(fd)
        regular = stat.S_ISREG(info.st_mode) and info.st_size > 0
    except (AttributeError, OSError, io.UnsupportedOperation):
        regular = False
    if regular:
        yield from _scan_mapped(fd, info.st_size, name, rep)
    else:
        yield from _scan_stream(stream, name, rep)


def _scan_mapped(fd: int, size: int, name: str, rep: Reporter) -> Iterator[SleepRecord]:
    """A regular file: map it one window at a time (plus an overlap on each side for a tag
    that crosses the window's edges), pre-faulted, and unmap each window after it: fast, and
    the resident set stays at one window whatever the file's size."""
    flags = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
    gran = mmap.ALLOCATIONGRANULARITY
    step = max(gran, WINDOW // gran * gran)
    root = _prolog_end(os.pread(fd, PROLOG_LIMIT, 0), name)
    scan = _Scanner(name, rep)
    back_max = -(-OVERLAP // gran) * gran  # a tag may also start before its window
    off = 0
    while off < size:
        back = min(off, back_max)
        start = off - back
        length = min(back + step + OVERLAP, size - start)
        limit = min(back + step, length)
        pos = max(back, root - start)
        if pos < limit:
            with mmap.mmap(fd, length, flags=flags, prot=mmap.PROT_READ, offset=start) as mm:
                _check_markup(mm, pos, limit, length)
                yield from scan.window(mm, pos, limit, length, start, cut=True)
        rep.bytes(min(size, off + step))
        off += step
    if not os.pread(fd, 256, max(0, size - 256)).rstrip().endswith(b"</HealthData>"):
        raise _Fallback("the document does not end with </HealthData>")


def _scan_stream(stream: BinaryIO, name: str, rep: Reporter) -> Iterator[SleepRecord]:
    """Any stream (a zip member): a reused buffer, refilled after the last complete tag."""
    head, eof = _read_head(stream)
    root = _prolog_end(head[:PROLOG_LIMIT], name)
    buf = bytearray(max(CHUNK, 2 * len(head)))
    buf[: len(head)] = head
    filled = got = len(head)
    rep.bytes(got)
    del head
    base = 0  # file offset of buf[0]
    pos = root
    scan = _Scanner(name, rep)
    tail = b""
    tail_end = 0  # file offset just past ``tail``
    while True:
        if not eof:
            if filled == len(buf):  # one tag longer than the buffer: grow it (boundedly)
                if filled - pos > MAX_TAG or len(buf) >= 4 * max(CHUNK, MAX_TAG):
                    raise _tag_too_long(name, base + pos)
                buf.extend(bytes(len(buf)))
            with memoryview(buf) as mv, mv[filled:] as free:
                n = stream.readinto(free)  # type: ignore[attr-defined]
            filled += n
            got += n
            rep.bytes(got)
            eof = n == 0
            if not eof and filled < len(buf):
                continue  # short read: fill the buffer before scanning
        if base + filled > tail_end:  # the last bytes read, however the buffer was cut
            tail = (tail + bytes(buf[max(0, tail_end - base, filled - 256):filled]))[-256:]
            tail_end = base + filled
        limit = filled if eof else _complete_until(buf, pos, filled)
        if not eof and filled - limit > MAX_TAG:
            raise _tag_too_long(name, base + limit)
        _check_markup(buf, pos, limit, filled)
        yield from scan.window(buf, pos, limit, filled, base)
        if eof:
            break
        keep = filled - limit
        buf[:keep] = buf[limit:filled]
        base += limit
        filled = keep
        pos = 0
    if not tail.rstrip().endswith(b"</HealthData>"):
        raise _Fallback("the document does not end with </HealthData>")


#: a tag from its ``<`` to its ``>``, quoted attribute values (which may hold ``>``) included
_WHOLE_TAG = re.compile(rb'<(?:[^>"\']++|"[^"]*+"|\'[^\']*+\')*+>')


def _complete_until(buf: Buffer | bytes, pos: int, filled: int) -> int:
    """Where the unfinished tail of a read buffer begins: the last ``<`` when no ``>`` follows
    it (a tag cut by the read), else the end (everything read is complete, and nothing needs
    keeping -- a gigabyte of text after the last tag is never held)."""
    lt = buf.rfind(b"<", pos, filled)
    if lt == -1 or _WHOLE_TAG.match(buf, lt, filled):
        return filled
    return lt


def _tag_too_long(name: str, offset: int) -> FormatError:
    return FormatError(
        f"{name} (byte {offset}): a tag runs on for more than {MAX_TAG // MiB} MiB without "
        "ending; the file is damaged or not an Apple Health export — export again from the "
        "Health app")


def _full_records(stream: BinaryIO, name: str, rep: Reporter) -> Iterator[SleepRecord]:
    from lxml import etree  # only the full parse needs it

    parser = etree.XMLPullParser(
        events=("end",), resolve_entities=False, no_network=True, load_dtd=False,
        huge_tree=True, remove_comments=True, remove_pis=True, remove_blank_text=True,
        recover=True,
    )
    marks: list[int] = []  # lines (as lxml counts them) that hold the sleep type name
    seen: list[int] = []  # lines of the sleep records lxml gave back
    head, _ = _read_head(stream)
    got = len(head)
    rep.bytes(got)
    root = _prolog_end(head[:PROLOG_LIMIT], name)
    decl_end = 0
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml"):
        decl_end = head.find(b"?>", 0, root) + 2
    chunk = head[:decl_end] + _blank(head[decl_end:root]) + head[root:]
    carry = b""
    tail = b""
    fed_lines = 1  # line of the first byte not yet fed, for messages lxml gives no line for
    fed = 0
    squeezed: list[tuple[int, int]] = []  # (line as lxml counts it, newlines taken out there)
    try:
        while True:
            data = carry + chunk
            more = stream.read(FEED) if chunk else b""
            if more:
                # cut after the last ">" (repairs work on whole tags); text after it that holds
                # no "<" needs no keeping, and a "<" with no ">" for MAX_TAG bytes is refused
                cut = _complete_until(data, data.rfind(b">") + 1, len(data))
                if len(data) - cut > MAX_TAG:
                    raise _tag_too_long(name, fed + cut)
                carry, data = data[cut:], data[:cut]
            else:
                carry = b""
            fed += len(data)
            data = _squeeze(data, fed_lines, squeezed)
            _mark_lines(data, fed_lines, marks)
            parser.feed(_repair(data))
            yield from _drain(parser, name, seen)
            fed_lines += data.count(b"\n")
            tail = (tail + data)[-256:] if data else tail
            if not more:
                break
            got += len(more)
            rep.bytes(got)
            chunk = more
        parser.close()
        yield from _drain(parser, name, seen)
        _judge(parser.error_log, marks, seen, tail, fed_lines, squeezed, name)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or _last_error_line(exc) or fed_lines
        line += sum(n for at, n in squeezed if at < line)
        msg = exc.msg.split(", line ")[0] if exc.msg else "not well-formed XML"
        raise FormatError(
            f"{name} (line {line}): {msg}; the file looks damaged or cut short — export "
            "again from the Health app") from None


#: a long run of text between tags (outside any tag): none in a real export
_LONG_TEXT = re.compile(rb"(?:^|(?<=>))[^<]{65536,}")


def _squeeze(data: bytes, line: int, squeezed: list[tuple[int, int]]) -> bytes:
    """Take long runs of text between tags out of what lxml is fed: its push parser keeps char
    data until the next ``<`` arrives, so a gigabyte of whitespace would be held whole. The
    newlines taken out are noted (at the line lxml will count) to correct its line numbers.
    ``data`` starts outside a tag (it is cut after a ``>``)."""
    if len(data) < 65536:
        return data
    out: list[bytes] = []
    pos = 0
    for m in _LONG_TEXT.finditer(data):
        out.append(data[pos:m.start()])
        line_here = line + sum(p.count(b"\n") for p in out)
        squeezed.append((line_here, m.group().count(b"\n")))
        out.append(b" ")
        pos = m.end()
    if not out:
        return data
    out.append(data[pos:])
    return b"".join(out)


def _last_error_line(exc: Any) -> int | None:
    """The line of the last error lxml logged (some errors, e.g. an entity a DTD that was not
    loaded should declare, carry no line of their own)."""
    log = getattr(exc, "error_log", None)
    lines = [e.line for e in (log or []) if getattr(e, "line", 0)]
    return lines[-1] if lines else None


_TYPED = re.compile(rb"""\btype\s*=\s*(["'])""" + _MARK + rb"\1")
_COMMENT = re.compile(rb"<!--.*?-->", re.S)


def _mark_lines(data: bytes, line: int, marks: list[int]) -> None:
    """Note the lines where a sleep record's ``type`` attribute stands (not in comments)."""
    if data.find(_MARK) == -1:
        return
    comments = [m.span() for m in _COMMENT.finditer(data)] if b"<!--" in data else []
    for m in _TYPED.finditer(data):
        if not any(a <= m.start() < b for a, b in comments):
            marks.append(line + data.count(b"\n", 0, m.start()))


def _judge(log: Any, marks: list[int], seen: list[int], tail: bytes, last_line: int,
           squeezed: list[tuple[int, int]], name: str) -> None:
    """After a recovering parse: damage is ignored only where it touched no sleep record.
    Refuse a document that does not end with ``</HealthData>`` (cut short), an error on a
    line holding a sleep record, and a sleep record lxml did not give back whole."""

    def real(line: int) -> int:
        return line + sum(n for at, n in squeezed if at < line)

    errors = [e for e in log if e.level_name in ("ERROR", "FATAL")]
    if not tail.rstrip().endswith(b"</HealthData>"):
        line = errors[-1].line if errors and errors[-1].line else last_line
        raise FormatError(f"{name} (line {real(line)}): the document does not end with "
                          "</HealthData>; the file looks damaged or cut short — export again "
                          "from the Health app")
    marked = set(marks)
    for e in errors:
        if e.line in marked and e.line < 65535:  # lxml caps line numbers at 65535
            raise FormatError(f"{name} (line {real(e.line)}): a damaged sleep record "
                              f"({e.message.strip()}); export again from the Health app")
    # lxml numbers lines only up to 65535 in a large document, so records are counted, not
    # matched by line: every sleep record's type attribute must come back as a record
    if len(seen) < len(marks):
        lines = [e.line for e in errors if e.line]
        line = real(lines[0]) if lines else real(marks[0])
        raise FormatError(f"{name} (line {line}): {len(marks) - len(seen)} sleep record(s) "
                          "damaged beyond reading; export again from the Health app")


def _drain(parser: Any, name: str, seen: list[int] | None = None) -> Iterator[SleepRecord]:
    for _, el in parser.read_events():
        tag = el.tag
        if tag == "Record" and el.get("type") == SLEEP_TYPE:
            if seen is not None and el.sourceline:
                seen.append(el.sourceline)
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
                return list(_fast_records(stream, name, rep))
        except (_Fallback, UnicodeDecodeError, ValueError):
            rep.nights = 0
    with _open_export(path) as (stream, size, name):
        rep.total = size
        return list(_count_nights(_full_records(stream, name, rep), rep, tz))


def _count_nights(records: Iterator[SleepRecord], rep: Reporter,
                  tz: str | None) -> Iterator[SleepRecord]:
    """Count nights while scanning, cheaply (by each record's own offset); the exact count in
    the profile's zone is reported when the episodes are built."""
    seen: set[date] = set()
    for rec in records:
        if tz is not None:
            n = (rec.start + timedelta(minutes=rec.offset_minutes - 720)).date()
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
    z = zone(tz)
    groups: dict[tuple[date, str], set[tuple[datetime, datetime, str]]] = {}
    for r in records:
        groups.setdefault((night_in(r.start, z), r.source), set()).add((r.start, r.end, r.stage))
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
