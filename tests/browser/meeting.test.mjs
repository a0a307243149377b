// A meeting page in the browser: its next few dates from the visitor's clock, the visitor's own
// time where their zone differs, and lists that start at today. Clocks and zones are mocked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext, assertNoForeign, exampleSite } from './lib.mjs';

const site = exampleSite(before, after);

async function withPage({ clock, ...options }, fn) {
  const context = await newContext(site.browser, { timezoneId: 'America/Chicago', ...options });
  try {
    await context.clock.setFixedTime(clock);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await fn(page);
    assert.deepEqual(errors, [], 'script errors on the page');
    assertNoForeign(context);
  } finally {
    await context.close();
  }
}

/** The next-dates table as text rows, and whether the visitor's column is shown. */
async function upcoming(page, path) {
  await page.goto(`${site.url}${path}`);
  await page.waitForFunction(() => document.querySelectorAll('[data-upcoming-rows] tr').length > 0);
  return page.evaluate(() => ({
    head: [...document.querySelectorAll('.upcoming-dates th')].filter((e) => !e.hidden).map((e) => e.textContent),
    rows: [...document.querySelectorAll('[data-upcoming-rows] tr')].map((tr) => [...tr.cells].map((c) => c.textContent)),
  }));
}

// Wednesday 2 December 2026, noon in Chicago.
const WED_NOON = new Date('2026-12-02T18:00:00Z');

test('an every-other-week meeting lists its next four dates in its own zone', async () => {
  await withPage({ clock: WED_NOON }, async (page) => {
    const t = await upcoming(page, '/meetings/every-other-monday-big-book/');
    // Every other Monday from 5 January 2026: 7 and 21 December, 4 and 18 January.
    assert.deepEqual(t.head, ['Date', 'Chicago time']);
    assert.deepEqual(t.rows, [
      ['Mon, Dec 7', '7:00 pm'], ['Mon, Dec 21', '7:00 pm'], ['Mon, Jan 4', '7:00 pm'], ['Mon, Jan 18', '7:00 pm'],
    ]);
  });
});

test('a visitor in another zone also sees their own time, with their weekday when it differs', async () => {
  await withPage({ clock: WED_NOON, timezoneId: 'Europe/London' }, async (page) => {
    const t = await upcoming(page, '/meetings/every-other-monday-big-book/');
    assert.deepEqual(t.head, ['Date', 'Chicago time', 'Your time']);
    assert.deepEqual(t.rows[0], ['Mon, Dec 7', '7:00 pm', 'Tue 1:00 am']);
  });
});

test('a meeting in progress is still its next date; one that has ended is not', async () => {
  // Thursday 3 December 2026, 18:30 in Chicago: the 18:00 Thursday Step Study is under way.
  await withPage({ clock: new Date('2026-12-04T00:30:00Z') }, async (page) => {
    const t = await upcoming(page, '/meetings/library-step-study/');
    assert.deepEqual(t.rows.map((r) => r[0]), ['Thu, Dec 3', 'Thu, Dec 10', 'Thu, Dec 17', 'Thu, Dec 24']);
  });
  // Two hours later it has ended.
  await withPage({ clock: new Date('2026-12-04T02:30:00Z') }, async (page) => {
    const t = await upcoming(page, '/meetings/library-step-study/');
    assert.equal(t.rows[0][0], 'Thu, Dec 10');
  });
});

test('without JavaScript the next dates are not shown, the weekly schedule is', async () => {
  const context = await newContext(site.browser, { javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(`${site.url}/meetings/library-step-study/`);
    assert.equal(await page.locator('.upcoming').isVisible(), false);
    assert.match(await page.locator('.when-times').innerText(), /Thursday/);
  } finally {
    await context.close();
  }
});

test('with JavaScript a region, location or type list starts at today; without, at Sunday', async () => {
  const paths = ['/regions/lake-marren-county/', '/types/open/', '/locations/marren-city-public-library/'];
  const firstDays = (page) => page.evaluate(() => [...document.querySelectorAll('[data-week] > .day')].map((s) => s.dataset.day));
  await withPage({ clock: WED_NOON }, async (page) => {
    for (const path of paths) {
      await page.goto(`${site.url}${path}`);
      const days = await firstDays(page);
      const keys = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
      // The same days, in week order from Wednesday.
      const expected = [...days].sort((a, b) => ((keys.indexOf(a) - 3 + 7) % 7) - ((keys.indexOf(b) - 3 + 7) % 7));
      assert.ok(days.length > 1, `${path}: ${days}`);
      assert.deepEqual(days, expected, path);
      assert.ok(days[0] !== 'sunday' || !days.includes('wednesday'), path);
    }
  });
  const context = await newContext(site.browser, { javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(`${site.url}${paths[0]}`);
    const days = await firstDays(page);
    assert.equal(days[0], 'sunday');
  } finally {
    await context.close();
  }
});
