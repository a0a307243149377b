"""Lantern's calendar feeds read back by independent implementations: Python `icalendar`
(with dateutil building time zones from our VTIMEZONEs) and `recurring-ical-events` expanding
the recurrences, compared with the IANA data of Python's `zoneinfo`.

The sites are built by conftest.py; `scripts/test` runs this file."""

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

ROOT = Path(__file__).resolve().parents[2]
UTC = timezone.utc
HOST = "feeds.example.net"


def unescape_text(value: str) -> str:
    """RFC 5545 TEXT unescaping, for properties icalendar does not type."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def events(cal: Calendar):
    return list(cal.walk("VEVENT"))


def feed(feeds, site, path) -> Calendar:
    return parse(feeds[(site, path)])


def expand(cal: Calendar, start=datetime(2026, 1, 1), end=datetime(2027, 1, 1)):
    return recurring_ical_events.of(cal).between(start, end)


def occurrences(feeds, uid, site="zones", path="calendar.ics"):
    """UTC start times of the meeting `uid` in 2026, sorted."""
    cal = feed(feeds, site, path)
    out = [
        e["DTSTART"].dt.astimezone(UTC)
        for e in expand(cal)
        if str(e["UID"]).split("@")[0] == uid
    ]
    assert out, f"no occurrences of {uid}"
    return sorted(out)


# --- Every feed parses, with the properties the issue asks for -----------------------------


def test_every_feed_parses_and_has_the_calendar_properties(feeds):
    for (site, path), data in feeds.items():
        cal = parse(data)
        assert str(cal["VERSION"]) == "2.0"
        assert "PRODID" in cal and "CALSCALE" in cal
        assert "METHOD" not in cal, path
        assert str(cal["X-WR-CALNAME"]) == str(cal["NAME"])
        assert "X-WR-CALDESC" in cal
        assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
        assert str(cal["X-PUBLISHED-TTL"]) in ("PT12H", "PT6H")
        assert cal.walk("VTIMEZONE"), f"{site}/{path} has no component"
        uids = [str(e["UID"]) for e in events(cal)]
        assert len(uids) == len(set(uids)), f"{site}/{path} repeats a UID"


def test_raw_lines_are_crlf_and_at_most_75_octets(feeds):
    for key, data in feeds.items():
        assert data.endswith(b"\r\n"), key
        assert b"\n" not in data.replace(b"\r\n", b""), f"{key}: bare LF"
        assert b"\r" not in data.replace(b"\r\n", b""), f"{key}: bare CR"
        for line in data.split(b"\r\n"):
            assert len(line) <= 75, f"{key}: {len(line)} octets: {line!r}"
            line.decode("utf-8")  # a fold never splits a character


def test_every_tzid_has_a_vtimezone_and_times_are_never_floating(feeds):
    for key, data in feeds.items():
        cal = parse(data)
        defined = {str(t["TZID"]) for t in cal.walk("VTIMEZONE")}
        for e in events(cal):
            for prop in ("DTSTART", "DTEND"):
                assert e[prop].params.get("TZID") in defined, (key, prop)
                assert e[prop].dt.tzinfo is not None, (key, prop)
                assert e[prop].dt.utcoffset() is not None
            exdate = e.get("EXDATE")
            if exdate is not None:
                for ex in exdate if isinstance(exdate, list) else [exdate]:
                    assert ex.params.get("TZID") == e["DTSTART"].params["TZID"], key


def test_uids_and_events_are_the_same_in_every_feed(feeds):
    """A meeting's VEVENT is the same in the site, region, type and meeting feeds."""
    by_uid = {}
    for (site, path), data in feeds.items():
        for e in events(parse(data)):
            key = (site, str(e["UID"]))
            text = e.to_ical()
            assert by_uid.setdefault(key, text) == text, (site, path, e["UID"])
    assert len(by_uid) > 60


# --- VTIMEZONEs agree with IANA, as a client builds them -------------------------------------


