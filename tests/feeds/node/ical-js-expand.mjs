// Expands the events of iCalendar files with ical.js (the parser Thunderbird uses), for
// tests/feeds/test_readers.py, which holds the expectations and the table of known bugs.
//
//   node ical-js-expand.mjs FROM TO FILE...     FROM and TO are Unix times (UTC)
//
// For every occurrence in [FROM, TO) prints FILE<TAB>UID<TAB>START<TAB>END (Unix times).
// Zones are interpreted by ical.js from each file's own VTIMEZONEs.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [from, to, ...files] = process.argv.slice(2);
const lines = [];
for (const file of files) {
  const text = readFileSync(file, "utf8");
  ICAL.TimezoneService.reset();
  for (const vtz of new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtz);
  }
  // Parsed again so that every TZID resolves to the registered definition.
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const ve of cal.getAllSubcomponents("vevent")) {
    const ev = new ICAL.Event(ve);
    const it = ev.iterator();
    for (let next = it.next(); next; next = it.next()) {
      const start = next.toUnixTime();
      if (start >= Number(to)) break;
      if (start < Number(from)) continue;
      const end = ev.getOccurrenceDetails(next).endDate.toUnixTime();
      lines.push(`${file}\t${ev.uid}\t${start}\t${end}`);
    }
  }
}
process.stdout.write(lines.join("\n") + (lines.length ? "\n" : ""));
