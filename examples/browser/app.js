// The browser example: a transactions CSV → customer summaries → RFM grid, BG/NBD (who is still
// active, expected purchases) and k-means segments on recency, frequency and spend, drawn as SVG charts.
import { isCrmError, summarizeCustomers, validateTransactions } from '@crm/core';
import { expectedPurchasesChart, probabilityAliveChart, rfmHeatmapChart, segmentProfilesChart, segmentSizesChart } from '@crm/core/charts';
import { BgNbd, rfmScores } from '@crm/scoring';
import { KMeans } from '@crm/segment';
import sampleCsv from './cdnow.csv';

const $ = (id) => document.getElementById(id);
const WEEK_MS = 7 * 86_400_000;
const HORIZON_WEEKS = 52;
const SEED = 7;

/** Splits CSV text into header-keyed rows (quoted fields, `,` `;` or tab separators). */
export function parseCsv(text) {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new Error('The file needs a header row and at least one data row.');
  const sep = [',', ';', '\t'].map((s) => [s, lines[0].split(s).length]).sort((a, b) => b[1] - a[1])[0][0];
  const split = (line) => {
    const out = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
        else if (c === '"') quoted = false;
        else cur += c;
      } else if (c === '"') quoted = true;
      else if (c === sep) out.push(cur), (cur = '');
      else cur += c;
    }
    out.push(cur);
    return out.map((v) => v.trim());
  };
  const header = split(lines[0]);
  return { header, rows: lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, j) => [header[j] ?? `column ${j + 1}`, v]))) };
}

/** Guesses which columns hold the customer, the date and the amount. */
export function guessColumns(header) {
  const find = (re, not) => header.find((h) => re.test(h) && !(not && not.includes(h)));
  const customerId = find(/cust|client|user|member|^id$|_id$/i) ?? header[0];
  const time = find(/date|time|day|when/i, [customerId]) ?? header[1];
  const amount = find(/amount|dollar|value|revenue|spend|sales|total|price|eur|usd/i, [customerId, time]) ?? header[header.length - 1];
  return { customerId, time, amount };
}

