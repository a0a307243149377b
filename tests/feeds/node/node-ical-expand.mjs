// Expands the events of iCalendar files with node-ical (npm), for tests/feeds/test_readers.py,
// which holds the expectations and the table of node-ical's known bugs.
//
//   node node-ical-expand.mjs FROM TO FILE...     FROM and TO are Unix times (UTC)
//
// For every occurrence node-ical's own expandRecurringEvent() returns in [FROM, TO) prints
//   FILE<TAB>UID<TAB>START<TAB>END
// with START and END as Unix times. node-ical resolves a TZID that is an IANA name through the
// IANA data of Node's ICU, not through the VTIMEZONE.
import { readFileSync } from "node:fs";
import ical from "node-ical";

const [from, to, ...files] = process.argv.slice(2);
const range = { from: new Date(Number(from) * 1000), to: new Date(Number(to) * 1000) };
const lines = [];
for (const file of files) {
  const parsed = ical.sync.parseICS(readFileSync(file, "utf8"));
  for (const event of Object.values(parsed)) {
    if (event.type !== "VEVENT") continue;
    for (const occ of ical.expandRecurringEvent(event, range)) {
      const start = occ.start.getTime() / 1000;
      if (start < range.from.getTime() / 1000 || start >= range.to.getTime() / 1000) continue;
      lines.push(`${file}\t${event.uid}\t${start}\t${occ.end.getTime() / 1000}`);
    }
  }
}
process.stdout.write(lines.join("\n") + (lines.length ? "\n" : ""));