def vtimezone_mismatches(vtz, years=range(2026, 2032)):
    """Hours in `years` where the zone built from our VTIMEZONE (by dateutil) and zoneinfo
    disagree."""
    ours = vtz.to_tz(lookup_tzid=False)
    iana = ZoneInfo(str(vtz["TZID"]))
    t = datetime(years[0], 1, 1, tzinfo=UTC)
    end = datetime(years[-1] + 1, 1, 1, tzinfo=UTC)
    bad = []
    while t < end:
        if t.astimezone(ours).utcoffset() != t.astimezone(iana).utcoffset():
            bad.append(t)
        t += timedelta(hours=1)
    return bad


def test_every_vtimezone_agrees_with_iana_hour_by_hour_for_six_years(feeds):
    seen = set()
    for data in feeds.values():
        for vtz in parse(data).walk("VTIMEZONE"):
            key = vtz.to_ical()
            if key in seen:
                continue
            seen.add(key)
            bad = vtimezone_mismatches(vtz)
            assert not bad, f"{vtz['TZID']}: {len(bad)} hours differ, first {bad[0]}"
    tzids = {Calendar.from_ical(k)["TZID"] for k in seen}
    assert {"Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns", "UTC"} <= tzids


def test_the_vtimezone_check_can_fail():
    """A definition with the wrong week is caught (so the check above means something)."""
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\n"
        "TZID:America/New_York\r\nBEGIN:DAYLIGHT\r\nDTSTART:20250309T020000\r\n"
        "TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=3SU\r\n"
        "END:DAYLIGHT\r\nBEGIN:STANDARD\r\nDTSTART:20251102T020000\r\nTZOFFSETFROM:-0400\r\n"
        "TZOFFSETTO:-0500\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\n"
        "END:VTIMEZONE\r\nEND:VCALENDAR\r\n"
    )
    (vtz,) = parse(text.encode()).walk("VTIMEZONE")
    assert len(vtimezone_mismatches(vtz)) == 6 * 7 * 24


# --- Expanded occurrences keep their wall-clock time across DST ----------------------------


def test_every_occurrence_is_at_its_meetings_local_time(feeds):
    """At the record's wall-clock time and weekday; a local time that a change skips or repeats
    is read by RFC 5545 3.3.5 (the offset before a gap, the first of a repeat: zoneinfo's
    fold=0), as test_readers.py does for every reader."""
    checked_zones = set()
    expanded = {}
    for (site, path), data in feeds.items():
        cal = parse(data)
        base = {str(e["UID"]): e for e in events(cal)}
        occs = expand(cal)
        expanded[site] = expanded.get(site, 0) + len(occs)
        for occ in occs:
            ev = base[str(occ["UID"])]
            start = ev["DTSTART"]
            tzid = start.params["TZID"]
            zone = ZoneInfo(tzid)
            got = occ["DTSTART"].dt.astimezone(UTC)
            want = start.dt
            day = got.astimezone(zone).date()
            want_at = datetime.combine(day, want.time().replace(tzinfo=None), zone)
            assert (got, day.weekday()) == (want_at.astimezone(UTC), want.weekday()), (
                site,
                occ["UID"],
                got.astimezone(zone),
            )
            end = occ["DTEND"].dt.astimezone(UTC)
            wall_end = datetime.combine(day, ev["DTEND"].dt.time().replace(tzinfo=None), zone)
            if ev["DTEND"].dt.date() > want.date():
                wall_end += timedelta(days=1)
            exact = ev["DTEND"].dt.astimezone(UTC) - want.astimezone(UTC)
            assert end in (wall_end.astimezone(UTC), got + exact), (site, occ["UID"], end)
            assert end >= got
            checked_zones.add(tzid)
    assert {"America/New_York", "Australia/Sydney", "Pacific/Auckland"} <= checked_zones
    assert all(expanded[s] > 500 for s in ("example", "zones")), expanded


