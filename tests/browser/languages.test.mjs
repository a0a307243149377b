// Every shipped language in the browser: the finder's known answers on a fixture built in that
// language (results, counts in the language's plural forms, no script error), and axe-core on
// the bundled example built in that language, on a phone in light mode and a desktop in dark
// mode. The languages are the default theme's translation files besides English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, buildSite, serve, launch, newContext, assertNoForeign, removeSite, exampleIn } from './lib.mjs';

const LANGS = readdirSync(join(ROOT, 'themes/default/translations'))
  .filter((f) => f.endsWith('.yaml') && f !== 'en.yaml')
  .map((f) => f.slice(0, -'.yaml'.length))
  .sort();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PAGES = ['/', '/find/', '/meetings/grupo-nueva-vida/', '/meetings/monday-night-serenity/',
  '/meetings/harbor-lights/', '/days/monday/', '/regions/', '/types/', '/types/open/', '/newcomers/'];
const SCREENS = [
  ['phone', 'light', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true }],
  ['desktop', 'dark', { viewport: { width: 1280, height: 800 } }],
];
// Same clock and answers as finder.test.mjs: Tuesday 17 November 2026, 17:00 in Chicago.
const NOW = new Date('2026-11-17T23:00:00Z');
const ALL = ['tue-evening', 'multi', 'wed-night', 'thu-closed', 'fri-far', 'sat-london', 'late',
  'sun-spanish', 'mon-morning', 'mon-noon', 'tue-lunch'];

/** A copy of the site at `dir` with `language:` set to `lang`. */
function inLanguage(dir, lang) {
  const copy = mkdtempSync(join(tmpdir(), `lantern-${lang}-`));
  cpSync(join(dir, 'content'), join(copy, 'content'), { recursive: true });
  const file = join(copy, 'content/site.yaml');
  const yaml = readFileSync(file, 'utf8');
  assert.match(yaml, /^language: en$/m);
  writeFileSync(file, yaml.replace(/^language: en$/m, `language: ${lang}`));
  return copy;
}

let browser;
const sites = {};
before(async () => {
  assert.ok(LANGS.length > 0, 'the default theme ships no language besides English');
  browser = await launch();
  for (const lang of LANGS) {
    const s = { sources: [inLanguage(ROOT, lang), inLanguage(join(ROOT, 'tests/fixtures/finder/known'), lang)] };
    s.exampleOut = buildSite(s.sources[0]);
    s.fixtureOut = buildSite(s.sources[1]);
    s.example = await serve(s.exampleOut);
    s.fixture = await serve(s.fixtureOut);
    sites[lang] = s;
  }
});
after(async () => {
  await browser?.close();
  for (const s of Object.values(sites)) {
    await s.example?.close();
    await s.fixture?.close();
    removeSite(s.exampleOut);
    removeSite(s.fixtureOut);
    for (const d of s.sources) rmSync(d, { recursive: true, force: true });
  }
});

/** The finder's strings, as the page gives them to its script. */
function finderStrings(page) {
  return page.evaluate(() => JSON.parse(document.getElementById('finder-config').textContent).strings);
}

/** Waits until the finder has counted its results (its count differs from the loading text). */
async function finderDone(page) {
  const S = await finderStrings(page);
  await page.waitForFunction((loading) => {
    const c = document.querySelector('[data-count]');
    return c && !c.closest('[hidden]') && c.textContent.trim() !== '' && c.textContent !== loading;
  }, S.finder_loading);
  return S;
}

