// Screenshots of the bundled example for looking at the design, and the README's screenshots.
// Not a test: run it by hand.
//
//   cargo build && node tests/browser/screenshots.mjs [out-dir]
//       every page type at phone (390x844) and desktop (1280x800) size, with and without
//       JavaScript, light and dark (home and meeting page), into out-dir (target/screenshots
//       by default); it also prints where the first meeting entry starts on `/` and `/find/`.
//   cargo build && node tests/browser/screenshots.mjs --site DIR [out-dir]
//       the same of another site (DIR holds content/); a site in several languages is also shot
//       at the home, meeting and finder pages of its second language (/es/ and so on).
//   cargo build && node tests/browser/screenshots.mjs --readme
//       exactly the files README.md shows (README below), into docs/screenshots/, compressed
//       with pngquant and optipng (apt-get install pngquant optipng), so they can be kept
//       current: run it after a change to the theme and commit the files.
//
// Both use a fixed clock (Wednesday 2 December 2026, 5:40 pm in Chicago) and the site's time
// zone (America/Chicago; one README picture a New York visitor's), so the same theme gives the
// same pictures.
import { join } from 'node:path';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ROOT, buildSite, serve, launch, newContext, removeSite, firstEntry } from './lib.mjs';

const CLOCK = new Date('2026-12-02T23:40:00Z');
const ZONE = 'America/Chicago';
const PHONE = [390, 844, 'phone'], DESKTOP = [1280, 800, 'desktop'];

/** The README's screenshots: file name, size, path, colour scheme, options. */
const README = [
  ['home-desktop.png', DESKTOP, '/', 'light'],
  ['home-phone.png', PHONE, '/', 'light'],
  // A visitor from New York: the next dates show their own time beside the meeting's.
  ['meeting-phone-dark.png', PHONE, '/meetings/lakeshore-newcomers/', 'dark', { zone: 'America/New_York' }],
  ['day-phone-nojs.png', PHONE, '/days/wednesday/', 'light', { js: false }],
];

const PAGES = {
  home: '/', find: '/find/', day: '/days/wednesday/', meeting: '/meetings/downtown-big-book/',
  hybrid: '/meetings/lakeshore-newcomers/', region: '/regions/lake-marren-county/',
  location: '/locations/northside-community-center/', types: '/types/', page: '/newcomers/',
};

const args = process.argv.slice(2);
const readme = args[0] === '--readme';
const siteDir = args[0] === '--site' ? args[1] : ROOT;
if (args[0] === '--site') args.splice(0, 2);
const out = readme ? join(ROOT, 'docs/screenshots') : args[0] || join(ROOT, 'target/screenshots');
if (readme) {
  for (const tool of ['pngquant', 'optipng']) {
    if (spawnSync(tool, ['--version']).error) throw new Error(`${tool} is missing: apt-get install pngquant optipng`);
  }
}
mkdirSync(out, { recursive: true });
const site = buildSite(siteDir);
// The second language's edition, if the site has one: its home, meeting and finder pages.
for (const entry of readdirSync(site, { withFileTypes: true })) {
  if (entry.isDirectory() && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(entry.name) && existsSync(join(site, entry.name, 'index.html'))) {
    for (const name of ['home', 'meeting', 'find']) PAGES[`${entry.name}-${name}`] = `/${entry.name}${PAGES[name]}`;
    break;
  }
}
const server = await serve(site);
const browser = await launch();

/** Opens `path` at the given size in a fresh context and saves the first screen to `file`. */
async function shoot(file, [width, height], path, scheme, { js = true, zone = ZONE } = {}) {
  const context = await newContext(browser, {
    viewport: { width, height }, javaScriptEnabled: js, colorScheme: scheme, timezoneId: zone,
  });
  try {
    await context.clock.setFixedTime(CLOCK);
    const page = await context.newPage();
    await page.goto(server.url + path);
    if (js && await page.$('[data-finder]')) {
      // A count in any language ("12 matches", "12 coincidencias").
      await page.waitForFunction(() => /\d/.test(document.querySelector('[data-count]').textContent));
    }
    await page.waitForTimeout(js ? 400 : 50);
    await page.screenshot({ path: file });
    return path === '/' || path === '/find/' ? await firstEntry(page) : null;
  } finally {
    await context.close();
  }
}

try {
  if (readme) {
    for (const [name, size, path, scheme, options] of README) {
      const file = join(out, name);
      await shoot(file, size, path, scheme, options);
      // Lossy palette reduction, then lossless recompression: a screen of flat colours and text
      // goes from 60-180 KB to well under 100 KB with no visible change.
      const q = spawnSync('pngquant', ['--force', '--skip-if-larger', '--quality=70-95', '--strip', '--output', file, file]);
      if (q.status !== 0 && q.status !== 98 && q.status !== 99) throw new Error(`pngquant ${file}: ${q.stderr}`);
      const o = spawnSync('optipng', ['-quiet', '-o2', '-strip', 'all', file]);
      if (o.status !== 0) throw new Error(`optipng ${file}: ${o.stderr}`);
      console.log(`${file}: ${statSync(file).size} bytes`);
    }
  } else {
    for (const [vw, vh, tag] of [PHONE, DESKTOP]) {
      for (const js of [true, false]) {
        for (const scheme of ['light', 'dark']) {
          if (scheme === 'dark' && !js) continue;
          for (const [name, path] of Object.entries(PAGES)) {
            if (scheme === 'dark' && !['home', 'meeting'].includes(name)) continue;
            const file = join(out, `${tag}-${name}${js ? '' : '-nojs'}${scheme === 'dark' ? '-dark' : ''}.png`);
            const top = await shoot(file, [vw, vh], path, scheme, { js });
            if (top !== null) console.log(`${tag} ${name} js=${js} ${scheme}: first meeting at ${Math.round(top)}px`);
          }
        }
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
  removeSite(site);
}
console.log(`screenshots in ${out}`);
