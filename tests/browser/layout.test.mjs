// The visitor's first screen: the first meeting entry is near the top on a phone, with and
// without JavaScript, and nothing moves when the finder's script and index arrive late.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext, assertNoForeign, exampleSite } from './lib.mjs';

const site = exampleSite(before, after);

/** Top edge, in page pixels, of the first visible meeting entry. */
function firstEntry(page) {
  return page.evaluate(() => {
    const el = [...document.querySelectorAll('li.meeting')].find((e) => e.offsetParent !== null);
    return el ? el.getBoundingClientRect().top + scrollY : null;
  });
}

for (const [width, height, limit] of [[390, 844, 400], [320, 568, 568]]) {
  for (const js of [true, false]) {
    test(`at ${width}x${height} ${js ? 'with' : 'without'} JavaScript the first meeting starts within ${limit} px`, async () => {
      const context = await newContext(site.browser, {
        viewport: { width, height }, javaScriptEnabled: js, timezoneId: 'America/Chicago',
      });
      try {
        const page = await context.newPage();
        for (const path of ['/', '/find/']) {
          await page.goto(`${site.url}${path}`);
          if (js) await page.waitForFunction(() => /match/.test(document.querySelector('[data-count]').textContent));
          const top = await firstEntry(page);
          assert.ok(top !== null && top <= limit, `${path}: first meeting at ${top} px`);
        }
        assertNoForeign(context);
      } finally {
        await context.close();
      }
    });
  }
}

for (const [width, height] of [[390, 844], [1280, 800]]) test(`at ${width}x${height} nothing moves when the scripts arrive 1.5 s late (Cumulative Layout Shift under 0.05)`, async () => {
  const context = await newContext(site.browser, { viewport: { width, height }, timezoneId: 'America/Chicago' });
  try {
    const page = await context.newPage();
    const late = async (route) => { await new Promise((ok) => setTimeout(ok, 1500)); await route.fallback(); };
    await page.route('**/assets/finder.js', late);
    await page.route('**/assets/time.js', late);
    await page.route('**/assets/meeting.js', late);
    await page.route('**/find/index.json', late);
    await page.addInitScript(() => {
      window.__cls = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    for (const path of ['/', '/find/', '/days/', '/days/wednesday/', '/meetings/lakeshore-newcomers/',
      '/meetings/every-other-monday-big-book/', '/regions/', '/regions/lake-marren-county/', '/types/',
      '/types/open/', '/locations/', '/locations/marren-city-public-library/', '/about/', '/no-such-page/']) {
      await page.goto(`${site.url}${path}`);
      if (await page.$('[data-upcoming]')) {
        await page.waitForFunction(() => document.querySelector('[data-upcoming-rows] tr'), null, { timeout: 10000 });
      }
      if (await page.$('[data-finder]')) {
        await page.waitForFunction(() => /match/.test(document.querySelector('[data-count]').textContent), null, { timeout: 10000 });
      }
      await page.waitForTimeout(300);
      const cls = await page.evaluate(() => window.__cls);
      assert.ok(cls < 0.05, `${path}: layout shift ${cls.toFixed(3)}`);
    }
    assertNoForeign(context);
  } finally {
    await context.close();
  }
});