def test_new_york_monday_on_both_sides_of_the_march_change(feeds):
    occ = occurrences(feeds, "ny-monday")
    assert datetime(2026, 3, 3, 0, 0, tzinfo=UTC) in occ  # Mon 2 Mar 19:00 EST
    assert datetime(2026, 3, 9, 23, 0, tzinfo=UTC) in occ  # Mon 9 Mar 19:00 EDT
    assert datetime(2026, 11, 3, 0, 0, tzinfo=UTC) in occ  # Mon 2 Nov 19:00 EST again
    # Skipped on 16 March.
    assert datetime(2026, 3, 16, 23, 0, tzinfo=UTC) not in occ
    assert len(occ) == 52 - 1  # 2026 has 52 Mondays; one is skipped
    # The same in the example site's own meetings in America/New_York.
    ex = feed(feeds, "example", "calendar.ics")
    ny = [e for e in events(ex) if e["DTSTART"].params["TZID"] == "America/New_York"]
    assert ny


def test_sydney_last_saturday_across_the_april_change(feeds):
    occ = occurrences(feeds, "sydney-last-saturday")
    assert datetime(2026, 3, 27, 21, 0, tzinfo=UTC) in occ  # Sat 28 Mar 08:00 AEDT
    assert datetime(2026, 4, 24, 22, 0, tzinfo=UTC) in occ  # Sat 25 Apr 08:00 AEST
    assert datetime(2026, 10, 30, 21, 0, tzinfo=UTC) in occ  # Sat 31 Oct 08:00 AEDT
    assert len(occ) == 12
    # The example's Sydney meeting, weekly on Saturday mornings.
    ex = occurrences(feeds, "southern-cross-online", site="example")
    assert datetime(2026, 4, 3, 21, 0, tzinfo=UTC) in ex  # Sat 4 Apr, still AEDT
    assert datetime(2026, 4, 10, 22, 0, tzinfo=UTC) in ex  # Sat 11 Apr, AEST


def test_auckland_fortnightly_from_its_first_date(feeds):
    occ = occurrences(feeds, "auckland-fortnightly")
    assert occ[0] == datetime(2026, 2, 4, 6, 30, tzinfo=UTC)  # Wed 4 Feb 19:30 NZDT
    assert all((b - a) in (timedelta(days=14), timedelta(days=14, hours=1), timedelta(days=14, hours=-1)) for a, b in zip(occ, occ[1:]))
    assert datetime(2026, 4, 1, 6, 30, tzinfo=UTC) in occ  # NZDT (+13)
    assert datetime(2026, 4, 15, 7, 30, tzinfo=UTC) in occ  # NZST (+12)


def test_half_hour_shifts_and_quarter_hour_offsets(feeds):
    lhi = occurrences(feeds, "lord-howe-sunday")
    assert datetime(2026, 3, 28, 23, 0, tzinfo=UTC) in lhi  # Sun 29 Mar 10:00 +11
    assert datetime(2026, 4, 4, 23, 30, tzinfo=UTC) in lhi  # Sun 5 Apr 10:00 +10:30
    ktm = occurrences(feeds, "kathmandu-friday")
    assert datetime(2026, 1, 2, 11, 30, tzinfo=UTC) in ktm  # Fri 17:15 +05:45
    nl = occurrences(feeds, "st-johns-late")
    assert datetime(2026, 1, 6, 3, 0, tzinfo=UTC) in nl  # Mon 5 Jan 23:30 -03:30
    assert datetime(2026, 7, 7, 2, 0, tzinfo=UTC) in nl  # Mon 6 Jul 23:30 -02:30


def test_meeting_after_midnight_ends_the_next_day(feeds):
    cal = feed(feeds, "zones", "meetings/st-johns-late/calendar.ics")
    (e,) = events(cal)
    assert e["DTEND"].dt - e["DTSTART"].dt == timedelta(hours=1)
    assert e["DTEND"].dt.date() == date(2026, 1, 6)
    for occ in expand(cal):
        assert occ["DTEND"].dt - occ["DTSTART"].dt == timedelta(hours=1)


