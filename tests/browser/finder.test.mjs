// The finder on a fixture with known answers (tests/fixtures/finder/known), and the bundled
// example without JavaScript. Times are checked with a mocked clock and time zone, "near me"
// with a mocked position. Every page must load nothing from another host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { ROOT, buildSite, serve, launch, newContext, assertNoForeign, removeSite } from './lib.mjs';

// Tuesday 17 November 2026, 17:00 in Chicago (23:00 UTC); no DST change in the coming week.
const NOW = new Date('2026-11-17T23:00:00Z');
// Union Hall, Springfield.
const HALL = { latitude: 39.8017, longitude: -89.6436 };
// Every fixture meeting in order of its next occurrence after NOW, seen from Chicago.
const ALL = ['tue-evening', 'multi', 'wed-night', 'thu-closed', 'fri-far', 'sat-london', 'late',
  'sun-spanish', 'mon-morning', 'mon-noon', 'tue-lunch'];

let browser, fixture, example, fixtureOut, exampleOut;
before(async () => {
  fixtureOut = buildSite(join(ROOT, 'tests/fixtures/finder/known'));
  exampleOut = buildSite(ROOT);
  fixture = await serve(fixtureOut);
  example = await serve(exampleOut);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await fixture?.close();
  await example?.close();
  if (fixtureOut) removeSite(fixtureOut);
  if (exampleOut) removeSite(exampleOut);
});

/** Runs `fn(page, context)` in a fresh context (Chicago, mocked clock unless `clock: false`). */
async function withPage(options, fn) {
  const { clock = NOW, ...rest } = options;
  const context = await newContext(browser, { timezoneId: 'America/Chicago', ...rest });
  try {
    if (clock) await context.clock.setFixedTime(clock);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await fn(page, context);
    assert.deepEqual(errors, [], 'script errors on the page');
    assertNoForeign(context);
  } finally {
    await context.close();
  }
}

/** Opens the finder at `query` and waits until it shows its results. */
async function open(page, query = '', path = '/find/') {
  await page.goto(`${fixture.url}${path}${query}`);
  await page.waitForFunction(() => {
    const c = document.querySelector('[data-count]');
    return c && !c.closest('[hidden]') && /match/.test(c.textContent);
  });
}

/** Slugs of the listed results, in order. */
function slugs(page) {
  return page.$$eval('[data-results] .meeting-name a', (as) =>
    as.map((a) => a.getAttribute('href').replace(/^\/meetings\/|\/$/g, '')));
}

const sorted = (xs) => [...xs].sort();

test('with no filter the finder lists every meeting, soonest first', async () => {
  await withPage({}, async (page) => {
    await open(page);
    assert.deepEqual(await slugs(page), ALL);
    assert.equal(await page.textContent('[data-count]'), '11 meetings match.');
    // The home page has the same finder; the static week schedule gives way to it.
    await open(page, '', '/');
    assert.deepEqual(await slugs(page), ALL);
    assert.equal(await page.isVisible('.schedule'), false);
  });
});

