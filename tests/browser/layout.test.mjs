// The visitor's first screen: the first meeting entry is near the top on a phone, with and
// without JavaScript, and nothing moves when the finder's script and index arrive late.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext, assertNoForeign, exampleSite, firstEntry, finderReady, watchLayoutShift, layoutShiftOf } from './lib.mjs';

const site = exampleSite(before, after);

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
          if (js) await finderReady(page);
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
    await watchLayoutShift(page);
    for (const path of ['/', '/find/', '/days/', '/days/wednesday/', '/meetings/lakeshore-newcomers/',
      '/meetings/every-other-monday-big-book/', '/regions/', '/regions/lake-marren-county/', '/types/',
      '/types/open/', '/locations/', '/locations/marren-city-public-library/', '/about/', '/no-such-page/']) {
      const cls = await layoutShiftOf(page, `${site.url}${path}`);
      assert.ok(cls < 0.05, `${path}: layout shift ${cls.toFixed(3)}`);
    }
    assertNoForeign(context);
  } finally {
    await context.close();
  }
});

// On paper (the print stylesheet): a region page of 27 meetings fits on two Letter pages, with
// no buttons, chips, navigation or join links printed, and every meeting's name and place.
test('a region page of 27 meetings prints on at most two Letter pages, without buttons or navigation', async () => {
  const context = await newContext(site.browser, { timezoneId: 'America/Chicago' });
  try {
    const page = await context.newPage();
    await page.goto(`${site.url}/regions/lake-marren-county/`);
    await page.emulateMedia({ media: 'print' });
    const shown = await page.evaluate(() => {
      const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
      return {
        meetings: [...document.querySelectorAll('.meeting')].filter(visible).length,
        places: [...document.querySelectorAll('.meeting-where')].filter(visible).length,
        tappable: [...document.querySelectorAll('.button, .chips, .site-header nav, .print-list, .feeds')].filter(visible).length,
      };
    });
    assert.equal(shown.meetings, 27);
    assert.equal(shown.places, 27);
    assert.equal(shown.tappable, 0, 'buttons, chips or navigation on paper');
    const pdf = await page.pdf({ format: 'Letter', preferCSSPageSize: true });
    // Each page of Chromium's PDF is one `/Type /Page` object.
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert.ok(pages >= 1 && pages <= 2, `${pages} pages`);
  } finally {
    await context.close();
  }
});
