// Summarizes the bundled CDNOW transactions with the *built* @crm/core and prints the result as
// JSON. Runs unchanged in Node and in Deno; scripts/smoke-deno.mjs compares the two outputs.
import { summarizeCustomers, validateTransactions, createRng } from '../packages/core/dist/index.js';

const url = new URL('../examples/data/CDNOW_sample.txt', import.meta.url);
const text = globalThis.Deno
  ? await globalThis.Deno.readTextFile(url)
  : (await import('node:fs')).readFileSync(url, 'utf8');
const rows = text
  .trim()
  .split('\n')
  .map((line) => {
    const [, id, date, , dollars] = line.trim().split(/\s+/);
    return { customerId: id, time: date, amount: dollars };
  });
const { valid, issues } = validateTransactions(rows);
const summaries = summarizeCustomers(valid, { observationEnd: '1997-09-30', period: 'week' });
const rng = createRng(42);
const draws = Array.from({ length: 5 }, () => rng.uniform());
console.log(JSON.stringify({ issues: issues.length, summaries, draws }));
