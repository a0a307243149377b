"""Meeting pages' schema.org data as an independent extractor (extruct, on lxml) reads it.

Builds the bundled example and the feeds fixture with the lantern binary, then checks that
every meeting in /meetings.json has exactly one JSON-LD Event on its page, that it agrees with
the feed, and that record text cannot break out of the script element.
"""

import json
import os
import pathlib
import subprocess

import extruct
import lxml.html
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LANTERN = os.environ.get("LANTERN_BIN", str(ROOT / "target" / "debug" / "lantern"))
DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
SITES = {
    "example": ROOT,
    "feeds-full": ROOT / "tests" / "fixtures" / "feeds" / "full",
}


def build(name, tmp_path_factory):
    out = tmp_path_factory.mktemp(name) / "public"
    subprocess.run(
        [LANTERN, "build", "--site", str(SITES[name]), "--output", str(out)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module", params=sorted(SITES))
def built(request, tmp_path_factory):
    return build(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def full_site(tmp_path_factory):
    return build("feeds-full", tmp_path_factory)


def events(page: pathlib.Path, url: str):
    html = page.read_text(encoding="utf-8")
    data = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=False)
    return html, data["json-ld"]


LD_ONLY = [("application/ld+json", None, None)]
LD_AND_CLOCK = LD_ONLY + [
    ("application/json", "meeting-clock", None),
    (None, None, "assets/time.js"),
    (None, None, "assets/meeting.js"),
]


def theme_scripts(html):
    """Every script element of a page as (type, id, src without the site's base path)."""
    out = []
    for s in lxml.html.fromstring(html).xpath("//script"):
        src = s.get("src")
        out.append((s.get("type"), s.get("id"), src and src[src.index("assets/") :]))
    return out


def test_every_meeting_page_has_one_event_that_matches_the_feed(built):
    feed = json.loads((built / "meetings.json").read_text(encoding="utf-8"))
    assert feed, "the feed is empty"
    # One feed record per meeting-day: the days of all records of one page are its days.
    days_of = {}
    for m in feed:
        assert isinstance(m["day"], int), m
        days_of.setdefault(m["url"], []).append(m["day"])
    for m in feed:
        page_slug = m["url"].rstrip("/").rsplit("/", 1)[-1]
        page = built / "meetings" / page_slug / "index.html"
        html, found = events(page, m["url"])
        assert len(found) == 1, (m["slug"], found)
        ev = found[0]
        assert ev["@context"] == "https://schema.org"
        assert ev["@type"] == "Event"
        assert ev["name"] == m["name"]
        assert ev["url"] == m["url"]
        sched = ev["eventSchedule"]
        assert sched["@type"] == "Schedule"
        days = sorted(days_of[m["url"]])
        assert sched["byDay"] == [f"https://schema.org/{DAYS[d]}" for d in days]
        assert sched["startTime"] == m["time"]
        assert sched["endTime"] == m["end_time"]
        assert sched["scheduleTimezone"] == m["timezone"]
        # The feed lists monthly and every-other-week meetings with their schedule in words
        # opening the notes; the page's Schedule says the same in schema.org terms.
        notes = m.get("notes", "")
        if "byMonthWeek" in sched:
            assert sched["repeatFrequency"] == "P1M"
            assert notes.startswith("The ") and "of each month." in notes.split("\n")[0], notes
        elif notes.startswith("Every other week"):
            assert sched["repeatFrequency"] == "P2W"
        else:
            assert sched["repeatFrequency"] == "P1W"

        online = "conference_url" in m or "conference_phone" in m
        in_person = m.get("approximate") == "no"
        mode = {
            (True, True): "Mixed",
            (False, True): "Online",
            (True, False): "Offline",
        }[(in_person, online)]
        assert ev["eventAttendanceMode"] == f"https://schema.org/{mode}EventAttendanceMode"
        locations = ev["location"] if isinstance(ev["location"], list) else [ev["location"]]
        kinds = [loc["@type"] for loc in locations]
        assert kinds == (["Place"] if in_person else []) + (["VirtualLocation"] if online else [])
        for loc in locations:
            if loc["@type"] == "Place":
                assert loc["name"] == m["location"]
                assert loc["address"]["@type"] == "PostalAddress"
                if "latitude" in m:
                    assert loc["geo"]["@type"] == "GeoCoordinates"
                    assert loc["geo"]["latitude"] == m["latitude"]
                    assert loc["geo"]["longitude"] == m["longitude"]
            elif "conference_url" in m:
                assert loc["url"] == m["conference_url"]
        closed = "TC" in m.get("types", [])
        status = "EventPostponed" if closed else "EventScheduled"
        assert ev["eventStatus"] == f"https://schema.org/{status}"

        # The page's script elements are the JSON-LD and, for a meeting that meets, the theme's
        # next-dates script with its data; nothing else.
        assert theme_scripts(html) in (LD_ONLY, LD_AND_CLOCK), m["slug"]


def test_record_text_cannot_leave_the_script_element(full_site):
    page = full_site / "meetings" / "hostile" / "index.html"
    html, found = events(page, "https://aa.example.org/meetings/hostile/")
    assert found[0]["name"] == "</script><script>alert(1)</script> & Co"
    assert theme_scripts(html) in (LD_ONLY, LD_AND_CLOCK)
