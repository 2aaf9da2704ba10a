"""The journal backup reader streams: one record at a time, memory bounded by one record."""

from __future__ import annotations

import io
import json
from itertools import islice

import pytest

from nightleaf.errors import FormatError
from nightleaf.io._common import Limits
from nightleaf.io.journal_json import journal_from_dict, journal_to_dict, stream_journal
from nightleaf.simulate import simulate_journal


class Counting(io.RawIOBase):
    """A stream of ``head`` then ``count`` copies of ``item`` (comma-separated), never held
    whole; ``.read_bytes`` counts what the reader asked for."""

    def __init__(self, head: bytes, item: bytes, count: int) -> None:
        self.parts = iter([head] + [item + b","] * (count - 1) + [item + b"]}"])
        self.buf = b""
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def, override]
        while len(self.buf) < len(b):
            nxt = next(self.parts, None)
            if nxt is None:
                break
            self.buf += nxt
        n = min(len(b), len(self.buf))
        b[:n] = self.buf[:n]
        self.buf = self.buf[n:]
        self.read_bytes += n
        return n


NOTE = (b'{"at": "2026-11-01T20:00:00+00:00", "tz": "UTC", "night": "2026-11-01", '
        b'"text": "' + b"x" * 400 + b'"}')
HEAD = b'{"format": "nightleaf-journal", "version": 1, "profile": null, "notes": ['


def test_records_come_out_before_the_file_is_read() -> None:
    """With 200,000 notes (~90 MB) ahead, the first ten come out after reading a few hundred
    KB: the reader never holds the document."""
    src = Counting(HEAD, NOTE, 200_000)
    got = list(islice(stream_journal(io.BufferedReader(src), "big.json"), 11))
    assert got[0] == ("profile", None)
    assert [k for k, _ in got[1:]] == ["notes"] * 10
    assert got[1][1].text == "x" * 400
    assert src.read_bytes < 1 << 20


def test_one_oversized_record_is_refused_without_reading_it_whole() -> None:
    big = (b'{"at": "2026-11-01T20:00:00+00:00", "tz": "UTC", "night": "2026-11-01", '
           b'"text": "' + b"y" * (8 << 20) + b'"}')
    src = Counting(HEAD, big, 1)
    with pytest.raises(FormatError, match="one JSON value runs on for more than 1 MiB"):
        list(stream_journal(io.BufferedReader(src), "big.json", Limits(max_value=1 << 20)))
    assert src.read_bytes < 4 << 20


def test_stream_and_whole_parse_agree_on_a_generated_journal() -> None:
    j = simulate_journal(30, seed=5)
    data = journal_to_dict(j)
    raw = json.dumps(data).encode()
    streamed = list(stream_journal(io.BytesIO(raw), "j.json"))
    assert streamed[0] == ("profile", j.profile)
    for key in data:
        if key in ("format", "version", "profile"):
            continue
        assert [o for k, o in streamed if k == key] == getattr(j, key), key
    assert journal_from_dict(data) == j