for (const lang of LANGS) {
  test(`${lang}: the finder gives the known answers, counting in ${lang}`, async () => {
    const context = await newContext(browser, {
      timezoneId: 'America/Chicago', locale: lang,
      geolocation: { latitude: 39.8017, longitude: -89.6436 }, permissions: ['geolocation'],
    });
    try {
      await context.clock.setFixedTime(NOW);
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const slugs = () => page.$$eval('[data-results] .meeting-name a', (as) =>
        as.map((a) => a.getAttribute('href').replace(/^\/meetings\/|\/$/g, '')));
      const site = sites[lang];
      await page.goto(`${site.fixture.url}/find/`);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      const S = await finderDone(page);
      assert.deepEqual(await slugs(page), ALL);
      const counted = (n) => (S[`finder_count_${new Intl.PluralRules(lang).select(n)}`] || S.finder_count_other).replace('{n}', n);
      assert.equal(await page.textContent('[data-count]'), counted(11));
      assert.notEqual(S.finder_count_other, '{n} meetings match.', 'the count is translated');
      // One result: the singular form; none: the language's "no meetings" sentence.
      await page.goto(`${site.fixture.url}/find/?region=northside&weekday=thursday`);
      await finderDone(page);
      assert.deepEqual(await slugs(page), ['thu-closed']);
      assert.equal(await page.textContent('[data-count]'), counted(1));
      await page.goto(`${site.fixture.url}/find/?region=downtown`);
      await finderDone(page);
      assert.equal(await page.textContent('[data-count]'), S.finder_count_none);
      // Typing narrows the list; accents do not matter ("Reunión en línea").
      await page.goto(`${site.fixture.url}/find/`);
      await finderDone(page);
      await page.fill('#f-search', 'reunion');
      await page.waitForFunction(() => document.querySelectorAll('[data-results] li.meeting').length === 1);
      assert.deepEqual(await slugs(page), ['sun-spanish']);
      // Near me: distances in the language's decimal sign (North Church is 2.7 mi, 4.3 km).
      await page.goto(`${site.fixture.url}/find/?mode=me`);
      await finderDone(page);
      await page.click('[data-near]');
      await page.waitForFunction(() => document.querySelector('[data-near]').getAttribute('aria-pressed') === 'true');
      const dists = await page.$$eval('[data-results] .distance', (d) => d.map((x) => x.textContent));
      const sign = new Intl.NumberFormat(lang).format(1.5).replace(/[0-9]/g, '');
      // Each distance follows the entry's other details after a " · ".
      assert.ok(dists[0].endsWith(S.finder_distance_away.replace('{d}', `0${sign}0`)), dists[0]);
      assert.match(dists[4], new RegExp(`${S.finder_distance_away.replace('{d}', `4\\${sign}[0-9]`)}$`));
      assert.deepEqual(errors, [], 'script errors on the page');
      assertNoForeign(context);
    } finally {
      await context.close();
    }
  });

  for (const [screen, colorScheme, options] of SCREENS) {
    test(`${lang}: axe finds no WCAG A/AA violation on a ${screen} in ${colorScheme} mode`, async () => {
      const context = await newContext(browser, { ...options, colorScheme, timezoneId: 'America/Chicago', locale: lang });
      try {
        const page = await context.newPage();
        const problems = [];
        for (const path of PAGES) {
          await page.goto(`${sites[lang].example.url}${path}`);
          assert.equal(await page.getAttribute('html', 'lang'), lang, path);
          if (await page.$('[data-finder]')) await finderDone(page);
          if (await page.$('[data-upcoming-rows]')) {
            await page.waitForFunction(() => document.querySelectorAll('[data-upcoming-rows] tr').length > 0);
          }
          await page.addScriptTag({ path: AXE });
          const found = await page.evaluate(async (tags) => {
            const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
            return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
          }, TAGS);
          for (const v of found) problems.push(`${path}: ${v}`);
          // Nothing overflows the screen sideways (long words in buttons and chips).
          const wide = await page.evaluate(() => document.documentElement.scrollWidth);
          if (wide > options.viewport.width) problems.push(`${path}: ${wide}px wide`);
        }
        assert.deepEqual(problems, []);
        assertNoForeign(context);
      } finally {
        await context.close();
      }
    });
  }
}

// A bilingual build of the example (`languages: [en, es]`): the Spanish finder reads its own
// index and links to Spanish pages, the switch leads to the same page in the other language,
// and axe finds nothing on either edition.
test('bilingual: the Spanish finder, the language switch and axe on both editions', async () => {
  const source = exampleIn(['en', 'es']);
  const out = buildSite(source);
  const server = await serve(out);
  const context = await newContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, timezoneId: 'America/Chicago', locale: 'es' });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/es/find/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    const S = await finderDone(page);
    assert.notEqual(S.finder_count_other, '{n} meetings match.');
    const hrefs = await page.$$eval('[data-results] .meeting-name a', (as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.length > 10, `${hrefs.length} results`);
    for (const h of hrefs) assert.match(h, /^\/es\/meetings\/[a-z0-9-]+\/$/);
    // The switch: from a Spanish meeting page to the same meeting in English, and back.
    await page.goto(`${server.url}${hrefs[0]}`);
    await page.click('nav.languages a[hreflang="en"]');
    assert.equal(new URL(page.url()).pathname, hrefs[0].replace(/^\/es/, ''));
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.click('nav.languages a[hreflang="es"]');
    assert.equal(new URL(page.url()).pathname, hrefs[0]);
    const problems = [];
    for (const path of ['/', '/es/', '/es/find/', hrefs[0], '/es/days/monday/', '/es/newcomers/']) {
      await page.goto(`${server.url}${path}`);
      if (await page.$('[data-finder]')) await finderDone(page);
      await page.addScriptTag({ path: AXE });
      const found = await page.evaluate(async (tags) => {
        const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
        return r.violations.map((v) => `${v.id}: ${v.help} ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      }, TAGS);
      for (const v of found) problems.push(`${path}: ${v}`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > 390) problems.push(`${path}: ${wide}px wide`);
    }
    assert.deepEqual(problems, []);
    assert.deepEqual(errors, [], 'script errors on the page');
    assertNoForeign(context);
  } finally {
    await context.close();
    await server.close();
    removeSite(out);
    rmSync(source, { recursive: true, force: true });
  }
});