test('each filter from the URL gives the known meetings', async () => {
  const cases = {
    '?weekday=monday': ['multi', 'mon-morning', 'mon-noon'],
    '?weekday=monday/friday': ['multi', 'fri-far', 'mon-morning', 'mon-noon'],
    '?weekday=1': ['multi', 'mon-morning', 'mon-noon'], // the widgets' numeric days
    '?time=morning': ['sat-london', 'sun-spanish', 'mon-morning'],
    '?time=midday': ['multi', 'mon-noon', 'tue-lunch'],
    '?time=evening': ['tue-evening', 'thu-closed', 'fri-far'],
    '?time=night': ['wed-night', 'sat-london', 'late'], // 04:00 is both night and morning
    '?time=morning/night': ['wed-night', 'sat-london', 'late', 'sun-spanish', 'mon-morning'],
    '?type=in-person': ['tue-evening', 'multi', 'thu-closed', 'fri-far', 'late', 'mon-morning', 'mon-noon', 'tue-lunch'],
    '?type=online': ['tue-evening', 'wed-night', 'sat-london', 'sun-spanish'],
    '?type=hybrid': ['tue-evening'],
    '?type=open/discussion': ['sat-london', 'mon-morning'],
    '?type=closed': ['fri-far', 'late', 'mon-noon'],
    '?type=spanish/online': ['sun-spanish'],
    '?region=northside': ['multi', 'thu-closed', 'mon-noon'],
    '?region=springfield': ['tue-evening', 'multi', 'thu-closed', 'late', 'mon-morning', 'mon-noon', 'tue-lunch'],
    '?region=sangamon-county': ['tue-evening', 'multi', 'thu-closed', 'late', 'mon-morning', 'mon-noon', 'tue-lunch'],
    '?region=online/peoria': ['wed-night', 'fri-far', 'sat-london', 'sun-spanish'],
    // Two regions are called Downtown: their keys are whole paths.
    '?region=sangamon-county--springfield--downtown': ['tue-evening', 'late', 'mon-morning', 'tue-lunch'],
    '?region=peoria-county--peoria--downtown': ['fri-far'],
    '?region=downtown': [],
    '?search=%22big%20book%22': ['fri-far'],
    '?search=book%20barn': ['fri-far'],
    '?search=%22how%20it%20works%22': ['wed-night'],
    '?search=reunion': ['sun-spanish'], // accents do not matter: "Reunión en línea"
    '?search=meditation': ['multi'], // type names are searched
    '?search=elm': ['multi', 'thu-closed', 'mon-noon'], // addresses are searched
    '?search=nothing-like-this': [],
    '?weekday=monday&time=midday&type=open': ['multi'],
    '?weekday=saturday&time=morning&type=online': ['sat-london'],
    '?region=springfield&time=evening&search=newcomer': ['tue-evening'],
    '?type=no-such-type': [],
  };
  await withPage({}, async (page) => {
    for (const [query, want] of Object.entries(cases)) {
      await open(page, query);
      assert.deepEqual(await slugs(page), want, query);
      const count = await page.textContent('[data-count]');
      const expect = want.length === 0 ? 'No meetings match. Try removing a filter.'
        : want.length === 1 ? '1 meeting matches.' : `${want.length} meetings match.`;
      assert.equal(count, expect, query);
    }
  });
});

test('clicking and typing filter, update the URL, and back/forward restore the state', async () => {
  await withPage({}, async (page) => {
    await open(page);
    await page.selectOption('#f-day', 'monday');
    await page.waitForURL(/\?weekday=monday$/);
    assert.deepEqual(await slugs(page), ['multi', 'mon-morning', 'mon-noon']);
    await page.selectOption('#f-time', 'midday');
    await page.waitForURL(/\?weekday=monday&time=midday$/);
    await page.locator('.finder-more summary').click();
    await page.getByRole('checkbox', { name: /^Open/ }).check();
    assert.deepEqual(await slugs(page), ['multi']);
    await page.waitForURL(/\?weekday=monday&time=midday&type=open$/);
    await page.selectOption('#f-region', 'northside');
    await page.waitForURL(/region=northside/);
    assert.deepEqual(await slugs(page), ['multi']);
    // The announced count follows (it waits for a pause when typing).
    await page.fill('#f-search', 'reflections');
    await page.waitForURL(/search=reflections/);
    await page.waitForFunction(() => document.querySelector('[data-count]').textContent === '1 meeting matches.');

    await page.fill('#f-search', 'reflection'); // the same run of typing: no new entry
    await page.waitForURL(/search=reflection$/);

    await page.goBack(); // before the typing
    await page.waitForFunction(() => location.search.endsWith('region=northside&type=open'));
    assert.equal(await page.inputValue('#f-search'), '');
    assert.equal(await page.inputValue('#f-region'), 'northside');
    await page.goBack(); // before the region was chosen
    await page.waitForFunction(() => !location.search.includes('region'));
    assert.equal(await page.inputValue('#f-region'), '');
    assert.equal(await page.isChecked('input[name=type][value=open]'), true);
    await page.goBack();
    await page.waitForFunction(() => location.search === '?weekday=monday&time=midday');
    assert.equal(await page.isChecked('input[name=type][value=open]'), false);
    assert.deepEqual(await slugs(page), ['multi', 'mon-noon']);
    await page.goForward();
    await page.waitForFunction(() => location.search.endsWith('type=open'));
    assert.deepEqual(await slugs(page), ['multi']);

    // A shared link restores the form.
    await open(page, '?weekday=today/friday&time=evening&type=in-person&region=springfield&search=%22newcomer%20evening%22');
    // One select cannot show two days: it shows none picked, and the link's days still apply.
    assert.equal(await page.inputValue('#f-day'), '');
    assert.equal(await page.inputValue('#f-time'), 'evening');
    assert.equal(await page.isChecked('input[name=type][value=in-person]'), true);
    assert.equal(await page.inputValue('#f-region'), 'springfield');
    assert.equal(await page.inputValue('#f-search'), '"newcomer evening"');
    assert.deepEqual(await slugs(page), ['tue-evening']);

    await page.click('[data-clear]');
    await page.waitForFunction(() => location.search === '');
    assert.deepEqual(await slugs(page), ALL);

    // Nothing of the search is kept anywhere but in the URL.
    const kept = await page.evaluate(() => ({
      cookie: document.cookie, local: localStorage.length, session: sessionStorage.length,
    }));
    assert.deepEqual(kept, { cookie: '', local: 0, session: 0 });
    assert.deepEqual(await page.context().cookies(), []);
  });
});

