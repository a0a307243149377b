// Shared parts of the browser tests: building sites with the real `lantern` binary, a tiny static
// file server on 127.0.0.1, and Debian's chromium driven by playwright-core with every request to
// another host refused and recorded (a test fails if any page tries one).
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, extname, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CHROMIUM = '/usr/bin/chromium';
const BIN = process.env.LANTERN_BIN || join(ROOT, 'target/debug/lantern');

/** Builds the site in `siteDir` into a fresh temporary folder and returns that folder. */
export function buildSite(siteDir) {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`cargo build\` first (scripts/test does)`);
  const out = join(mkdtempSync(join(tmpdir(), 'lantern-browser-')), 'public');
  const r = spawnSync(BIN, ['build', '--site', siteDir, '--output', out, '--base-url', 'http://127.0.0.1/'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`lantern build ${siteDir} failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8', '.png': 'image/png',
};

/** Serves `dir` on 127.0.0.1 (a random port) the way a static host does: `/x/` serves `/x/index.html`. */
export async function serve(dir) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    let status = 200, body, type;
    try {
      if (!file.startsWith(root + sep) || !statSync(file).isFile()) throw new Error('not a file');
      body = readFileSync(file);
      type = TYPES[extname(file)] || 'application/octet-stream';
    } catch {
      status = 404;
      body = existsSync(join(root, '404.html')) ? readFileSync(join(root, '404.html')) : 'not found';
      type = TYPES['.html'];
    }
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

export const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Launches chromium; Playwright gives it a fresh temporary profile (--user-data-dir). */
export function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (scripts/test does)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

const LOCAL = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A browser context whose requests to any other host are aborted and recorded in
 * `context.foreign`; tests call `assertNoForeign(context)` at their end.
 */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ locale: 'en-US', ...options });
  context.foreign = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !LOCAL.has(url.hostname)) {
      context.foreign.push(url.href);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  return context;
}

export function assertNoForeign(context) {
  if (context.foreign.length) {
    throw new Error(`requests to other hosts: ${context.foreign.join(', ')}`);
  }
}

/** Removes a built site's temporary folder. */
export function removeSite(out) {
  rmSync(resolve(out, '..'), { recursive: true, force: true });
}

/**
 * The bundled example, built, served on 127.0.0.1 and with chromium launched before a test
 * file's tests run (`before`), and all of it closed and removed after (`after`). The returned
 * object's `url` and `browser` are set once `before` has run. `{ browser: false }` leaves out
 * the playwright browser (lighthouse.test.mjs launches its own chromium for Lighthouse).
 */
export function exampleSite(before, after, { browser = true } = {}) {
  const s = {};
  before(async () => {
    s.out = buildSite(ROOT);
    s.server = await serve(s.out);
    s.url = s.server.url;
    if (browser) s.browser = await launch();
  });
  after(async () => {
    await s.browser?.close();
    await s.server?.close();
    if (s.out) removeSite(s.out);
  });
  return s;
}
