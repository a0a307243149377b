"""Every feed of the example and the fixture sites expanded over 2027 by every independent reader
of readers.py (libical, vobject, PyPI ical with and without its own zone data, node-ical,
icalendar + recurring-ical-events), compared with one shared set of expectations.

The expectation of an event comes from its record as the feed states it: the wall-clock time
and weekday of DTSTART in the meeting's zone, the RRULE's dates (expanded on the wall clock by
dateutil, not in any zone) less the EXDATEs. Each expected local time is made an instant with
the IANA data of Python's zoneinfo, which shares no code with Lantern or chrono-tz, by RFC 5545
3.3.5: a local time that a spring-forward change skips is read with the offset before the gap
(01:30 becomes 02:30 summer time, an hour "late" on the wall clock), a local time that a
fall-back change repeats is its first occurrence (summer time). Every occurrence a reader
gives must be one of these instants, and every one of these must be given.

Where a reader does otherwise, the difference must be listed in KNOWN, with the upstream report
or a precise description and the exact occurrences: a listed difference that stops happening
fails the test as much as an unlisted one that appears, so the table stays true.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

import readers
from conftest import LANGUAGES

UTC = timezone.utc
YEAR = 2027
# The readers expand a little more than the year; occurrences are then kept by local date.
WINDOW = (datetime(YEAR - 1, 12, 30, tzinfo=UTC), datetime(YEAR + 1, 1, 3, tzinfo=UTC))
SITES = ("example", "small", "zones", "world", *(f"example-{lang}" for lang in LANGUAGES), "example-en-es")


# --- Expectations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    uid: str
    tzid: str
    # Wall-clock start of each occurrence in 2027.
    local_starts: tuple
    # DTEND - DTSTART on the wall clock, and as exact time.
    wall_length: timedelta
    exact_length: timedelta


def instant(local: datetime, tzid: str) -> datetime:
    """RFC 5545 3.3.5: fold=0 is the offset before a gap and the first of an overlap."""
    return local.replace(tzinfo=ZoneInfo(tzid), fold=0).astimezone(UTC)


def feed_events(data: bytes):
    cal = Calendar.from_ical(data)
    out = []
    for ev in cal.walk("VEVENT"):
        start = ev["DTSTART"]
        tzid = str(start.params["TZID"])
        wall = start.dt.replace(tzinfo=None)
        wall_end = ev["DTEND"].dt.replace(tzinfo=None)
        exdates = set()
        ex = ev.get("EXDATE")
        for prop in ex if isinstance(ex, list) else ([ex] if ex is not None else []):
            exdates |= {d.dt.replace(tzinfo=None) for d in prop.dts}
        rule = ev["RRULE"].to_ical().decode()
        starts = rrulestr(rule, dtstart=wall).between(
            datetime(YEAR, 1, 1), datetime(YEAR + 1, 1, 1), inc=True
        )
        starts = [s for s in starts if s not in exdates]
        # The record's time and weekday, on every wall-clock date (dateutil keeps them).
        assert all((s.time(), s.weekday()) == (wall.time(), wall.weekday()) for s in starts)
        exact = instant(wall_end, tzid) - instant(wall, tzid)
        out.append(Event(str(ev["UID"]), tzid, tuple(starts), wall_end - wall, exact))
    return out


def expected(ev: Event):
    """{start instant: the end instants allowed}. An occurrence's end may be its start plus
    the exact length of the first one (RFC 5545 3.8.5.3: "the same exact duration") or the
    record's end on the wall clock (what most readers do; it differs only when a change falls
    between start and end)."""
    out = {}
    for s in ev.local_starts:
        start = instant(s, ev.tzid)
        out[start] = {start + ev.exact_length, instant(s + ev.wall_length, ev.tzid)}
    return out


# --- Known differences ------------------------------------------------------------------------


@dataclass(frozen=True)
class Known:
    """A reader's documented difference from the expectation.

    `occurrences` holds (site, uid, expected start, what the reader gives), both as wall-clock
    time and offset in the meeting's zone ("2027-10-31 01:30+0100"); "missing" when the reader
    has no occurrence near it, "end ..." when only the end differs (the reader's end)."""

    reader: str
    what: str
    link: str
    occurrences: frozenset = field(default_factory=frozenset)


def occ(site, uid, want, got):
    return (site, uid, want, got)


def world(*rows):
    """Occurrences of the world fixture site: (slug, expected local start, reader gives)."""
    return frozenset(occ("world", f"{slug}@world.example.net", w, g) for slug, w, g in rows)


RFC_3_3_5 = "https://www.rfc-editor.org/rfc/rfc5545#section-3.3.5"

# A local time the fall-back change repeats, read as its second occurrence (standard time).
# RFC 5545 3.3.5: "the DATE-TIME value refers to the first occurrence of the referenced time".
REPEATED_AS_SECOND = world(
    ("before-dawn", "2027-02-07 02:30+0100", "2027-02-07 02:30+0000"),
    ("canary-late-night", "2027-10-31 01:30+0100", "2027-10-31 01:30+0000"),
    ("dublin-after-midnight", "2027-10-31 01:30+0100", "2027-10-31 01:30+0000"),
    ("madrugada", "2027-10-31 01:30+0100", "2027-10-31 01:30+0000"),
    ("night-owls-london", "2027-10-31 01:30+0100", "2027-10-31 01:30+0000"),
    ("first-light", "2027-04-04 03:00+1345", "2027-04-04 03:00+1245"),
    ("lagoon-night", "2027-04-04 01:45+1100", "2027-04-04 01:45+1030"),
    ("saturday-night-lifeline", "2027-04-03 23:30-0300", "2027-04-03 23:30-0400"),
    ("sunday-night-watch", "2027-10-31 01:30+0300", "2027-10-31 01:30+0200"),
    ("thursday-late", "2027-10-28 23:30+0300", "2027-10-28 23:30+0200"),
)

# A local time the spring-forward change skips, read with the offset *after* the change: the
# instant is an hour (Lord Howe: 30 minutes) earlier than RFC 5545 3.3.5's reading ("the UTC
# offset before the gap"), so 01:30 in London shows as 00:30 GMT, and a meeting at 00:30 on
# the night Cairo or Santiago changes at midnight shows at 23:30 the day before. An end time in
# the gap (Santiago 23:30-00:30, Cairo 23:30-00:30) falls back onto the start: a meeting of no
# length.
GAP_WITH_OFFSET_AFTER = world(
    ("before-dawn", "2027-03-14 03:30+0100", "2027-03-14 01:30+0000"),
    ("canary-late-night", "2027-03-28 02:30+0100", "2027-03-28 00:30+0000"),
    ("dublin-after-midnight", "2027-03-28 02:30+0100", "2027-03-28 00:30+0000"),
    ("madrugada", "2027-03-28 02:30+0100", "2027-03-28 00:30+0000"),
    ("night-owls-london", "2027-03-28 02:30+0100", "2027-03-28 00:30+0000"),
    ("first-light", "2027-09-26 04:00+1345", "2027-09-26 02:00+1245"),
    ("first-sunday-midnight", "2027-09-05 01:30-0300", "2027-09-04 23:30-0400"),
    ("friday-midnight", "2027-04-30 01:30+0300", "2027-04-29 23:30+0200"),
    ("friday-small-hours", "2027-03-26 03:30+0300", "2027-03-26 01:30+0200"),
    ("lagoon-early", "2027-10-03 02:45+1100", "2027-10-03 01:45+1030"),
    ("saturday-night-lifeline", "2027-09-04 23:30-0400", "end 2027-09-04 23:30-0400"),
    ("thursday-late", "2027-04-29 23:30+0200", "end 2027-04-29 23:30+0200"),
)

KNOWN = [
    Known(
        "libical",
        "repeated local time read as its second occurrence (standard time)",
        "libical 3.0.16 icaltimezone: an ambiguous local time takes the later offset, also "
        f"with libical's own built-in zone instead of the feed's VTIMEZONE; {RFC_3_3_5}",
        REPEATED_AS_SECOND,
    ),
    Known(
        "libical",
        "the week after a spring-forward gap keeps the gap's shifted time",
        "libical 3.0.16 icalcomponent_foreach_recurrence: the occurrence in the gap is right "
        "(01:30 read as 02:30 summer time, RFC 5545 3.3.5), but the iterator carries the shifted "
        "02:30 into the next occurrence, a week later an hour late; the one after is right "
        "again; the same with libical's built-in zone. Related: "
        "https://github.com/libical/libical/issues/318 (no report of this exact case found)",
        world(
            ("before-dawn", "2027-03-21 02:30+0100", "2027-03-21 03:30+0100"),
            ("canary-late-night", "2027-04-04 01:30+0100", "2027-04-04 02:30+0100"),
            ("dublin-after-midnight", "2027-04-04 01:30+0100", "2027-04-04 02:30+0100"),
            ("madrugada", "2027-04-04 01:30+0100", "2027-04-04 02:30+0100"),
            ("night-owls-london", "2027-04-04 01:30+0100", "2027-04-04 02:30+0100"),
            ("first-light", "2027-10-03 03:00+1345", "2027-10-03 04:00+1345"),
            ("friday-small-hours", "2027-04-02 02:30+0300", "2027-04-02 03:30+0300"),
            ("lagoon-early", "2027-10-10 02:15+1100", "2027-10-10 02:45+1100"),
        ),
    ),
    Known(
        "libical",
        "a local time in a gap at midnight read with the offset after the change",
        "https://github.com/libical/libical/issues/1402 (Africa/Cairo, whose clocks go from "
        "00:00 to 01:00: Friday 00:30 on 30 Apr 2027 comes out as Thursday 23:30)",
        world(("friday-midnight", "2027-04-30 01:30+0300", "2027-04-29 23:30+0200")),
    ),
    Known(
        "vobject",
        "a local time in a spring-forward gap read with the offset after the change",
        "vobject 0.9.9 builds dateutil-style tzinfo from the VTIMEZONE, which resolves a "
        f"nonexistent local time with the offset after the gap, against {RFC_3_3_5}",
        GAP_WITH_OFFSET_AFTER,
    ),
    Known(
        "ical-renamed",
        "a local time in a spring-forward gap read with the offset after the change",
        "PyPI ical 14.3.1, when it builds the zone from the VTIMEZONE (a TZID its IANA data "
        f"does not know), resolves a nonexistent local time with the offset after the gap, "
        f"against {RFC_3_3_5}; with the IANA name it follows 3.3.5",
        GAP_WITH_OFFSET_AFTER,
    ),
    Known(
        "ical.js",
        "a local time in a spring-forward gap read with the offset after the change",
        "ical.js 2.2.1 ICAL.Timezone resolves a nonexistent local time with the offset after "
        f"the gap, against {RFC_3_3_5}",
        GAP_WITH_OFFSET_AFTER,
    ),
    Known(
        "ical.js",
        "repeated local time read as its second occurrence (standard time)",
        f"ical.js 2.2.1 ICAL.Timezone: an ambiguous local time takes the later offset; {RFC_3_3_5}",
        REPEATED_AS_SECOND,
    ),
]


# --- Running the readers ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def feed_paths(built):
    """{(site, relative path): path} of every feed of the sites."""
    out = {}
    for site in SITES:
        dest = built[site]
        for p in sorted(dest.rglob("*.ics")):
            out[(site, p.relative_to(dest).as_posix())] = p
    assert len(out) > 150, len(out)
    return out


@pytest.fixture(scope="session")
def renamed_paths(feed_paths, tmp_path_factory):
    root = tmp_path_factory.mktemp("renamed")
    out = {}
    for (site, rel), p in feed_paths.items():
        dest = root / site / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        text = readers.rename_tzids(p.read_bytes().decode("utf-8"))
        assert readers.RENAMED_PREFIX in text
        dest.write_bytes(text.encode("utf-8"))
        out[(site, rel)] = dest
    return out


@pytest.fixture(scope="session")
def expectations(feed_paths):
    return {key: feed_events(p.read_bytes()) for key, p in feed_paths.items()}


@pytest.fixture(scope="session")
def reader_functions(tmp_path_factory):
    libical = readers.build_libical_helper(tmp_path_factory.mktemp("libical"))
    return {
        "recurring-ical-events": (readers.recurring_ical_events_reader, False),
        "libical": (readers.libical_reader(libical), False),
        "vobject": (readers.vobject_reader, False),
        "ical": (readers.ical_reader, False),
        "ical-renamed": (readers.ical_reader, True),
        "node-ical": (readers.node_ical_reader, False),
        "ical.js": (readers.ical_js_reader, False),
    }


READERS = [
    "recurring-ical-events",
    "libical",
    "vobject",
    "ical",
    "ical-renamed",
    "node-ical",
    "ical.js",
]
_cache = {}


def local_text(t: datetime, tzid: str) -> str:
    """Wall-clock time and offset in the meeting's zone: "2027-10-31 01:30+0100"."""
    return t.astimezone(ZoneInfo(tzid)).strftime("%Y-%m-%d %H:%M%z")


def differences(reader, reader_functions, feed_paths, renamed_paths, expectations):
    """Every difference of `reader` from the expectations, as Known.occurrences tuples, with
    the feeds each was seen in."""
    if reader in _cache:
        return _cache[reader]
    fn, renamed = reader_functions[reader]
    paths = renamed_paths if renamed else feed_paths
    results = fn(list(paths.values()), *WINDOW)
    found = {}
    for key, path in paths.items():
        site = key[0]
        events = {e.uid: e for e in expectations[key]}
        got = {}
        for uid, start, end in results.get(path, []):
            assert uid in events, (reader, key, uid)
            ev = events[uid]
            if start.astimezone(ZoneInfo(ev.tzid)).year == YEAR:
                got.setdefault(uid, []).append((start, end))
        for uid, ev in events.items():
            want = expected(ev)
            have = got.get(uid, [])
            starts = [h[0] for h in have]
            assert len(starts) == len(set(starts)), (reader, key, uid, "repeated occurrence")
            missing = sorted(set(want) - set(starts))
            extra = sorted(set(starts) - set(want))

            def note(d):
                found.setdefault(d, set()).add(key[1])

            for s, e in have:
                if s in want and e not in want[s]:
                    note(occ(site, uid, local_text(s, ev.tzid), "end " + local_text(e, ev.tzid)))
            for w in missing:
                # The reader's occurrence nearest in time stands for this one, if any.
                near = [h for h in extra if abs(h - w) <= timedelta(hours=3)]
                if near:
                    extra.remove(near[0])
                    note(occ(site, uid, local_text(w, ev.tzid), local_text(near[0], ev.tzid)))
                else:
                    note(occ(site, uid, local_text(w, ev.tzid), "missing"))
            for h in extra:
                note(occ(site, uid, "none", local_text(h, ev.tzid)))
    _cache[reader] = found
    return found


def describe(items):
    return "\n".join(f"  occ{t!r}," for t in sorted(items))


@pytest.mark.parametrize("reader", READERS)
def test_every_feed_expands_to_the_records_wall_clock_times(
    reader, reader_functions, feed_paths, renamed_paths, expectations
):
    found = differences(reader, reader_functions, feed_paths, renamed_paths, expectations)
    listed = set().union(*(k.occurrences for k in KNOWN if k.reader == reader))
    unlisted = set(found) - listed
    gone = listed - set(found)
    assert not unlisted, f"{reader} differs from the records, not in KNOWN:\n{describe(unlisted)}"
    assert not gone, f"{reader}: listed in KNOWN but no longer happens:\n{describe(gone)}"
    # A difference is the reader's, not one feed's: it shows in every feed with the event.
    holders = {}
    for key in feed_paths:
        for ev in expectations[key]:
            holders.setdefault((key[0], ev.uid), set()).add(key[1])
    for (site, uid, *_), feeds in found.items():
        assert feeds == holders[(site, uid)], (reader, site, uid, holders[(site, uid)] - feeds)


@pytest.mark.parametrize("known", KNOWN, ids=lambda k: f"{k.reader}: {k.what[:50]}")
def test_each_known_reader_bug_still_happens(
    known, reader_functions, feed_paths, renamed_paths, expectations
):
    found = differences(known.reader, reader_functions, feed_paths, renamed_paths, expectations)
    gone = known.occurrences - set(found)
    assert not gone, f"no longer happens (remove it from KNOWN): {known.link}\n{describe(gone)}"


def test_the_comparison_can_fail(reader_functions, feed_paths, expectations, tmp_path):
    """A feed whose VTIMEZONE is an hour off (summer all year) is caught by the readers that
    read the VTIMEZONE (libical, and ical once its own zone data cannot know the name): so the
    comparison above means something. (icalendar, node-ical and plain ical take the IANA name
    from their own data; vobject keeps the first definition of a TZID it ever read.)"""
    key = ("world", "meetings/harbor-lights/calendar.ics")
    # Summer time at +02:00 instead of +01:00: every summer meeting an hour off.
    text = feed_paths[key].read_bytes().decode("utf-8").replace("+0100", "+0200")
    bad = tmp_path / "bad.ics"
    bad.write_bytes(text.encode("utf-8"))
    (ev,) = expectations[key]
    renamed = tmp_path / "renamed.ics"
    renamed.write_bytes(readers.rename_tzids(text).encode("utf-8"))
    for name, path in (("libical", bad), ("ical-renamed", renamed), ("ical.js", bad)):
        fn, _ = reader_functions[name]
        got = {s for _, s, _ in fn([path], *WINDOW)[path] if s.year == YEAR}
        assert len(got - set(expected(ev))) == 31, name