test('"today" and "upcoming" follow the visitor\'s clock and each meeting\'s time zone', async () => {
  // Tuesday 17:00 in Chicago.
  await withPage({}, async (page) => {
    await open(page, '?weekday=today');
    assert.deepEqual(await slugs(page), ['tue-evening', 'tue-lunch']);
    assert.equal(await page.textContent('[data-results] li:first-child .when-day'), 'Today');
    await open(page, '?time=upcoming');
    assert.deepEqual(await slugs(page), ['tue-evening']);
  });
  // The same instant in London is Tuesday 23:00: the Chicago meeting at 18:30 starts at 00:30
  // London time, so it is upcoming but not "today"; both times are shown.
  await withPage({ timezoneId: 'Europe/London' }, async (page) => {
    await open(page, '?time=upcoming');
    assert.deepEqual(await slugs(page), ['tue-evening']);
    const when = await page.textContent('[data-results] li:first-child .meeting-time');
    assert.match(when, /Tomorrow/);
    assert.match(when, /12:30 am/);
    assert.match(when, /12:30 am \(your time\)Tuesday 6:30 pm, Chicago time/);
    await open(page, '?weekday=today');
    assert.deepEqual(await slugs(page), ['tue-lunch']); // Tuesday 12:00 Chicago = 18:00 London
    await open(page, '?weekday=saturday&time=morning');
    assert.deepEqual(await slugs(page), ['sat-london']);
    // Friday 19:00 in Chicago is Saturday 01:00 in London.
    await open(page, '?weekday=saturday&time=night');
    assert.deepEqual(await slugs(page), ['fri-far']);
    const far = await page.textContent('[data-results] li:first-child .meeting-time');
    assert.match(far, /Saturday 1:00 am/);
    assert.match(far, /Friday 7:00 pm, Chicago time/);
  });
});

test('a meeting in progress stays listed until it ends', async () => {
  // Tuesday 18:40 in Chicago: the 18:30 to 19:30 meeting is under way.
  await withPage({ clock: new Date('2026-11-18T00:40:00Z') }, async (page) => {
    await open(page);
    assert.equal((await slugs(page))[0], 'tue-evening');
    assert.equal(await page.textContent('[data-results] li:first-child .when-day'), 'In progress until 7:30 pm');
    await open(page, '?time=upcoming');
    assert.deepEqual(await slugs(page), ['tue-evening']);
    await open(page, '?time=tonight');
    assert.ok((await slugs(page)).includes('tue-evening'));
  });
});

test('when nothing matches, the next meeting that fits the rest is named', async () => {
  // Tuesday 17:00 in Chicago: nothing on a Wednesday morning matches "newcomer evening".
  await withPage({}, async (page) => {
    await open(page, '?weekday=wednesday&time=morning&search=%22newcomer%20evening%22');
    assert.deepEqual(await slugs(page), ['tue-evening']);
    assert.match(await page.textContent('[data-count]'), /No meetings match\. The next one/);
  });
});

test('search words for a time, apostrophes and plurals do something sensible', async () => {
  await withPage({}, async (page) => {
    await open(page, '?search=tonight');
    const tonight = await slugs(page);
    assert.ok(tonight.includes('tue-evening'), tonight.join());
    assert.ok(!tonight.includes('tue-lunch'), 'lunch is not tonight');
    await open(page, '?search=newcomers');
    assert.ok((await slugs(page)).includes('tue-evening'), 'a plural finds the singular');
  });
});

