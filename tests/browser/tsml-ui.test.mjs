// TSML UI, the meeting finder many intergroups embed, reading Lantern's /meetings.json: the
// public bundle (tests/browser/vendor/tsml-ui, see its README) runs in chromium on a page served
// beside a build, as an intergroup would embed it. For the example and the fixture sites it must
// list every record at the day and time the record gives (converted into the page's time zone as
// TSML UI does), its day, type and region filters must select exactly the right records, and
// each meeting's detail view must open.
//
// The clock is frozen on a Wednesday in January 2027, when no zone changes its offset, so
// "this week" is the same week for every zone and nothing is "in progress" by accident.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, buildSite, serve, launch, newContext, removeSite } from './lib.mjs';

const VENDOR = join(ROOT, 'tests/browser/vendor/tsml-ui');
const NOW = '2027-01-13T15:00:00Z';
const SITES = [
  ['the example', ROOT],
  ['feeds/full', join(ROOT, 'tests/fixtures/feeds/full')],
  ['feeds/world', join(ROOT, 'tests/fixtures/feeds/world')],
  ['feeds/zones', join(ROOT, 'tests/fixtures/feeds/zones')],
  ['feeds/casablanca', join(ROOT, 'tests/fixtures/feeds/casablanca')],
  ['build/small', join(ROOT, 'tests/fixtures/build/small')],
  ['build/custom-theme', join(ROOT, 'tests/fixtures/build/custom-theme')],
];
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
// TSML UI's own slug of a filter value (src/helpers/format-slug.ts).
function slug(s) {
  s = s.trim().toLowerCase();
  const from = 'åàáãäâèéëêìíïîòóöôùúüûñç·/_,:;', to = 'aaaaaaeeeeiiiioooouuuunc------';
  for (let i = 0; i < from.length; i++) s = s.replaceAll(from[i], to[i]);
  return s.replace(/\s+/g, '-').replace(/-+/g, '-').replace(/^-+/, '').replace(/-+$/, '');
}

