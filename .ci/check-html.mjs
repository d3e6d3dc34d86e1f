// CI: load generated HTML pages in headless Chromium and check that each one
//   - renders without console errors or uncaught exceptions,
//   - makes no network requests (only the page's own file:, data: and about: URLs are allowed;
//     anything else is blocked and reported),
//   - contains the expected elements:
//       index.html  -> table#runs with at least one body row
//       report.html -> an SVG sequence diagram and at least one ECharts chart rendered
//                      (a <canvas> inside a div.chart)
// Usage: node .ci/check-html.mjs FILE.html...
// Prints one line per page (OK / FAIL: reasons) and exits 1 if any page fails, 2 on usage or
// browser start-up errors.
// playwright-core is looked up next to this script first, then in $CI_NODE_DIR (default
// <repo>/target/ci-node, where .ci/check-html.sh installs it). Chromium: $CHROMIUM or
// /usr/bin/chromium.
import { createRequire } from 'node:module';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeDir = process.env.CI_NODE_DIR || path.join(here, '..', 'target', 'ci-node');
const PAGE_TIMEOUT_MS = Number(process.env.CHECK_HTML_TIMEOUT_MS || 30000);
const SETTLE_MS = 500; // after the checks pass, wait this long for late errors and requests

function loadPlaywright() {
  for (const base of [here, nodeDir]) {
    try {
      return createRequire(path.join(path.resolve(base), 'noop.js'))('playwright-core');
    } catch (e) {
      if (e.code !== 'MODULE_NOT_FOUND') throw e;
    }
  }
  console.error(`check-html: playwright-core not found (looked next to ${here} and in ${nodeDir}); run .ci/check-html.sh`);
  process.exit(2);
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node .ci/check-html.mjs FILE.html...');
  process.exit(2);
}

const { chromium } = loadPlaywright();
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

let browser;
try {
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
} catch (e) {
  console.error(`check-html: could not start ${executablePath}: ${e.message}`);
  process.exit(2);
}

const short = (s, n = 200) => (s.length > n ? s.slice(0, n) + '...' : s).replace(/\s+/g, ' ');

async function checkPage(file) {
  const reasons = [];
  if (!existsSync(file)) return { reasons: ['file not found'], info: '' };
  const url = pathToFileURL(realpathSync(file)).href;
  const consoleErrors = [];
  const requests = [];

  const context = await browser.newContext({ serviceWorkers: 'block', offline: true });
  try {
    // Every request the page makes goes through here; anything but the page itself is blocked.
    const allowed = (u) => u === url || u.startsWith('data:') || u.startsWith('about:');
    await context.route('**/*', (route) => {
      const u = route.request().url();
      return allowed(u) ? route.continue() : route.abort('blockedbyclient');
    });
    context.on('request', (req) => { if (!allowed(req.url())) requests.push(req.url()); });
    const page = await context.newPage();
    page.on('websocket', (ws) => requests.push(ws.url()));
    page.on('console', (msg) => {
      if (msg.type() === 'error') {
        const loc = msg.location();
        consoleErrors.push(msg.text() + (loc && loc.url ? ` (${loc.url.startsWith(url) ? 'page' : loc.url}:${loc.lineNumber})` : ''));
      }
    });
    page.on('pageerror', (err) => consoleErrors.push(`uncaught ${err.name || 'Error'}: ${err.message}`));
    page.on('crash', () => consoleErrors.push('page crashed'));

    const resp = await page.goto(url, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
    if (!resp) reasons.push('no response for the page itself');

    let info = '';
    const name = path.basename(file);
    if (name === 'index.html') {
      const rows = await page.locator('table#runs tbody tr').count();
      if (rows < 1) reasons.push('missing: table#runs with at least one row');
      info = `${rows} rows`;
    } else if (name === 'report.html') {
      // The sequence diagram: an inline <svg> (class "seq", inside .seqwrap) with drawn content.
      const svg = await page.evaluate(() => {
        const el = document.querySelector('.seqwrap svg, svg.seq');
        if (!el) return null;
        const r = el.getBoundingClientRect();
        return { shapes: el.querySelectorAll('line,path,text,rect,polyline').length, w: r.width, h: r.height };
      });
      if (!svg) reasons.push('missing: svg sequence diagram (.seqwrap svg / svg.seq)');
      else if (svg.shapes === 0 || svg.w === 0 || svg.h === 0) reasons.push(`empty svg sequence diagram (${svg.shapes} shapes, ${svg.w}x${svg.h})`);
      // ECharts draws asynchronously after init; wait for the first canvas, then count.
      if (await page.locator('div.chart').count()) {
        await page.waitForSelector('div.chart canvas', { state: 'attached', timeout: 10000 }).catch(() => {});
      }
      const charts = await page.evaluate(() => {
        const divs = [...document.querySelectorAll('div.chart')];
        const drawn = divs.filter((d) => [...d.querySelectorAll('canvas')].some((c) => c.width > 0 && c.height > 0));
        return { total: divs.length, drawn: drawn.length };
      });
      if (charts.drawn < 1) reasons.push(`no ECharts chart rendered (${charts.total} div.chart, none with a canvas)`);
      info = `svg ${svg ? svg.shapes : 0} shapes, charts ${charts.drawn}/${charts.total}`;
    }
    await page.waitForTimeout(SETTLE_MS);
    if (consoleErrors.length) reasons.push(`${consoleErrors.length} console error(s): ` + consoleErrors.map((m) => short(m)).join(' | '));
    if (requests.length) reasons.push(`${requests.length} network request(s): ` + [...new Set(requests)].map((u) => short(u, 120)).join(' '));
    return { reasons, info };
  } finally {
    await context.close();
  }
}

let failed = 0;
for (const file of files) {
  const t0 = Date.now();
  let res;
  try {
    res = await checkPage(file);
  } catch (e) {
    res = { reasons: [`could not load: ${short(e.message.split('\n')[0])}`], info: '' };
  }
  const ms = Date.now() - t0;
  if (res.reasons.length) {
    failed++;
    console.log(`FAIL ${file} (${ms} ms): ${res.reasons.join('; ')}`);
  } else {
    console.log(`OK   ${file} (${res.info}; ${ms} ms)`);
  }
}
await browser.close();
console.log(`check-html: ${files.length - failed}/${files.length} pages OK`);
process.exit(failed ? 1 : 0);
