"""One adapter per independent iCalendar reader, for test_readers.py.

Each adapter takes the paths of .ics files and a UTC window and returns, for every file, the
occurrences the reader expands: `{path: [(uid, start, end), ...]}` with aware UTC datetimes.
What a reader does with a feed is its own business (its own parser, its own recurrence engine,
its own reading of the VTIMEZONE or its own zone data); the adapters only translate its result
into instants. Expectations and known bugs live in test_readers.py, once for all readers.

Readers:
- `recurring-ical-events`: Python icalendar + recurring-ical-events, the reader test_feeds.py
  uses (icalendar resolves an IANA TZID through zoneinfo, not through the VTIMEZONE);
- `libical`: Debian's libical through tests/feeds/readers/libical_expand.c, compiled by the
  test with `cc` and pkg-config (the library of Evolution and GNOME Calendar);
- `vobject`: Python vobject (builds zones from the VTIMEZONE, and keeps the first definition of
  a TZID it ever read for the whole process; dateutil rrules);
- `ical`: PyPI `ical`, Home Assistant's calendar library; `ical-renamed` reads the same feeds
  with every TZID renamed to `X-Lantern/<name>`, so it must build the zone from the VTIMEZONE
  instead of its own IANA data;
- `ical.js`: npm ical.js through tests/feeds/node/ical-js-expand.mjs (Thunderbird's parser;
  zones from our VTIMEZONEs);
- `node-ical`: npm node-ical through tests/feeds/node/node-ical-expand.mjs (MagicMirror's and
  many dashboards' reader; it resolves IANA TZIDs through Node's ICU data).
"""

import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

UTC = timezone.utc
HERE = Path(__file__).resolve().parent
RENAMED_PREFIX = "X-Lantern/"


def _ts(t: datetime) -> int:
    return int(t.timestamp())


def _from_ts(s: str) -> datetime:
    return datetime.fromtimestamp(float(s), UTC)


def _tsv(out: str):
    """Parses `FILE<TAB>UID<TAB>START<TAB>END` lines of the helper programs."""
    found = {}
    for line in out.splitlines():
        path, uid, start, end = line.split("\t")
        found.setdefault(Path(path), []).append((uid, _from_ts(start), _from_ts(end)))
    return found


def _in_batches(paths, size=400):
    paths = list(paths)
    for i in range(0, len(paths), size):
        yield paths[i : i + size]


# --- recurring-ical-events ------------------------------------------------------------------


def recurring_ical_events_reader(paths, start, end):
    import recurring_ical_events
    from icalendar import Calendar

    out = {}
    for p in paths:
        cal = Calendar.from_ical(p.read_bytes())
        out[p] = [
            (str(e["UID"]), e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC))
            for e in recurring_ical_events.of(cal).between(start, end)
        ]
    return out


# --- libical (C) ----------------------------------------------------------------------------


def build_libical_helper(dest: Path) -> Path:
    """Compiles libical_expand.c against Debian's libical-dev (scripts/test installs it)."""
    cc = shutil.which("cc")
    pkg = shutil.which("pkg-config")
    if not cc or not pkg:
        raise RuntimeError("cc and pkg-config are needed to build the libical reader")
    flags = subprocess.run(
        [pkg, "--cflags", "--libs", "libical"], capture_output=True, text=True
    )
    if flags.returncode != 0:
        raise RuntimeError(f"libical-dev is missing (pkg-config: {flags.stderr.strip()})")
    binary = dest / "libical_expand"
    subprocess.run(
        [cc, "-O2", "-Wall", "-Wextra", "-Werror", "-o", str(binary),
         str(HERE / "readers/libical_expand.c"), *flags.stdout.split()],
        check=True,
    )
    return binary


def libical_reader(binary: Path):
    def read(paths, start, end):
        out = {}
        for batch in _in_batches(paths):
            run = subprocess.run(
                [str(binary), str(_ts(start)), str(_ts(end)), *map(str, batch)],
                capture_output=True, text=True, check=True,
            )
            out.update(_tsv(run.stdout))
        return {p: out.get(p, []) for p in paths}

    return read


# --- vobject --------------------------------------------------------------------------------


def vobject_reader(paths, start, end):
    import vobject

    out = {}
    for p in paths:
        cal = vobject.readOne(p.read_text("utf-8"))
        occs = []
        for ev in getattr(cal, "vevent_list", []):
            dtstart = ev.dtstart.value
            duration = ev.dtend.value - dtstart
            for s in ev.getrruleset(addRDate=True).between(start, end, inc=True):
                occs.append((ev.uid.value, s.astimezone(UTC), (s + duration).astimezone(UTC)))
        out[p] = occs
    return out


# --- PyPI ical ------------------------------------------------------------------------------


def ical_reader(paths, start, end):
    from ical.calendar_stream import IcsCalendarStream

    out = {}
    for p in paths:
        cal = IcsCalendarStream.calendar_from_ics(p.read_text("utf-8"))
        out[p] = [
            (ev.uid, ev.start.astimezone(UTC), ev.end.astimezone(UTC))
            for ev in cal.timeline_tz(UTC).overlapping(start, end)
            if start <= ev.start.astimezone(UTC) < end
        ]
    return out


def rename_tzids(text: str) -> str:
    """Every TZID (the VTIMEZONE's and every TZID= parameter) prefixed with `X-Lantern/`, a
    name no zone database knows, so a reader can only use the VTIMEZONE."""
    text = text.replace("\r\nTZID:", "\r\nTZID:" + RENAMED_PREFIX)
    return text.replace(";TZID=", ";TZID=" + RENAMED_PREFIX)


# --- Node: ical.js and node-ical ------------------------------------------------------------------------------


def _node_reader(script: str, package: str):
    def read(paths, start, end):
        return _run_node(script, package, paths, start, end)

    return read


def _run_node(script, package, paths, start, end):
    node = shutil.which("node")
    if not node:
        raise RuntimeError("node is needed for the Node readers")
    script = HERE / "node" / script
    if not (HERE / "node/node_modules" / package).is_dir():
        raise RuntimeError("run `npm ci` in tests/feeds/node (scripts/test does)")
    out = {}
    for batch in _in_batches(paths):
        run = subprocess.run(
            [node, str(script), str(_ts(start)), str(_ts(end)), *map(str, batch)],
            capture_output=True, text=True, check=True, env={**os.environ, "TZ": "UTC"},
        )
        out.update(_tsv(run.stdout))
    return {p: out.get(p, []) for p in paths}


node_ical_reader = _node_reader("node-ical-expand.mjs", "node-ical")
ical_js_reader = _node_reader("ical-js-expand.mjs", "ical.js")