test('as the clock moves on, the list follows and keyboard focus stays on its meeting', async () => {
  await withPage({ clock: false }, async (page, context) => {
    // Tuesday 19:29:30 in Chicago: the 18:30 meeting is listed (in progress) until 19:30.
    await context.clock.install({ time: new Date('2026-11-18T01:29:30Z') });
    await open(page);
    assert.deepEqual((await slugs(page)).slice(0, 2), ['tue-evening', 'multi']);
    await page.focus('[data-results] a[href="/meetings/multi/"]');
    await context.clock.runFor(61000);
    await page.waitForFunction(() => document.querySelector('[data-results] a').getAttribute('href') === '/meetings/multi/');
    assert.equal((await slugs(page)).at(-1), 'tue-evening'); // next week now
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '/meetings/multi/');
    assert.equal(await page.textContent('[data-count]'), '11 meetings match.');
  });
});

test('monthly meetings and skipped dates count in the next occurrence (example site)', async () => {
  await withPage({}, async (page) => {
    // Sunday 22 November is the 4th Sunday: the 1st-and-3rd-Sunday meeting comes last (6 December).
    await page.goto(`${example.url}/find/?weekday=sunday`);
    await page.waitForFunction(() => /match/.test(document.querySelector('[data-count]').textContent));
    const sunday = await page.$$eval('[data-results] .meeting-name a', (as) => as.map((a) => a.getAttribute('href')));
    assert.equal(sunday.at(-1), '/meetings/first-third-sunday-traditions/');
    assert.ok(sunday.length > 3);
  });
  // Thursday 24 December 2026, 17:00 in Chicago: Daily Reprieve skips Christmas Day (Friday).
  await withPage({ clock: new Date('2026-12-24T23:00:00Z') }, async (page) => {
    await page.goto(`${example.url}/find/?search=%22daily%20reprieve%22`);
    await page.waitForFunction(() => /match/.test(document.querySelector('[data-count]').textContent));
    assert.equal(await page.textContent('[data-results] li:first-child .when-day'), 'Monday');
  });
  await withPage({ clock: new Date('2026-12-17T23:00:00Z') }, async (page) => {
    await page.goto(`${example.url}/find/?search=%22daily%20reprieve%22`);
    await page.waitForFunction(() => /match/.test(document.querySelector('[data-count]').textContent));
    assert.equal(await page.textContent('[data-results] li:first-child .when-day'), 'Tomorrow');
  });
});

test('near me sorts by distance after the visitor asks, and never before', async () => {
  await withPage({ geolocation: HALL, permissions: ['geolocation'] }, async (page) => {
    // A shared link with mode=me does not ask for the position by itself.
    await page.addInitScript(() => {
      window.__asked = 0;
      const real = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
      navigator.geolocation.getCurrentPosition = (...a) => { window.__asked++; return real(...a); };
    });
    await open(page, '?mode=me');
    assert.equal(await page.evaluate(() => window.__asked), 0);
    assert.deepEqual(await slugs(page), ALL);
    assert.match(await page.textContent('[data-near-status]'), /Use my location/);

    await page.click('[data-near]');
    await page.waitForFunction(() => document.querySelector('[data-near]').getAttribute('aria-pressed') === 'true');
    assert.equal(await page.evaluate(() => window.__asked), 1);
    // Union Hall first (soonest first among equals), then North Church (2.7 mi), then Peoria.
    assert.deepEqual(await slugs(page),
      ['tue-evening', 'late', 'mon-morning', 'tue-lunch', 'multi', 'thu-closed', 'mon-noon', 'fri-far']);
    const dists = await page.$$eval('[data-results] .distance', (d) => d.map((x) => x.textContent));
    assert.match(dists[0], /0\.0 mi away/);
    assert.match(dists[4], /2\.[0-9] mi away/);
    assert.match(dists[7], /6[0-9] mi away/);
    await page.waitForURL(/mode=me/);

    await page.selectOption('#f-distance', '5');
    await page.waitForURL(/distance=5/);
    assert.deepEqual((await slugs(page)).includes('fri-far'), false);
    assert.equal((await slugs(page)).length, 7);
    await page.selectOption('#f-day', 'monday');
    assert.deepEqual(await slugs(page), ['mon-morning', 'multi', 'mon-noon']);

    // A shared link with a radius the list does not offer keeps it.
    await page.goto(`${fixture.url}/find/?mode=me&distance=3`);
    await page.waitForFunction(() => /match/.test(document.querySelector('[data-count]').textContent));
    assert.equal(await page.inputValue('#f-distance'), '3');
    await page.click('[data-near]');
    await page.waitForFunction(() => document.querySelector('[data-near]').getAttribute('aria-pressed') === 'true');
    assert.equal((await slugs(page)).length, 7); // North Church is 2.7 mi away, Peoria 60
    await page.selectOption('#f-day', 'monday');

    await page.click('[data-near]'); // stop
    await page.waitForFunction(() => !location.search.includes('mode=me'));
    assert.deepEqual(await slugs(page), ['multi', 'mon-morning', 'mon-noon']);
    assert.equal(await page.$$eval('[data-results] .distance', (d) => d.length), 0);
  });
});

