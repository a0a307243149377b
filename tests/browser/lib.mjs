// Shared parts of the browser tests: building sites with the real `lantern` binary, a tiny static
// file server on 127.0.0.1, and Debian's chromium driven by playwright-core with every request to
// another host refused and recorded (a test fails if any page tries one).
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, extname, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CHROMIUM = '/usr/bin/chromium';
const BIN = process.env.LANTERN_BIN || join(ROOT, 'target/debug/lantern');

/** Builds the site in `siteDir` into a fresh temporary folder and returns that folder. */
export function buildSite(siteDir) {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`cargo build\` first (scripts/test does)`);
  const out = join(mkdtempSync(join(tmpdir(), 'lantern-browser-')), 'public');
  const r = spawnSync(BIN, ['build', '--site', siteDir, '--output', out, '--base-url', 'http://127.0.0.1/'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`lantern build ${siteDir} failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8', '.png': 'image/png',
};

/** Serves `dir` on 127.0.0.1 (a random port) the way a static host does: `/x/` serves `/x/index.html`. */
export async function serve(dir) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    let status = 200, body, type;
    try {
      if (!file.startsWith(root + sep) || !statSync(file).isFile()) throw new Error('not a file');
      body = readFileSync(file);
      type = TYPES[extname(file)] || 'application/octet-stream';
    } catch {
      status = 404;
      body = existsSync(join(root, '404.html')) ? readFileSync(join(root, '404.html')) : 'not found';
      type = TYPES['.html'];
    }
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

export const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Launches chromium; Playwright gives it a fresh temporary profile (--user-data-dir). */
export function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (scripts/test does)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

const LOCAL = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A browser context whose requests to any other host are aborted and recorded in
 * `context.foreign`; tests call `assertNoForeign(context)` at their end.
 */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ locale: 'en-US', ...options });
  context.foreign = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !LOCAL.has(url.hostname)) {
      context.foreign.push(url.href);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  return context;
}

export function assertNoForeign(context) {
  if (context.foreign.length) {
    throw new Error(`requests to other hosts: ${context.foreign.join(', ')}`);
  }
}

/** Removes a built site's temporary folder. */
export function removeSite(out) {
  rmSync(resolve(out, '..'), { recursive: true, force: true });
}

/**
 * The bundled example, built, served on 127.0.0.1 and with chromium launched before a test
 * file's tests run (`before`), and all of it closed and removed after (`after`). The returned
 * object's `url` and `browser` are set once `before` has run. `{ browser: false }` leaves out
 * the playwright browser (lighthouse.test.mjs launches its own chromium for Lighthouse).
 */
export function exampleSite(before, after, { browser = true, languages = null } = {}) {
  const s = {};
  before(async () => {
    s.source = languages ? exampleIn(languages) : null;
    s.out = buildSite(s.source ?? ROOT);
    s.server = await serve(s.out);
    s.url = s.server.url;
    if (browser) s.browser = await launch();
  });
  after(async () => {
    await s.browser?.close();
    await s.server?.close();
    if (s.out) removeSite(s.out);
    if (s.source) rmSync(s.source, { recursive: true, force: true });
  });
  return s;
}

/**
 * A copy of the bundled example in a temporary folder, published in `languages` (the first at
 * `/`, as `languages: [en, es]` in site.yaml). The caller removes the folder.
 */
export function exampleIn(languages) {
  const source = mkdtempSync(join(tmpdir(), 'lantern-languages-'));
  cpSync(join(ROOT, 'content'), join(source, 'content'), { recursive: true });
  const file = join(source, 'content/site.yaml');
  const yaml = readFileSync(file, 'utf8');
  if (!/^language: en$/m.test(yaml)) throw new Error(`${file} no longer has the line \`language: en\``);
  writeFileSync(file, yaml.replace(/^language: en$/m, `languages: [${languages.join(', ')}]`));
  return source;
}

/** Top edge, in page pixels, of the first visible meeting entry, or null when there is none. */
export function firstEntry(page) {
  return page.evaluate(() => {
    const el = [...document.querySelectorAll('li.meeting')].find((e) => e.offsetParent !== null);
    return el ? el.getBoundingClientRect().top + scrollY : null;
  });
}

/** Waits until the page's finder has counted its matches (its script and index have run). */
export function finderReady(page, timeout = 30000) {
  return page.waitForFunction(() => /match/.test(document.querySelector('[data-count]').textContent), null, { timeout });
}

/** The theme's scripts and the finder's index, as a slow connection delivers them late. */
export const LATE = ['**/assets/finder.js', '**/assets/time.js', '**/assets/meeting.js', '**/find/index.json'];

/**
 * Prepares `page` for measuring Cumulative Layout Shift with late scripts: every request in
 * LATE is held back `ms` milliseconds, and a layout-shift observer added before any page script
 * sums the shifts not caused by input into `window.__cls` (reset on every navigation).
 */
