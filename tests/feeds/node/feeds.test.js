// Lantern's calendar feeds read back by ical.js (the parser Thunderbird uses). Time zones are
// interpreted by ical.js from the feeds' own VTIMEZONEs, and compared with the IANA data that
// Node's ICU carries (Intl.DateTimeFormat), which shares no code with Lantern or chrono-tz.
//
// Builds the sites with the binary named by $LANTERN_BIN (scripts/test sets it).

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import ICAL from "ical.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const SITES = {
  example: ROOT,
  small: join(ROOT, "tests/fixtures/build/small"),
  zones: join(ROOT, "tests/fixtures/feeds/zones"),
};

const bin = process.env.LANTERN_BIN;
assert.ok(bin && statSync(bin).isFile(), "set LANTERN_BIN to the lantern binary");

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** {site: {relative path: text}} of every feed. */
const feeds = {};
for (const [name, site] of Object.entries(SITES)) {
  const out = join(mkdtempSync(join(tmpdir(), `lantern-${name}-`)), "public");
  execFileSync(bin, ["build", "--site", site, "--output", out], { stdio: "inherit" });
  feeds[name] = {};
  for (const f of walk(out).filter((f) => f.endsWith(".ics"))) {
    feeds[name][relative(out, f)] = readFileSync(f, "utf8");
  }
}

/** Parses a feed and registers its VTIMEZONEs, so times resolve through our definitions. */
function load(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  ICAL.TimezoneService.reset();
  for (const vtz of cal.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtz);
  }
  // Re-parse so every TZID resolves to the registered zone.
  return new ICAL.Component(ICAL.parse(text));
}