/** The site's time zone and custom types, read from its content/site.yaml. */
function siteConfig(dir) {
  const yaml = readFileSync(join(dir, 'content/site.yaml'), 'utf8');
  const timezone = yaml.match(/^timezone:\s*([^\s#]+)/m)?.[1] ?? 'UTC';
  const types = {};
  for (const m of yaml.matchAll(/^\s*- code:\s*(\S+)\s*\n\s+name:\s*(.+?)\s*$/gm)) types[m[1]] = m[2];
  return { timezone, types };
}

/**
 * The page an intergroup would write: the container with the feed and the site's time zone,
 * the site's custom type names (docs/meeting-guide.md), and the bundle.
 */
function embed(out, { timezone, types }) {
  mkdirSync(join(out, 'tsml-ui'), { recursive: true });
  copyFileSync(join(VENDOR, 'app.js'), join(out, 'tsml-ui/app.js'));
  const config = {
    strings: { en: { types } },
    // The example and fixtures use made-up hosts (example.org, example.net); a real site with another host than
    // TSML UI knows (zoom.us, meet.google.com, ...) adds it the same way.
    conference_providers: { 'example.org': 'Example Meet', 'example.net': 'Example Meet' },
  };
  writeFileSync(join(out, 'tsml-ui/index.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Meetings</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><div id="tsml-ui" data-src="/meetings.json" data-timezone="${timezone}"></div>
<script>var tsml_react_config = ${JSON.stringify(config)};</script>
<script src="/tsml-ui/app.js"></script></body></html>
`);
}

/**
 * Where TSML UI puts a record: its weekday and time in the ISO week (Monday first) of `now` in
 * the record's zone, shown in `display` (src/helpers/load-meeting-data.ts: luxon fromObject,
 * then setZone). Returns "Wednesday 19:00". Self-contained, so it also runs in the page
 * (`expectedIn`), with the browser's time zone data.
 */
function expectedIn([m, display, nowText]) {
  const offset = (zone, ms) => {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, +x.value]));
    return (Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - ms) / 60000;
  };
  const zone = m.timezone || display;
  const now = Date.parse(nowText);
  const local = new Date(now + offset(zone, now) * 60000);
  const isoDay = (d) => (d === 0 ? 7 : d);
  const monday = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - (isoDay(local.getUTCDay()) - 1));
  const [h, min] = m.time.split(':').map(Number);
  const wall = monday + (isoDay(m.day) - 1) * 86400000 + (h * 60 + min) * 60000;
  let ms = wall - offset(zone, wall) * 60000;
  ms = wall - offset(zone, ms) * 60000;
  const f = new Intl.DateTimeFormat('en-US', { timeZone: display, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.hour}:${p.minute}`;
}
const expected = (m, display) => expectedIn([m, display, NOW]);

/** "7:00 PM" -> "19:00" */
function h24(text) {
  const m = text.trim().match(/^(\d{1,2}):(\d{2})\s*([AP]M)$/i);
  if (!m) return text;
  let h = +m[1] % 12;
  if (m[3].toUpperCase() === 'PM') h += 12;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Opens TSML UI with `query`, shows every row (in progress, and every page of 25) and reads them. */
async function rows(page, url, query) {
  // TSML UI routes in the fragment (#/ the list, #/slug a meeting), so a new query would not
  // load the page again: start from a blank page each time.
  await page.goto('about:blank');
  await page.goto(`${url}/tsml-ui/#/${query}`);
  // Loaded: a table of meetings, TSML UI's "no results" line, or its error.
  await page.waitForFunction(() => {
    const root = document.getElementById('tsml-ui');
    return root && (root.querySelector('table tbody tr') || /No meetings were found|error/i.test(root.innerText));
  }, null, { timeout: 20000 });
  const text = await page.locator('#tsml-ui').innerText();
  const alert = /error/i.test(text) ? [text.slice(0, 300)] : [];
  const inProgress = page.locator('#tsml-ui tbody button');
  if (await inProgress.count()) await inProgress.first().click();
  // Rows arrive 25 at a time as the end of the table scrolls into view.
  // Done when two looks in a row, 200 ms apart, find no new rows (a slow machine may take
  // longer than one look to render the next 25).
  let n = -1;
  for (let still = 0; still < 2; ) {
    const count = await page.locator('#tsml-ui tbody tr').count();
    still = count === n ? still + 1 : 0;
    n = count;
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForTimeout(200);
  }
  const list = await page.$$eval('#tsml-ui tbody tr', (trs) => trs.filter((tr) => tr.querySelector('td.tsml-name a')).map((tr) => {
    const a = tr.querySelector('td.tsml-name a');
    const spans = [...tr.querySelectorAll('td.tsml-time time span')].map((s) => s.textContent);
    const slug = decodeURIComponent(a.getAttribute('href').replace(/^#\//, '').split('?')[0]);
    return { slug, time: spans[0] ?? '', day: spans[1] ?? '' };
  }));
  return { list, alert };
}

for (const [label, dir] of SITES) {
  test(`TSML UI lists every record of ${label} at its day and time, and filters right`, async (t) => {
    const out = buildSite(dir);
    const server = await serve(out);
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 }, timezoneId: siteConfig(dir).timezone });
    try {
      const config = siteConfig(dir);
      embed(out, config);
      const feed = JSON.parse(readFileSync(join(out, 'meetings.json'), 'utf8'));
      const page = await context.newPage();
      await page.clock.install({ time: new Date(NOW) });
      const warnings = [];
      page.on('console', (msg) => { if (msg.type() === 'warning' || msg.type() === 'error') warnings.push(msg.text()); });

      // Every record, once, at its day and time.
      const all = await rows(page, server.url, '');
      assert.deepEqual(all.alert.filter((a) => a.trim()), [], `TSML UI shows an alert`);
      const shown = new Map(all.list.map((r) => [r.slug, r]));
      const missing = feed.filter((m) => !shown.has(m.slug)).map((m) => m.slug);
      assert.deepEqual(missing, [], `records TSML UI leaves out (its console: ${warnings.join(' | ')})`);
      assert.equal(all.list.length, feed.length, 'rows and records');
      // Where each record belongs in the page's zone, by Node's time zone data. Where the
      // browser's own data (which TSML UI converts with) gives the zone another offset at that
      // moment, the browser's answer is what TSML UI can show: it is named, not hidden.
      const shownAt = new Map();
      const differ = [];
      for (const m of feed) {
        const node = expected(m, config.timezone);
        const browserSays = await page.evaluate(expectedIn, [m, config.timezone, NOW]);
        if (browserSays !== node) differ.push(`${m.slug} (${m.timezone}): Node ${node}, chromium ${browserSays}`);
        shownAt.set(m.slug, browserSays);
        const r = shown.get(m.slug);
        assert.equal(`${r.day} ${h24(r.time)}`, browserSays, `${m.slug}: ${m.day} ${m.time} ${m.timezone}`);
      }
      for (const d of differ) t.diagnostic(`chromium's time zone data differs from Node's here (not the feed): ${d}`);

      // The day filter: exactly the records of that day in the page's zone. TSML UI offers no
      // option whose meetings are all inactive (temporarily closed: type TC; its
      // filterInactiveOnlyOptions), so such a day or region selects nothing.
      const offered = (list) => (list.every((m) => m.types?.includes('TC')) ? [] : list);
      // TSML UI offers no filter whose every option would select every meeting (its
      // `capabilities`): a one-meeting site has no day, region or type filter to check.
      const days = new Set(feed.map((m) => shownAt.get(m.slug).split(' ')[0]));
      for (const day of days.size > 1 ? DAYS : []) {
        const want = offered(feed.filter((m) => shownAt.get(m.slug).toLowerCase().startsWith(day))).map((m) => m.slug).sort();
        const got = (await rows(page, server.url, `?weekday=${day}`)).list.map((r) => r.slug).sort();
        assert.deepEqual(got, want, `weekday=${day}`);
      }
      // The region filter, top level: the records whose region it is.
      const regions = new Set(feed.map((m) => m.region).filter(Boolean));
      for (const region of regions.size > 1 ? regions : []) {
        const want = offered(feed.filter((m) => m.region === region)).map((m) => m.slug).sort();
        const got = (await rows(page, server.url, `?region=${encodeURIComponent(slug(region))}`)).list.map((r) => r.slug).sort();
        assert.deepEqual(got, want, `region=${region}`);
      }
      // The type filter, for types that TSML UI keeps on every kind of meeting (by the names of
      // TSML UI's own type list, which its filter slugs).
      // The site's custom types come in through the page's tsml_react_config, as documented.
      const named = [['O', 'Open'], ['C', 'Closed'], ['W', 'Women'], ['LGBTQ', 'LGBTQ'], ['M', 'Men'], ['ST', 'Step Study'], ...Object.entries(config.types)];
      for (const [code, name] of named) {
        const want = feed.filter((m) => m.types?.includes(code)).map((m) => m.slug).sort();
        if (!want.length || want.length === feed.length) continue;
        const got = (await rows(page, server.url, `?type=${encodeURIComponent(slug(name))}`)).list.map((r) => r.slug).sort();
        assert.deepEqual(got, want, `type=${code}`);
      }
      // Each record's detail view opens, titled with its name.
      for (const m of feed.slice(0, 12)) {
        await page.goto('about:blank');
        await page.goto(`${server.url}/tsml-ui/#/${encodeURIComponent(m.slug)}`);
        await page.waitForSelector('#tsml-title', { timeout: 20000 });
        assert.equal((await page.locator('#tsml-title').textContent()).trim(), m.name, `${m.slug}: detail title`);
      }
    } finally {
      await context.close();
      await server.close();
      removeSite(out);
    }
  });
}