test('if the index cannot load, the page says so and keeps its full list', async () => {
  await withPage({}, async (page) => {
    await page.route('**/find/index.json', (r) => r.abort());
    await page.goto(`${fixture.url}/`);
    await page.waitForFunction(() => /could not load/.test(document.querySelector('[data-count]').textContent));
    assert.equal(await page.isVisible('.finder-form'), false);
    assert.equal(await page.isVisible('.schedule'), true);
    assert.equal(await page.$$eval('.schedule .meeting', (m) => m.length), 13); // Daily Reflections is listed on 3 days
  });
});

test('temporarily closed meetings are marked', async () => {
  await withPage({}, async (page) => {
    await open(page, '?search=paused');
    assert.deepEqual(await slugs(page), ['thu-closed']);
    assert.match(await page.textContent('[data-results] li.is-closed'), /temporarily closed/);
  });
});

test('without JavaScript the pages list every meeting and the facet links', async () => {
  const index = JSON.parse(readFileSync(join(exampleOut, 'find/index.json'), 'utf8'));
  const every = index.meetings.map((m) => `/meetings/${m[0]}/`).sort();
  assert.ok(every.length > 40);
  await withPage({ javaScriptEnabled: false, clock: false }, async (page) => {
    await page.goto(`${example.url}/`);
    const listed = await page.$$eval('.schedule .meeting-name a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual([...new Set(listed)].sort(), every);
    assert.equal(await page.isVisible('.finder'), false);
    assert.equal(await page.isVisible('.schedule'), true);
    // Every meeting is reachable from the day pages, each linked from the home page.
    const dayLinks = await page.$$eval('.facets a[href^="/days/"]', (as) => as.map((a) => a.getAttribute('href')));
    assert.equal(dayLinks.length, 7);
    const fromDays = new Set();
    for (const d of dayLinks) {
      await page.goto(`${example.url}${d}`);
      for (const h of await page.$$eval('.meeting-name a', (as) => as.map((a) => a.getAttribute('href')))) fromDays.add(h);
    }
    assert.deepEqual([...fromDays].sort(), every);
    // /find/ without JavaScript explains itself and offers the facets.
    await page.goto(`${example.url}/find/`);
    assert.equal(await page.isVisible('.finder'), false);
    assert.equal(await page.isVisible('[data-finder-fallback]'), true);
    assert.ok(await page.$$eval('.facets a', (as) => as.length) >= 10);
  });
  // With JavaScript, the example's finder lists the same meetings (in pages of 50).
  await withPage({ clock: false }, async (page) => {
    await page.goto(`${example.url}/find/`);
    await page.waitForFunction(() => /match/.test(document.querySelector('[data-count]').textContent));
    while (await page.isVisible('[data-more]')) await page.click('[data-more]');
    const listed = await page.$$eval('[data-results] .meeting-name a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual([...listed].sort(), every);
    assert.equal(await page.textContent('[data-count]'), `${every.length} meetings match.`);
  });
});

test('a request to another host is refused and fails the test', async () => {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(`${fixture.url}/`);
    await page.evaluate(() => fetch('https://example.com/x').catch(() => null));
    assert.deepEqual(context.foreign, ['https://example.com/x']);
    assert.throws(() => assertNoForeign(context), /other hosts/);
  } finally {
    await context.close();
  }
});

test('the finder script and style stay under 30 KB gzipped together', () => {
  const js = readFileSync(join(fixtureOut, 'assets/finder.js'));
  const css = readFileSync(join(fixtureOut, 'assets/finder.css'));
  const size = gzipSync(js, { level: 9 }).length + gzipSync(css, { level: 9 }).length;
  assert.ok(size < 30 * 1024, `finder.js + finder.css are ${size} bytes gzipped`);
});
