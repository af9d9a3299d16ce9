// Browser example test: bundles examples/browser with esbuild, serves it on localhost, opens it in
// headless Chromium (Debian's /usr/bin/chromium driven by playwright-core; no browser download),
// runs it on the bundled CDNOW CSV and on a user-style CSV, and fails on any console error.
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { bundle } from '../examples/browser/build.mjs';

const root = fileURLToPath(new URL('../examples/browser/', import.meta.url));
const out = fileURLToPath(new URL('../examples/out/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TIMEOUT_MS = 60_000;
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.map': 'application/json', '.csv': 'text/csv' };

const failures = [];

/** Orders of 12 customers: customer i buys i + 1 times, once a month from a month of its own. */
function userOrders() {
  const rows = [];
  for (let c = 0; c < 12; c++) {
    for (let j = 0; j <= c; j++) {
      const month = 1 + ((c + j * 2) % 12);
      rows.push([`c${c}`, `2024-${String(month).padStart(2, '0')}-${String(1 + ((c * 5 + j * 3) % 27)).padStart(2, '0')}`, (10 + ((c * 37 + j * 11) % 90)).toFixed(2)]);
    }
  }
  return rows;
}
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

const { bytes } = await bundle();
console.log(`bundled examples/browser/dist/app.js (${(bytes / 1024).toFixed(0)} KiB)`);

const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(root, path.endsWith('/') ? 'index.html' : path);
  try {
    if (!file.startsWith(root)) throw new Error('outside');
    const body = readFileSync(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end('not found');
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

const profile = mkdtempSync(join(tmpdir(), 'crm-chromium-'));
// A persistent context is how Playwright takes an explicit, fresh --user-data-dir.
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') errors.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()}`));

  await page.goto(url);
  await page.waitForSelector('body[data-state="ready"]', { timeout: TIMEOUT_MS });
  check(true, 'page loads and the app starts');

  // 1. The bundled CDNOW sample.
  await page.click('#sample');
  await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { timeout: TIMEOUT_MS });
  const status = await page.textContent('#status');
  check((await page.getAttribute('body', 'data-state')) === 'done', `sample runs: "${status}"`);
  check(/2,?357 customers/.test(status ?? ''), 'the CDNOW sample has 2,357 customers');
  const charts = await page.$$eval('#charts svg[role="img"]', (svgs) => svgs.map((s) => ({ title: s.querySelector('title')?.textContent ?? '', w: s.getBoundingClientRect().width, marks: s.querySelectorAll('.crm-cell, .crm-bar, .crm-line, .crm-point').length })));
  check(charts.length === 5, `five charts are shown (${charts.map((c) => c.title).join(' | ')})`);
  check(charts.every((c) => c.w > 200 && c.marks > 0), 'every chart is laid out and has marks');
  check((await page.$$('#summary table tr')).length === 11, 'the top-10 customer table is shown');
  const downloads = await page.$$eval('#charts a[download]', (links) => links.map((a) => decodeURIComponent(a.getAttribute('href').replace(/^data:image\/svg\+xml;charset=utf-8,/, ''))));
  check(downloads.length === 5 && downloads.every((svg) => svg.startsWith('<svg xmlns=')), 'every chart has a working SVG download link');
  mkdirSync(out, { recursive: true });
  await page.screenshot({ path: join(out, 'browser.png'), fullPage: true });

  // 2. A user's CSV: other column names, semicolons, quoted ids.
  const userCsv = ['"Client ID";Order date;Revenue', ...userOrders().map(([c, d, v]) => `"${c}";${d};${v}`)].join('\n');
  await page.evaluate(() => (document.body.dataset.state = 'waiting'));
  await page.setInputFiles('#file', { name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(userCsv) });
  await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { timeout: TIMEOUT_MS });
  check((await page.getAttribute('body', 'data-state')) === 'done', `a user CSV with other column names runs: "${await page.textContent('#status')}"`);
  check((await page.textContent('#summary'))?.includes('customers (columns: Client ID, Order date, Revenue') === true, 'the columns are recognized by name');
  check((await page.$$('#charts svg[role="img"]')).length === 5, 'and shows its charts');

  // 3. A CSV without usable rows: a message on the page, not an exception.
  await page.evaluate(() => (document.body.dataset.state = 'waiting'));
  await page.setInputFiles('#file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('customer,date,amount\na,not a date,x\n') });
  await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { timeout: TIMEOUT_MS });
  check((await page.getAttribute('body', 'data-state')) === 'error' && /No valid transactions/.test((await page.textContent('#status')) ?? ''), 'a CSV without valid rows shows an error message');

  check(errors.length === 0, `no console errors${errors.length ? `: ${errors.join('; ')}` : ''}`);
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`\ntest-browser: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('\ntest-browser: the browser example works in headless Chromium');