const formatters = new Map();
/** Wall-clock parts of a UTC instant in `tzid`, from ICU's IANA data. */
function wallClock(tzid, ms) {
  let f = formatters.get(tzid);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tzid,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    formatters.set(tzid, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return {
    y: +p.year,
    mo: +p.month,
    d: +p.day,
    h: +p.hour,
    mi: +p.minute,
    s: +p.second,
    wd: p.weekday,
  };
}

/** UTC offset in seconds of `tzid` at `ms`, per ICU. */
function icuOffset(tzid, ms) {
  const w = wallClock(tzid, ms);
  return (Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - ms) / 1000;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

test("every feed parses, with zoned times and unique UIDs", () => {
  let count = 0;
  for (const [site, files] of Object.entries(feeds)) {
    for (const [path, text] of Object.entries(files)) {
      const cal = load(text);
      assert.equal(cal.name, "vcalendar");
      assert.equal(cal.getFirstPropertyValue("version"), "2.0");
      assert.equal(cal.getFirstPropertyValue("method"), null, path);
      const tzids = new Set(cal.getAllSubcomponents("vtimezone").map((z) => z.getFirstPropertyValue("tzid")));
      assert.ok(tzids.size > 0, `${site}/${path} has no VTIMEZONE`);
      const uids = new Set();
      for (const ve of cal.getAllSubcomponents("vevent")) {
        const ev = new ICAL.Event(ve);
        assert.ok(!uids.has(ev.uid), `${site}/${path}: ${ev.uid} repeated`);
        uids.add(ev.uid);
        for (const t of [ev.startDate, ev.endDate]) {
          assert.ok(tzids.has(t.zone.tzid), `${site}/${path}: zone ${t.zone.tzid}`);
          assert.notEqual(t.zone, ICAL.Timezone.localTimezone, "floating time");
        }
        assert.ok(ev.endDate.compare(ev.startDate) > 0);
      }
      count++;
    }
  }
  assert.ok(count > 100, `${count} feeds`);
});

test("every VTIMEZONE agrees with ICU hour by hour for six years", () => {
  const seen = new Set();
  let checked = 0;
  for (const files of Object.values(feeds)) {
    for (const text of Object.values(files)) {
      for (const vtz of new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vtimezone")) {
        const key = vtz.toString();
        if (seen.has(key)) continue;
        seen.add(key);
        const tz = new ICAL.Timezone(vtz);
        const start = Date.UTC(2026, 0, 1);
        const end = Date.UTC(2032, 0, 1);
        // Calendar events give local wall-clock times, so check that direction: ICU's
        // wall-clock time of each UTC hour, read through our VTIMEZONE, gives that hour back.
        // (A wall-clock time that happens twice, when clocks go back, may give either.)
        for (let ms = start; ms < end; ms += 3600_000) {
          const w = wallClock(tz.tzid, ms);
          const local = new ICAL.Time(
            { year: w.y, month: w.mo, day: w.d, hour: w.h, minute: w.mi, second: w.s },
            tz,
          );
          const back = local.toUnixTime() * 1000;
          if (back !== ms) {
            const again = wallClock(tz.tzid, back);
            assert.deepEqual(again, w, `${tz.tzid} at ${new Date(ms).toISOString()} gave ${new Date(back).toISOString()}`);
          }
          checked++;
        }
      }
    }
  }
  assert.ok(seen.size >= 12, `${seen.size} zones`);
  assert.ok(checked >= seen.size * 6 * 365 * 24, `${checked} hours checked`);
});

/** UTC ms of every 2026 occurrence of each event in a feed, as ical.js expands it. */
function expand(text, until = Date.UTC(2027, 0, 1)) {
  const cal = load(text);
  const out = new Map();
  for (const ve of cal.getAllSubcomponents("vevent")) {
    const ev = new ICAL.Event(ve);
    const it = ev.iterator();
    const list = [];
    for (let next = it.next(); next; next = it.next()) {
      const ms = next.toUnixTime() * 1000;
      if (ms >= until) break;
      list.push(ms);
    }
    out.set(ev.uid, { ev, list });
  }
  return out;
}

test("every occurrence in 2026 is at its meeting's wall-clock time, per ICU", () => {
  const zones = new Set();
  for (const [site, files] of Object.entries(feeds)) {
    for (const [uid, { ev, list }] of Object.values(files).flatMap((text) => [...expand(text)])) {
      const tzid = ev.startDate.zone.tzid;
      const want = ev.startDate;
      const wantDay = WEEKDAYS[want.dayOfWeek() - 1];
      for (const ms of list) {
        const w = wallClock(tzid, ms);
        assert.deepEqual([w.h, w.mi, w.wd], [want.hour, want.minute, wantDay], `${site} ${uid} ${new Date(ms).toISOString()}`);
      }
      zones.add(tzid);
    }
  }
  for (const z of ["America/New_York", "Australia/Sydney", "Pacific/Auckland", "Australia/Lord_Howe"]) {
    assert.ok(zones.has(z), z);
  }
});

test("spot checks around DST changes on both hemispheres", () => {
  const occ = expand(feeds.zones["calendar.ics"]);
  const at = (uid) => occ.get(`${uid}@feeds.example.net`).list.map((ms) => new Date(ms).toISOString());
  const ny = at("ny-monday");
  assert.ok(ny.includes("2026-03-03T00:00:00.000Z"), "Mon 2 Mar 19:00 EST");
  assert.ok(ny.includes("2026-03-09T23:00:00.000Z"), "Mon 9 Mar 19:00 EDT");
  assert.ok(!ny.includes("2026-03-16T23:00:00.000Z"), "skipped 16 Mar");
  assert.equal(ny.length, 51);
  const syd = at("sydney-last-saturday");
  assert.ok(syd.includes("2026-03-27T21:00:00.000Z"), "Sat 28 Mar 08:00 AEDT");
  assert.ok(syd.includes("2026-04-24T22:00:00.000Z"), "Sat 25 Apr 08:00 AEST");
  assert.equal(syd.length, 12);
  const lhi = at("lord-howe-sunday");
  assert.ok(lhi.includes("2026-03-28T23:00:00.000Z"));
  assert.ok(lhi.includes("2026-04-04T23:30:00.000Z"));
  const akl = at("auckland-fortnightly");
  assert.equal(akl[0], "2026-02-04T06:30:00.000Z");
  assert.ok(akl.includes("2026-04-15T07:30:00.000Z"));
  const closed = at("closed-until-march");
  assert.equal(closed[0], "2026-03-03T00:00:00.000Z");
  const late = occ.get("st-johns-late@feeds.example.net").ev;
  assert.equal(late.endDate.day, 6);
  assert.equal(late.duration.toSeconds(), 3600);
});

test("hostile text comes back exactly and cannot start a component", () => {
  const name = readFileSync(join(ROOT, "tests/fixtures/feeds/zones/hostile-name.txt"), "utf8");
  const cal = load(feeds.zones["meetings/hostile/calendar.ics"]);
  const events = cal.getAllSubcomponents("vevent");
  assert.equal(events.length, 1);
  const ev = new ICAL.Event(events[0]);
  assert.equal(ev.summary, name);
  assert.equal([...ev.summary].length, 255); // the longest name the Meeting Guide spec allows
  assert.equal(ev.location, 'Hall: "North", Room 1; upstairs, 1 Comma, Semicolon; Backslash \\ St, Springfield');
  assert.ok(
    ev.description.includes(
      "First line, with comma; and semicolon.\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:pwned\nEmoji 🦁 and CJK 漢字 and a backslash \\ here.",
    ),
  );
  assert.deepEqual(events[0].getFirstProperty("categories").getValues(), ["Open", "Step, Tradition; \\Study\\"]);
  assert.deepEqual(
    events[0].getAllProperties("conference").map((p) => p.getFirstValue()),
    ["https://meet.example.net/j/1?a=1&b=2;c=3", "tel:+15550100,,1%23"],
  );
  assert.equal(cal.getAllSubcomponents().filter((c) => c.name !== "vtimezone").length, 1);
});