function table(rows, columns) {
  const head = `<tr>${columns.map((c) => `<th scope="col">${c[0]}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td>${escapeHtml(c[1](r))}</td>`).join('')}</tr>`).join('');
  return `<table>${head}${body}</table>`;
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function figure(chart, caption) {
  const file = `${chart.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.svg`;
  const href = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(chart.svg)}`;
  return `<figure>${chart}<figcaption>${escapeHtml(caption)} <a download="${file}" href="${href}">Download SVG</a></figcaption></figure>`;
}

/** Runs the analysis on CSV text and renders it into the page. Returns what it computed (for tests). */
export function analyse(text, k) {
  const { header, rows } = parseCsv(text);
  const fields = guessColumns(header);
  const { valid, issues } = validateTransactions(rows, { fields });
  if (valid.length === 0) throw new Error(`No valid transactions (${issues.length} problems; first: ${issues[0]?.message ?? 'none'}).`);
  const end = new Date(Math.max(...valid.map((t) => t.time.getTime())));
  const summaries = summarizeCustomers(valid, { observationEnd: end, period: 'week' });
  const model = BgNbd.fit(summaries);
  const scored = summaries.map((s) => ({ ...s, alive: model.probabilityAlive(s), next: model.expectedPurchases(HORIZON_WEEKS, s) }));

  // Segments on recency (days since last order), orders and spend, log-scaled and standardized.
  const raw = summaries.map((s) => [s.daysSinceLastPurchase, s.orders, s.totalSpend]);
  const logged = raw.map((r) => r.map((v) => Math.log1p(Math.max(0, v))));
  const mean = [0, 1, 2].map((j) => logged.reduce((a, r) => a + r[j], 0) / logged.length);
  const sd = [0, 1, 2].map((j) => Math.sqrt(logged.reduce((a, r) => a + (r[j] - mean[j]) ** 2, 0) / logged.length) || 1);
  // A feature that is the same for everyone (all customers with one order) cannot separate them: leave it out.
  const keep = [0, 1, 2].filter((j) => logged.some((r) => r[j] !== logged[0][j]));
  if (keep.length === 0) throw new Error('Every customer has the same recency, orders and spend: there is nothing to segment.');
  const X = logged.map((r) => keep.map((j) => (r[j] - mean[j]) / sd[j]));
  const kmeans = KMeans.fit(X, { k: Math.min(k, summaries.length), seed: SEED });
  const segments = Array.from({ length: kmeans.clusterCount }, (_, c) => {
    const members = raw.filter((_, i) => kmeans.labels[i] === c);
    const avg = [0, 1, 2].map((j) => members.reduce((a, r) => a + r[j], 0) / Math.max(1, members.length));
    return { c, count: members.length, avg };
  }).sort((a, b) => a.avg[0] - b.avg[0]);
  const names = segments.map((s, i) => `segment ${i + 1} (${Math.round(s.avg[0])} days)`);

  // Cumulative repeat purchases by week, actual and as BG/NBD expects from each customer's first purchase.
  const firsts = summaries.map((s) => Date.parse(s.firstPurchase));
  const start = Math.min(...firsts);
  const weeks = Math.ceil((end.getTime() - start) / WEEK_MS);
  const firstByCustomer = new Map(summaries.map((s, i) => [s.customerId, firsts[i]]));
  const perWeek = new Array(weeks + 1).fill(0);
  const seenDays = new Set();
  for (const t of valid) {
    const first = firstByCustomer.get(t.customerId);
    const key = `${t.customerId}|${t.time.toISOString().slice(0, 10)}`;
    if (first === undefined || t.time.getTime() <= first || seenDays.has(key)) continue;
    seenDays.add(key);
    perWeek[Math.min(weeks, Math.ceil((t.time.getTime() - start) / WEEK_MS))]++;
  }
  const t = Array.from({ length: weeks + 1 }, (_, w) => w);
  let acc = 0;
  const actual = perWeek.map((n) => (acc += n));
  const expected = t.map((w) => firsts.reduce((a, f) => a + (start + w * WEEK_MS > f ? model.expectedPurchases((start + w * WEEK_MS - f) / WEEK_MS) : 0), 0));

  // P(alive) over the grid of histories seen, at the longest customer age.
  const maxT = Math.max(...summaries.map((s) => s.T));
  const maxF = Math.min(30, Math.max(...summaries.map((s) => s.frequency)));
  const frequency = Array.from({ length: maxF + 1 }, (_, i) => i);
  const step = Math.max(1, Math.ceil(maxT / 20));
  const recency = Array.from({ length: Math.floor(maxT / step) + 1 }, (_, j) => j * step);
  const values = frequency.map((f) => recency.map((r) => model.probabilityAlive({ frequency: f, recency: f === 0 ? 0 : r, T: maxT })));

  // RFM quintiles (monetary = total spend): customers per recency × frequency cell.
  const bins = Math.min(5, summaries.length);
  const rfm = bins >= 2 ? rfmScores(summaries.map((s) => ({ ...s, monetary: s.totalSpend })), { bins }) : [];
  const rfmGrid = Array.from({ length: bins }, () => new Array(bins).fill(0));
  for (const r of rfm) rfmGrid[r.r - 1][r.f - 1]++;

  $('summary').innerHTML =
    `<p>${valid.length.toLocaleString()} transactions of ${summaries.length.toLocaleString()} customers (columns: ${escapeHtml(fields.customerId)}, ${escapeHtml(fields.time)}, ${escapeHtml(fields.amount)}; ${issues.length} rows skipped). ` +
    `BG/NBD: r = ${model.params.r.toFixed(3)}, α = ${model.params.alpha.toFixed(3)}, a = ${model.params.a.toFixed(3)}, b = ${model.params.b.toFixed(3)}.</p>` +
    `<p>Most valuable customers by purchases expected in the next ${HORIZON_WEEKS} weeks:</p>` +
    table(scored.slice().sort((a, b) => b.next - a.next).slice(0, 10), [
      ['customer', (s) => s.customerId],
      ['orders', (s) => s.orders],
      ['spend', (s) => s.totalSpend.toFixed(2)],
      ['days since last', (s) => s.daysSinceLastPurchase],
      ['P(alive)', (s) => s.alive.toFixed(3)],
      [`expected ${HORIZON_WEEKS} wk`, (s) => s.next.toFixed(2)],
    ]);
  $('charts').innerHTML = [
    ...(rfm.length ? [figure(rfmHeatmapChart({ values: rfmGrid }), 'RFM scores: recent, frequent buyers sit top right.')] : []),
    figure(expectedPurchasesChart([{ label: 'actual', t, purchases: actual }, { label: 'BG/NBD expected', t, purchases: expected }], { xLabel: 'Weeks since the first customer bought', yLabel: 'Cumulative repeat purchases' }), 'The model follows the observed repeat purchases.'),
    figure(probabilityAliveChart({ frequency, recency, values }, { periodLabel: 'weeks' }), 'Frequent buyers who have not bought for a while are the likeliest to have left.'),
    figure(segmentSizesChart(segments.map((s, i) => ({ label: names[i], count: s.count }))), 'Customers per k-means segment (log RFM features, standardized).'),
    figure(segmentProfilesChart({ segments: names, features: ['days since last order', 'orders', 'spend'], values: segments.map((s) => s.avg) }), 'Segment means; colour shows how far each segment is from the others.'),
  ].join('');
  return { customers: summaries.length, transactions: valid.length, params: model.params, segments: segments.map((s) => s.count) };
}

function run(text, source) {
  const status = $('status');
  status.className = '';
  status.textContent = `Analysing ${source}…`;
  // Let the status paint before the work starts.
  setTimeout(() => {
    try {
      const started = performance.now();
      const result = analyse(text, Number($('k').value) || 4);
      status.textContent = `Analysed ${source}: ${result.customers} customers in ${Math.round(performance.now() - started)} ms.`;
      document.body.dataset.state = 'done';
    } catch (e) {
      status.className = 'error';
      status.textContent = isCrmError(e) ? `${e.message} (${e.code}${e.path.length ? ` at ${e.path.join('.')}` : ''})` : String(e.message ?? e);
      document.body.dataset.state = 'error';
    }
  }, 0);
}

$('sample').addEventListener('click', () => run(sampleCsv, 'the CDNOW sample'));
$('file').addEventListener('change', async (event) => {
  const file = event.target.files?.[0];
  if (file) run(await file.text(), file.name);
});
document.body.dataset.state = 'ready';