def test_monthly_first_and_third(feeds):
    occ = occurrences(feeds, "tokyo-first-third")
    local = [o.astimezone(ZoneInfo("Asia/Tokyo")) for o in occ]
    assert len(local) == 24
    assert all(o.weekday() == 6 and (o.day - 1) // 7 in (0, 2) for o in local)


def test_temporarily_closed_meetings_have_no_occurrences_while_closed(feeds):
    occ = occurrences(feeds, "closed-until-march")
    assert occ[0] == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)  # reopens Mon 2 Mar 19:00 EST
    all_uids = {str(e["UID"]) for e in events(feed(feeds, "zones", "calendar.ics"))}
    assert f"closed-indefinitely@{HOST}" not in all_uids
    assert not events(feed(feeds, "zones", "meetings/closed-indefinitely/calendar.ics"))
    small = {str(e["UID"]) for e in events(feed(feeds, "small", "calendar.ics"))}
    assert "closed-for-now@example.org" in small  # closed until 2027-01-15
    closed = [
        e
        for e in expand(feed(feeds, "small", "calendar.ics"))
        if str(e["UID"]) == "closed-for-now@example.org"
    ]
    assert closed == []  # closed for all of 2026


# --- Hostile text ---------------------------------------------------------------------------


def test_hostile_text_comes_back_exactly(feeds):
    name = (ROOT / "tests/fixtures/feeds/zones/hostile-name.txt").read_text("utf-8")
    cal = feed(feeds, "zones", "meetings/hostile/calendar.ics")
    (e,) = events(cal)
    assert str(e["SUMMARY"]) == name
    assert len(name) == 255  # the longest name the Meeting Guide spec allows
    assert str(e["LOCATION"]) == (
        'Hall: "North", Room 1; upstairs, 1 Comma, Semicolon; Backslash \\ St, Springfield'
    )
    desc = str(e["DESCRIPTION"])
    assert (
        "First line, with comma; and semicolon.\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:pwned\n"
        "Emoji 🦁 and CJK 漢字 and a backslash \\ here." in desc
    )
    assert "ID 1, pass: x;y\\z" in desc
    assert "https://meet.example.net/j/1?a=1&b=2;c=3" in desc
    cats = e["CATEGORIES"]
    assert list(cats.cats) == ["Open", "Step, Tradition; \\Study\\"]
    assert str(e["URL"]) == "https://feeds.example.net/list/meetings/hostile/"
    conf = e["CONFERENCE"]
    conf = conf if isinstance(conf, list) else [conf]
    assert [str(c) for c in conf] == [
        "https://meet.example.net/j/1?a=1&b=2;c=3",
        "tel:+15550100,,1%23",
    ]
    # icalendar keeps NAME and X- properties unparsed; unescape them as RFC 5545 TEXT.
    assert unescape_text(str(cal["NAME"])) == "Zones, Commas; and \\ Intergroup: " + name
    assert str(cal["X-WR-CALNAME"]) == str(cal["NAME"])
    assert len(cal.walk("VEVENT")) == 1
    assert not [c for c in cal.walk() if c.get("SUMMARY") == "pwned"]


def test_geo_and_url(feeds):
    (e,) = events(feed(feeds, "zones", "meetings/ny-monday/calendar.ics"))
    assert (e["GEO"].latitude, e["GEO"].longitude) == (40.7527, -73.9832)
    assert str(e["URL"]) == "https://feeds.example.net/list/meetings/ny-monday/"
    assert list(e["CATEGORIES"].cats) == ["Open", "Discussion"]
    assert e["DTSTAMP"].dt == datetime(2026, 10, 1, tzinfo=UTC)


def test_feed_urls_follow_the_page_layout(built):
    small = built["small"]
    for path in [
        "calendar.ics",
        "regions/sangamon-county/springfield/calendar.ics",
        "locations/hall/calendar.ics",
        "types/open/calendar.ics",
        "meetings/monday-night/calendar.ics",
    ]:
        assert (small / path).is_file(), path
    html = (small / "meetings/monday-night/index.html").read_text()
    assert 'href="webcal://example.org/meetings/meetings/monday-night/calendar.ics"' in html
    assert re.search(r'href="https://calendar\.google\.com/calendar/render\?cid=webcal%3A', html)
