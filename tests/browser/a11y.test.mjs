// axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every page type of the bundled example, on a
// phone (390x844) and a desktop (1280x800) screen, in light and dark mode, with and without
// JavaScript, plus checks axe cannot make: zoom to 200 % (no sideways scrolling), visible
// keyboard focus, and reduced motion.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { newContext, assertNoForeign, exampleSite } from './lib.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PAGES = [
  '/', '/find/', '/find/?weekday=monday&type=open',
  // A meeting page of each kind: in person, online, hybrid, temporarily closed.
  '/meetings/grupo-nueva-vida/', '/meetings/online-sunrise/', '/meetings/monday-night-serenity/',
  '/meetings/harbor-lights/',
  '/days/', '/regions/', '/locations/', '/types/',
  '/days/monday/', '/regions/lake-marren-county/', '/locations/grace-methodist-church/', '/types/open/',
  '/newcomers/', '/does-not-exist/',
];
// A phone and a desktop screen, each in light and dark mode (prefers-color-scheme).
const SCREENS = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 } },
};
const SCHEMES = ['light', 'dark'];

const site = exampleSite(before, after);

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
  }, TAGS);
}

async function ready(page) {
  // Pages with the finder: wait until it has loaded its index and shown itself.
  if (await page.$('[data-finder]')) {
    await page.waitForFunction(() => /match/.test(document.querySelector('[data-count]').textContent));
  }
  // Meeting pages: wait until meeting.js has filled the next dates, so axe sees the table.
  if (await page.$('[data-upcoming-rows]')) {
    await page.waitForFunction(() => document.querySelectorAll('[data-upcoming-rows] tr').length > 0);
  }
}

for (const [screen, screenOptions] of Object.entries(SCREENS)) for (const colorScheme of SCHEMES) for (const js of [true, false]) {
  test(`axe finds no WCAG A/AA violation on a ${screen} in ${colorScheme} mode ${js ? 'with' : 'without'} JavaScript`, async () => {
    const context = await newContext(site.browser, {
      ...screenOptions,
      colorScheme,
      timezoneId: 'America/Chicago',
      geolocation: { latitude: 39.652, longitude: -87.741 },
      permissions: ['geolocation'],
    });
    try {
      const page = await context.newPage();
      const problems = [];
      for (const path of PAGES) {
        // axe itself needs scripts; "without JavaScript" means the page's own scripts are blocked.
        if (!js) await page.route('**/assets/finder.js', (r) => r.abort());
        await page.goto(`${site.url}${path}`);
        if (js) await ready(page);
        // Also check the finder's dynamic parts: more filters open, near me on (and hovered).
        if (js && path.startsWith('/find/')) {
          await page.evaluate(() => { document.querySelector('.finder-more').open = true; });
          await page.click('[data-near]');
          await page.waitForFunction(() => document.querySelector('[data-near]').getAttribute('aria-pressed') === 'true');
        }
        // The page is seen as asked: the screen's width and the colour scheme the theme follows.
        const seen = await page.evaluate(() => ({ width: innerWidth, dark: matchMedia('(prefers-color-scheme: dark)').matches }));
        assert.deepEqual(seen, { width: screenOptions.viewport.width, dark: colorScheme === 'dark' }, path);
        for (const v of await axe(page)) problems.push(`${path}: ${v}`);
        // A phone folds the menu: check it unfolded too (once; it is the same on every page).
        if (screen === 'phone' && path === '/') {
          await page.click('.nav-fold summary');
          for (const v of await axe(page)) problems.push(`${path} (menu open): ${v}`);
        }
        if (!js) await page.unroute('**/assets/finder.js');
      }
      assert.deepEqual(problems, []);
      assertNoForeign(context);
    } finally {
      await context.close();
    }
  });
}

test('pages reflow at 200 % zoom (320 CSS px wide) without sideways scrolling', async () => {
  const context = await newContext(site.browser, { viewport: { width: 320, height: 640 } });
  try {
    const page = await context.newPage();
    const wide = [];
    for (const path of PAGES) {
      await page.goto(`${site.url}${path}`);
      await ready(page);
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      if (w > 320) wide.push(`${path}: ${w}px`);
    }
    assert.deepEqual(wide, []);
    assertNoForeign(context);
  } finally {
    await context.close();
  }
});

test('the finder works from the keyboard with a visible focus indicator', async () => {
  const context = await newContext(site.browser, { timezoneId: 'America/Chicago' });
  try {
    const page = await context.newPage();
    await page.goto(`${site.url}/find/`);
    await ready(page);
    await page.focus('#f-search');
    const focused = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(() => {
        const el = document.activeElement;
        const target = el.closest('label') && el.matches('input[type=checkbox]') ? el.closest('label') : el;
        // A list entry's link covers the whole entry, and so does its focus ring.
        const s = getComputedStyle(target, el.matches('.meeting-name a') ? '::after' : null);
        return { name: el.name || el.tagName, value: el.value || '', outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
      });
      focused.push(info);
    }
    const noOutline = focused.filter((f) => !f.outline);
    assert.deepEqual(noOutline, [], 'focused elements without a visible outline');
    // Typing a day's first letters on the focused day choice filters.
    await page.focus('#f-day');
    await page.keyboard.type('Mon');
    await page.waitForURL(/weekday=monday/);
    assert.equal(await page.inputValue('#f-day'), 'monday');
    assertNoForeign(context);
  } finally {
    await context.close();
  }
});