export async function watchLayoutShift(page, ms = 1500) {
  const late = async (route) => { await new Promise((ok) => setTimeout(ok, ms)); await route.fallback(); };
  for (const pattern of LATE) await page.route(pattern, late);
  await page.addInitScript(() => {
    window.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/**
 * Opens `url` on a page prepared with watchLayoutShift, waits until its late scripts have done
 * their work (a meeting's next dates, the finder's count) and the page has settled, and returns
 * its Cumulative Layout Shift.
 */
export async function layoutShiftOf(page, url, timeout = 10000) {
  await page.goto(url);
  if (await page.$('[data-upcoming]')) {
    await page.waitForFunction(() => document.querySelector('[data-upcoming-rows] tr'), null, { timeout });
  }
  if (await page.$('[data-finder]')) await finderReady(page, timeout);
  await page.waitForTimeout(300);
  return page.evaluate(() => window.__cls);
}

/**
 * Writes a synthetic site with `n` meetings (about one location per 12 meetings in 10 towns, 18
 * types, 10 % on several days, 30 % online, 5 % in another time zone, notes on 30 %) into a
 * fresh temporary folder and returns the folder. The same `n` gives the same site every time
 * (a seeded pseudo-random sequence), so benchmark runs and tests compare like with like. Used
 * by bench.mjs (the finder's keystroke benchmark) and large.test.mjs (the large-site goals).
 */
export function generate(n = 10000) {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];

  const dir = mkdtempSync(join(tmpdir(), 'lantern-generated-'));
  const c = join(dir, 'content');
  mkdirSync(join(c, 'locations'), { recursive: true });
  mkdirSync(join(c, 'meetings'), { recursive: true });
  writeFileSync(join(c, 'site.yaml'), 'title: Benchmark Intergroup\nbase_url: http://127.0.0.1/\nlanguage: en\ntimezone: America/Chicago\n');
  const towns = ['Springfield', 'Riverton', 'Lakeside', 'Fairview', 'Oakdale', 'Maple Grove', 'Cedar Falls', 'Hillcrest', 'Brookfield', 'Westport'];
  const hoods = ['Downtown', 'Northside', 'Southside', 'East End', 'West End'];
  const words = ['Serenity', 'Hope', 'Sunrise', 'Big Book', 'Step', 'Tradition', 'Newcomer', 'Lunch Bunch', 'Night Owls', 'Candlelight', 'Freedom', 'Gratitude', 'Promises', 'Daily', 'Courage'];
  const types = ['O', 'C', 'D', 'SP', 'B', 'ST', 'TR', 'BE', 'W', 'M', 'Y', 'S', 'X', 'MED', 'LIT', 'CAN', 'A', 'LGBTQ'];
  const days = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
  const nLoc = Math.max(10, Math.round(n / 12));
  for (let i = 0; i < nLoc; i++) {
    const town = towns[i % towns.length];
    writeFileSync(join(c, 'locations', `loc-${i}.yaml`), [
      `name: ${pick(['Grace', 'St. Mark', 'Trinity', 'Community', 'Union', 'Fellowship'])} Hall ${i}`,
      `address: ${100 + i} ${pick(['Main', 'Elm', 'Oak', 'Church', 'Lake'])} St`,
      `city: ${town}`, 'state: IL',
      `region: [County ${(i % 4) + 1}, ${town}, ${hoods[i % hoods.length]}]`,
      `latitude: ${(39 + rnd() * 2).toFixed(5)}`, `longitude: ${(-90 + rnd() * 2).toFixed(5)}`, '',
    ].join('\n'));
  }
  const perFile = 100;
  for (let f = 0; f < n / perFile; f++) {
    const rows = [];
    for (let k = 0; k < perFile && f * perFile + k < n; k++) {
      const i = f * perFile + k;
      const h = Math.floor(rnd() * 24), m = pick([0, 15, 30, 45]);
      const ts = [...new Set([pick(types), pick(types), pick(types)])];
      const kind = rnd();
      rows.push(`- name: ${pick(words)} ${pick(words)} ${i}`, `  slug: m-${i}`,
        `  day: ${rnd() < 0.1 ? `[${days.filter(() => rnd() < 0.4).join(', ') || 'monday'}]` : pick(days)}`,
        `  time: "${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}"`, `  types: [${ts.join(', ')}]`);
      if (kind < 0.8) rows.push(`  location: loc-${Math.floor(rnd() * nLoc)}`);
      if (kind >= 0.7) rows.push('  online:', `    url: https://meet.example.org/j/${i}`);
      if (kind >= 0.8) rows.push('  region: [Online]');
      if (kind >= 0.95) rows.push(`  timezone: ${pick(['America/New_York', 'America/Los_Angeles', 'Europe/London'])}`);
      if (rnd() < 0.3) rows.push(`  notes: ${pick(['Use the side door.', 'Coffee from 6:30.', 'Wheelchair ramp at the back.', 'Bring a friend.'])}`);
    }
    writeFileSync(join(c, 'meetings', `batch-${f}.yaml`), rows.join('\n') + '\n');
  }
  return dir;
}
