// Screenshots of every page type at phone (390x844) and desktop (1280x900) sizes, with and
// without JavaScript, for looking at the design. Not a test: run it by hand.
//
//   cargo build && node tests/browser/screenshots.mjs [out-dir]
//
// It also prints where the first meeting entry starts on `/` and `/find/`.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { ROOT, buildSite, serve, launch, newContext } from './lib.mjs';

const out = process.argv[2] || join(ROOT, 'target/screenshots');
mkdirSync(out, { recursive: true });
const site = buildSite(ROOT);
const server = await serve(site);
const browser = await launch();
const pages = {
  home: '/', find: '/find/', day: '/days/wednesday/', meeting: '/meetings/downtown-big-book/',
  hybrid: '/meetings/lakeshore-newcomers/', region: '/regions/lake-marren-county/',
  location: '/locations/northside-community-center/', types: '/types/', page: '/newcomers/',
};
for (const [vw, vh, tag] of [[390, 844, 'phone'], [1280, 900, 'desktop']]) {
  for (const js of [true, false]) {
    for (const scheme of ['light', 'dark']) {
      if (scheme === 'dark' && !js) continue;
      const context = await newContext(browser, { viewport: { width: vw, height: vh }, javaScriptEnabled: js, colorScheme: scheme });
      const page = await context.newPage();
      for (const [name, path] of Object.entries(pages)) {
        if (scheme === 'dark' && !['home', 'meeting'].includes(name)) continue;
        await page.goto(server.url + path);
        await page.waitForTimeout(js ? 400 : 50);
        const file = join(out, `${tag}-${name}${js ? '' : '-nojs'}${scheme === 'dark' ? '-dark' : ''}.png`);
        await page.screenshot({ path: file });
        if (name === 'home' || name === 'find') {
          const top = await page.evaluate(() => {
            const el = [...document.querySelectorAll('li.meeting')].find((e) => e.offsetParent !== null);
            return el ? Math.round(el.getBoundingClientRect().top + scrollY) : null;
          });
          console.log(`${tag} ${name} js=${js} ${scheme}: first meeting at ${top}px`);
        }
      }
      await context.close();
    }
  }
}
await browser.close();
await server.close();
console.log(`screenshots in ${out}`);
