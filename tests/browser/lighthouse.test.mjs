// Lighthouse 12 on the bundled example with its default configuration: a phone (mobile form
// factor and screen), simulated slow 4G and a 4x slower CPU. The home page, the finder, a meeting
// page and a region page must score at least 95 for performance and 100 for accessibility, best
// practices and SEO (issue #11: a person on a phone finds tonight's meeting on the first screen).
//
// Chromium is Debian's (/usr/bin/chromium, or CHROME_PATH), launched by chrome-launcher (the
// launcher Lighthouse itself uses) with the suite's flags; nothing is downloaded. Two diagnostics
// that a failure may list come from lib.mjs's test server, not from the site: no text
// compression, and no back/forward cache (it sends cache-control: no-store).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import lighthouse from 'lighthouse';
import { launch as launchChrome } from 'chrome-launcher';
import { exampleSite, ARGS, CHROMIUM } from './lib.mjs';

const PAGES = ['/', '/find/', '/meetings/grupo-nueva-vida/', '/regions/lake-marren-county/'];
// The Spanish edition of a bilingual build (`languages: [en, es]`): its home, finder and a meeting.
const BILINGUAL_PAGES = ['/es/', '/es/find/', '/es/meetings/grupo-nueva-vida/'];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const MIN_PERFORMANCE = 0.95;
// The performance score is measured on whatever else this machine is doing (CI and developers
// share two cores): a page gets up to this many runs and its best performance score counts. The
// other categories do not depend on timing, so every run must score 100 in them.
const RUNS = 3;
const LOCAL = new Set(['127.0.0.1', 'localhost', '[::1]']);

// Registered before exampleSite's hooks so that chromium is gone before the server closes (the
// server otherwise waits for chromium's open connections).
let chrome;
before(async () => {
  chrome = await launchChrome({ chromePath: process.env.CHROME_PATH || CHROMIUM, chromeFlags: ARGS, logLevel: 'silent' });
});
after(async () => {
  await chrome?.kill();
});
const example = exampleSite(before, after, { browser: false });
const bilingual = exampleSite(before, after, { browser: false, languages: ['en', 'es'] });

/**
 * The audits of a category short of full marks, one line each: those that count towards its
 * score and, for performance, also the diagnostics Lighthouse calls failed (below 0.5), which
 * say why a metric is slow.
 */
function failing(lhr, category) {
  return lhr.categories[category].auditRefs
    .map((ref) => ({ ref, a: lhr.audits[ref.id] }))
    .filter(({ ref, a }) => a.score !== null && (ref.weight > 0 ? a.score < 1 : category === 'performance' && a.score < 0.5))
    .map(({ ref, a }) => `${a.id}: ${a.title}${a.displayValue ? ` (${a.displayValue})` : ''}, score ${a.score}${ref.weight > 0 ? '' : ' (diagnostic)'}`);
}

/** Every URL the page requested on a host other than this machine (there must be none). */
function foreign(lhr) {
  const items = lhr.audits['network-requests']?.details?.items ?? [];
  return items.map((i) => i.url).filter((u) => /^https?:/.test(u) && !LOCAL.has(new URL(u).hostname));
}

for (const [site, path] of [...PAGES.map((p) => [example, p]), ...BILINGUAL_PAGES.map((p) => [bilingual, p])]) {
  test(`Lighthouse (mobile) on ${path}: performance >= ${MIN_PERFORMANCE * 100}, the rest 100`, async (t) => {
    let best = null;
    for (let run = 1; run <= RUNS; run++) {
      const result = await lighthouse(`${site.url}${path}`, { port: chrome.port, output: 'json', logLevel: 'error' });
      const lhr = result.lhr;
      assert.equal(lhr.runtimeError, undefined, `Lighthouse could not test ${path}: ${lhr.runtimeError?.message}`);
      assert.equal(lhr.configSettings.formFactor, 'mobile');
      assert.equal(lhr.configSettings.throttlingMethod, 'simulate');
      assert.deepEqual(foreign(lhr), [], `${path} requested other hosts`);
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c].score]));
      t.diagnostic(`run ${run}: ${CATEGORIES.map((c) => `${c} ${Math.round(scores[c] * 100)}`).join(', ')}`);
      for (const w of lhr.runWarnings) t.diagnostic(`Lighthouse warning: ${w}`);
      for (const c of CATEGORIES.slice(1)) {
        assert.equal(scores[c], 1, `${path} run ${run}: ${c} ${Math.round(scores[c] * 100)}, failing audits:\n  ${failing(lhr, c).join('\n  ')}`);
      }
      if (best === null || scores.performance > best.score) best = { score: scores.performance, lhr };
      if (best.score >= MIN_PERFORMANCE) break;
    }
    assert.ok(
      best.score >= MIN_PERFORMANCE,
      `${path}: best performance of ${RUNS} runs ${Math.round(best.score * 100)}, audits short of full marks:\n  ${failing(best.lhr, 'performance').join('\n  ')}`,
    );
  });
}
