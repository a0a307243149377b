// Finder benchmark (not a test): builds a synthetic site with 10,000 meetings, opens /find/ in
// headless chromium with the CPU slowed down 4x through the DevTools protocol (a mid-range phone
// profile), types and clicks, and reports how long each keystroke's filtering takes: from the
// `input` event to the end of the finder's handler (filter + list update), and to the next frame.
//
//   cargo build --release && LANTERN_BIN=target/release/lantern node tests/browser/bench.mjs
//
// Options: MEETINGS=10000 RUNS=5 THROTTLE=4. Results go into BENCHMARKS.md by hand.
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite, serve, launch, newContext, assertNoForeign, removeSite } from './lib.mjs';

const N = +(process.env.MEETINGS || 10000);
const RUNS = +(process.env.RUNS || 5);
const THROTTLE = +(process.env.THROTTLE || 4);

// A deterministic pseudo-random sequence, so every run builds the same site.
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];

function generate() {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-bench-'));
  const c = join(dir, 'content');
  mkdirSync(join(c, 'locations'), { recursive: true });
  mkdirSync(join(c, 'meetings'), { recursive: true });
  writeFileSync(join(c, 'site.yaml'), 'title: Benchmark Intergroup\nbase_url: http://127.0.0.1/\nlanguage: en\ntimezone: America/Chicago\n');
  const towns = ['Springfield', 'Riverton', 'Lakeside', 'Fairview', 'Oakdale', 'Maple Grove', 'Cedar Falls', 'Hillcrest', 'Brookfield', 'Westport'];
  const hoods = ['Downtown', 'Northside', 'Southside', 'East End', 'West End'];
  const words = ['Serenity', 'Hope', 'Sunrise', 'Big Book', 'Step', 'Tradition', 'Newcomer', 'Lunch Bunch', 'Night Owls', 'Candlelight', 'Freedom', 'Gratitude', 'Promises', 'Daily', 'Courage'];
  const types = ['O', 'C', 'D', 'SP', 'B', 'ST', 'TR', 'BE', 'W', 'M', 'Y', 'S', 'X', 'MED', 'LIT', 'CAN', 'A', 'LGBTQ'];
  const days = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
  const nLoc = Math.max(10, Math.round(N / 12));
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
  for (let f = 0; f < N / perFile; f++) {
    const rows = [];
    for (let k = 0; k < perFile; k++) {
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

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]; };

const siteDir = generate();
const out = buildSite(siteDir);
const index = readFileSync(join(out, 'find/index.json'));
console.log(`site: ${N} meetings; find/index.json ${index.length} bytes, ${gzipSync(index).length} gzipped`);
const server = await serve(out);
const browser = await launch();
const handler = [], frame = [], loads = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await newContext(browser, { timezoneId: 'America/Chicago', viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    await page.addInitScript(() => {
      window.__times = [];
      document.addEventListener('input', () => { window.__t0 = performance.now(); }, true);
      window.addEventListener('input', () => {
        const t1 = performance.now();
        requestAnimationFrame(() => setTimeout(() => window.__times.push([t1 - window.__t0, performance.now() - window.__t0]), 0));
      });
    });
    const t = Date.now();
    await page.goto(`${server.url}/find/`);
    await page.waitForFunction(() => /match/.test(document.querySelector('[data-count]').textContent), null, { timeout: 120000 });
    loads.push(Date.now() - t);
    // Keystrokes one by one, then clicks, then deleting the text again.
    await page.click('#f-search');
    for (const ch of 'grace hall main') await page.keyboard.type(ch, { delay: 30 });
    await page.check('input[name=weekday][value=monday]');
    await page.check('input[name=time][value=evening]');
    await page.click('.finder-more summary');
    await page.check('input[name=type][value=in-person]');
    await page.check('input[name=type][value=open]');
    await page.fill('#f-search', '');
    for (const ch of '"big book"') await page.keyboard.type(ch, { delay: 30 });
    for (let i = 0; i < 10; i++) await page.keyboard.press('Backspace', { delay: 30 });
    await page.waitForTimeout(300);
    const times = await page.evaluate(() => window.__times);
    for (const [h, f] of times) { handler.push(h); frame.push(f); }
    assertNoForeign(context);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
  removeSite(out);
  rmSync(siteDir, { recursive: true, force: true });
}
const fmt = (x) => x.toFixed(1);
console.log(`chromium, CPU throttled ${THROTTLE}x, ${RUNS} runs, ${handler.length} input events`);
console.log(`per keystroke, input event -> list updated: median ${fmt(median(handler))} ms, p95 ${fmt(p95(handler))} ms, max ${fmt(Math.max(...handler))} ms`);
console.log(`per keystroke, input event -> next frame:   median ${fmt(median(frame))} ms, p95 ${fmt(p95(frame))} ms, max ${fmt(Math.max(...frame))} ms`);
console.log(`page load to finder ready (throttled): median ${median(loads)} ms`);
