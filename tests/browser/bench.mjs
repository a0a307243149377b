// Finder benchmark (not a test): builds a synthetic site with 10,000 meetings, opens /find/ in
// headless chromium with the CPU slowed down 4x through the DevTools protocol (a mid-range phone
// profile), types and clicks, and reports how long each keystroke's filtering takes: from the
// `input` event to the end of the finder's handler (filter + list update), and to the next frame.
//
//   cargo build --release && LANTERN_BIN=target/release/lantern node tests/browser/bench.mjs
//
// Options: MEETINGS=10000 RUNS=5 THROTTLE=4, DETAIL=1 (the times of each input event in turn).
// Results go into BENCHMARKS.md by hand.
import { readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { generate, buildSite, serve, launch, newContext, assertNoForeign, removeSite } from './lib.mjs';

const N = +(process.env.MEETINGS || 10000);
const RUNS = +(process.env.RUNS || 5);
const THROTTLE = +(process.env.THROTTLE || 4);

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]; };

const siteDir = generate(N);
const out = buildSite(siteDir);
const index = readFileSync(join(out, 'find/index.json'));
console.log(`site: ${N} meetings; find/index.json ${index.length} bytes, ${gzipSync(index).length} gzipped`);
const server = await serve(out);
const browser = await launch();
const handler = [], frame = [], loads = [], events = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await newContext(browser, { timezoneId: 'America/Chicago', viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    await page.addInitScript(() => {
      window.__times = [];
      document.addEventListener('input', () => { window.__t0 = performance.now(); }, true);
      window.addEventListener('input', (e) => {
        // t0 is read now: the next keystroke may overwrite it before the frame comes.
        const t0 = window.__t0, t1 = performance.now();
        const what = e.target.type === 'checkbox' ? `${e.target.value} ${e.target.checked ? 'on' : 'off'}` : `${e.target.name}=${e.target.value}`;
        requestAnimationFrame(() => setTimeout(() => window.__times.push([t1 - t0, performance.now() - t0, what]), 0));
      });
    });
    const t = Date.now();
    await page.goto(`${server.url}/find/`);
    await page.waitForFunction(() => /match/.test(document.querySelector('[data-count]').textContent), null, { timeout: 120000 });
    loads.push(Date.now() - t);
    // Keystrokes one by one, then clicks, then deleting the text again.
    await page.click('#f-search');
    for (const ch of 'grace hall main') await page.keyboard.type(ch, { delay: 30 });
    await page.selectOption('#f-day', 'monday');
    await page.selectOption('#f-time', 'evening');
    await page.click('.finder-more summary');
    await page.check('input[name=type][value=in-person]');
    await page.check('input[name=type][value=open]');
    await page.fill('#f-search', '');
    for (const ch of '"big book"') await page.keyboard.type(ch, { delay: 30 });
    for (let i = 0; i < 10; i++) await page.keyboard.press('Backspace', { delay: 30 });
    await page.waitForTimeout(300);
    const times = await page.evaluate(() => window.__times);
    times.forEach(([h, f, what], i) => {
      handler.push(h); frame.push(f);
      (events[i] ||= { what, handler: [], frame: [] }).handler.push(h);
      events[i].frame.push(f);
    });
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
if (process.env.DETAIL) {
  console.log('each input event, median over the runs: list updated / next frame (ms)');
  for (const e of events) console.log(`  ${e.what.padEnd(32)} ${fmt(median(e.handler)).padStart(6)} ${fmt(median(e.frame)).padStart(7)}`);
}
