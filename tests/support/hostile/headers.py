"""Hostile values of the headers the desk reads from an answer (`Date`, `Retry-After`, `Content-Type`) and the
spoiling that puts them on one (`Headers`), as the masker's properties search text: HTTP dates of any year (0, 1970,
2100, 9999, past what a C long holds) and any zone, delta-seconds that overflow, go negative or are not numbers,
content types that lie, and bytes that are no ASCII, each header dropped, empty or repeated.

The bytes are those a server can put on the wire: h11 lets through visible ASCII, space, tab and the bytes
0x80-0xff, and folds a repeated header into one value joined by ", " when it is read (`headers.get`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

WIRE = "\t" + "".join(map(chr, range(0x20, 0x7F))) + "".join(map(chr, range(0x80, 0x100)))
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ZONES = ("GMT", "UTC", "+0000", "-0000", "+2359", "-2359", "+2400", "+9999", "-9999", "EST", "Z", "", "+99999999999999")
YEARS = (0, 1, 69, 70, 99, 100, 1900, 1969, 1970, 2038, 2100, 9998, 9999, 10000, 2**63)


def wire_text(max_size: int = 40) -> st.SearchStrategy[bytes]:
    """Any value a server could send: visible ASCII, spaces, tabs and bytes that are no ASCII (latin-1, UTF-8)."""
    return st.one_of(
        st.text(WIRE, max_size=max_size).map(lambda text: text.encode("latin-1")),
        st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=max_size // 4).map(str.encode),
    )


def _http_date(weekday: str, day: int, month: str, year: int, clock: str, zone: str) -> bytes:
    return f"{weekday}, {day:02d} {month} {year} {clock} {zone}".strip().encode()


def _near_now(seconds: int, zone: str) -> bytes:
    """A well-formed date `seconds` from the machine's clock when drawn (centuries either way)."""
    when = datetime.now(UTC) + timedelta(seconds=seconds)
    return f"{when:%a, %d %b %Y %H:%M:%S} {zone}".encode()


HTTP_DATES = st.one_of(
    st.builds(
        _http_date,
        st.sampled_from(("Mon", "Fri", "Xyz", "")),
        st.integers(0, 99),
        st.sampled_from((*MONTHS, "Foo", "")),
        st.one_of(st.sampled_from(YEARS), st.integers(-(10**6), 10**30)),
        st.sampled_from(("00:00:00", "23:59:59", "24:00:00", "99:99:99", "1:2", "-1:00:00", "")),
        st.sampled_from(ZONES),
    ),
    st.builds(_near_now, st.integers(-(10**10), 10**10), st.sampled_from(("GMT", "+0000", "-0800", "+1400"))),
    st.sampled_from(
        (
            b"Fri, 31 Dec 9999 23:59:59 GMT",  # The desk crashed as it drew
            b"Mon, 01 Jan 2100 00:00:00 GMT",
            b"Thu, 01 Jan 1970 00:00:00 GMT",
            b"Sunday, 06-Nov-94 08:49:37 GMT",  # RFC 850
            b"Sun Nov  6 08:49:37 1994",  # asctime
        )
    ),
)
DELTA_SECONDS = st.one_of(
    st.integers(-(10**40), 10**40).map(lambda n: str(n).encode()),
    st.floats().map(lambda f: repr(f).encode()),
    st.sampled_from(
        (b"", b"0", b"1", b"300", b"301", b"1e400", b"inf", b"-inf", b"nan", b"0x10", b"1_000", b" 30 ", b"3O")
    ),
    st.sampled_from((b"9" * 5_000, b"30" + b" " * 5_000 + b"s", b"x" * 5_000)),  # longer than a line
    st.sampled_from(("٣٠", "３０", "30\u00a0")).map(str.encode),  # digits a float() reads, not HTTP's
)
CONTENT_TYPES = st.one_of(
    st.sampled_from(
        (
            b"",
            b"application/json",
            b"application/json; charset=utf-8",
            b"application/json; charset=utf-16",
            b"APPLICATION/JSON",
            b"application/problem+json",
            b"text/html; charset=utf-8",
            b"text/plain",
            b"text/event-stream",
            b"multipart/form-data; boundary=x",
            b"application/json;" + b"x" * 5_000,
            b"text/" + b"x" * 5_000,
        )
    ),
    wire_text(),
)


def values(of: st.SearchStrategy[bytes]) -> st.SearchStrategy[tuple[bytes, ...]]:
    """A header's values on one answer: none (dropped), one, or repeated."""
    return st.lists(st.one_of(of, wire_text()), max_size=3).map(tuple)


@dataclass(frozen=True)
class Headers:
    """The answer's headers `date`, `retry_after`, `content_type` replaced by these values where given (an empty
    tuple drops it, two or more repeat it); `status`: the answer's status instead (a 429, for a Retry-After to be
    read)."""

    date: tuple[bytes, ...] | None = None
    retry_after: tuple[bytes, ...] | None = None
    content_type: tuple[bytes, ...] | None = None
    status: int | None = None

    def replaced(self) -> dict[bytes, tuple[bytes, ...]]:
        named = {b"date": self.date, b"retry-after": self.retry_after, b"content-type": self.content_type}
        return {name: given for name, given in named.items() if given is not None}

    def __repr__(self) -> str:  # a failing example says what was sent, not 5,000 x's
        shown = ", ".join(f"{name.decode()}={[v[:60] for v in given]!r}" for name, given in self.replaced().items())
        return f"Headers({shown}, status={self.status})"


def headers() -> st.SearchStrategy[Headers | None]:
    """What to do to one answer's headers: most often nothing."""
    spoiled = st.builds(
        Headers,
        date=st.none() | values(HTTP_DATES),
        retry_after=st.none() | values(DELTA_SECONDS | HTTP_DATES),
        content_type=st.none() | values(CONTENT_TYPES),
        status=st.sampled_from((None, 429, 429, 503)),
    )
    return st.integers(0, 2).flatmap(lambda n: spoiled if n else st.none())
