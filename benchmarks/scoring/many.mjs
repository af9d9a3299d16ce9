// Batch predictions beside the single forms: the cost per customer of expectedPurchasesMany,
// probabilityAliveMany, conditionalProbabilityOfPurchasesMany (n = 2) and logLikelihoodMany of
// BG/NBD, MBG/NBD and Pareto/NBD (and GammaGamma's expectedSpendMany) against a loop over the
// single method, and against lifetimes 0.11.3's vectorised (numpy) calls of the same predictions
// (many_lifetimes.py, run from this script in the same run, timed inside Python).
//
// Data: the CDNOW calibration summary (2,357 customers, weeks) repeated 1×, 10× and 40× (2,357,
// 23,570 and 94,280 customers); models at lifetimes' CDNOW fits (the conditional_reference.json
// parameters), t = 39 weeks. The single and batch cases alternate run by run; median of RUNS after
// a warm-up.
//
// Run: pnpm --filter @crm/core --filter @crm/scoring build &&
//      PYTHONPATH=<lifetimes + autograd source> node benchmarks/scoring/many.mjs [repeats, default 1 10 40]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BgNbd, GammaGamma, ModifiedBgNbd, ParetoNbd } from '@crm/scoring';

const RUNS = 7;
const T_AHEAD = 39;
const N = 2;
const fixtures = new URL('../../packages/scoring/test/fixtures/', import.meta.url);
const ref = JSON.parse(readFileSync(new URL('conditional_reference.json', fixtures), 'utf8'));
const [head, ...lines] = readFileSync(new URL('cdnow_customers_summary_with_transactions.csv', fixtures), 'utf8').trim().split(/\r?\n/);
const keys = head.split(',');
const cdnow = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], Number(v)]))).map((r) => ({ frequency: r.x, recency: r.t_x, T: r.T, monetary: r.zbar }));

const report = { converged: true, iterations: 0, logLikelihood: 0, message: 'lifetimes', method: 'bfgs', observations: 2357, standardErrors: null };
const load = (cls, kind) => cls.fromJSON({ kind: `crm.scoring.${kind}`, version: 1, options: { penalizer: 0 }, params: ref.models[kind].params, report });
const models = { BgNbd: load(BgNbd, 'bg-nbd'), ModifiedBgNbd: load(ModifiedBgNbd, 'modified-bg-nbd'), ParetoNbd: load(ParetoNbd, 'pareto-nbd') };
const gg = GammaGamma.fit(cdnow.filter((c) => c.frequency > 0));

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const time = (f) => {
  const t0 = performance.now();
  const out = f();
  return [performance.now() - t0, out];
};

function cases(customers) {
  const out = [];
  for (const [name, m] of Object.entries(models)) {
    out.push([`${name} expectedPurchases`, () => Float64Array.from(customers, (c) => m.expectedPurchases(T_AHEAD, c)), () => m.expectedPurchasesMany(T_AHEAD, customers)]);
    out.push([`${name} probabilityAlive`, () => Float64Array.from(customers, (c) => m.probabilityAlive(c)), () => m.probabilityAliveMany(customers)]);
    out.push([`${name} conditionalProbabilityOfPurchases`, () => Float64Array.from(customers, (c) => m.conditionalProbabilityOfPurchases(T_AHEAD, N, c)), () => m.conditionalProbabilityOfPurchasesMany(T_AHEAD, N, customers)]);
    out.push([`${name} logLikelihood`, () => Float64Array.from(customers, (c) => m.logLikelihood(c)), () => m.logLikelihoodMany(customers)]);
  }
  out.push(['GammaGamma expectedSpend', () => Float64Array.from(customers, (c) => gg.expectedSpend(c)), () => gg.expectedSpendMany(customers)]);
  return out;
}

const repeats = process.argv.slice(2).map(Number);
const sizes = repeats.length > 0 ? repeats : [1, 10, 40];
const python = (() => {
  try {
    const script = fileURLToPath(new URL('many_lifetimes.py', import.meta.url));
    return JSON.parse(execFileSync('/usr/bin/python3', [script, ...sizes.map(String)], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  } catch (error) {
    console.error(`lifetimes could not be run (${error.message.split('\n')[0]}); its column stays empty`);
    return null;
  }
})();

console.log(`Node ${process.version}, ${cpus().length}× ${cpus()[0]?.model}, load average ${loadavg()[0].toFixed(1)} at the start of the JS cases`);
console.log('| customers | prediction | single loop, median ms | batch, median ms | batch / single | batch µs per customer | lifetimes 0.11.3 (numpy), median ms | batch speed-up vs lifetimes |');
console.log('|---|---|---|---|---|---|---|---|');
for (const k of sizes) {
  const customers = Array.from({ length: k }, () => cdnow).flat();
  for (const [name, single, batch] of cases(customers)) {
    single();
    batch();
    const ts = [];
    const tb = [];
    for (let r = 0; r < RUNS; r++) {
      const [a, x] = time(single);
      const [b, y] = time(batch);
      ts.push(a);
      tb.push(b);
      // The batch is the single form bit for bit; a benchmark that computed something else would say nothing.
      for (let i = 0; i < x.length; i += 97) if (!Object.is(x[i], y[i])) throw new Error(`${name}: batch ≠ single at ${i}`);
    }
    const s = median(ts);
    const b = median(tb);
    const peer = python?.[String(customers.length)]?.[name];
    console.log(
      `| ${customers.length.toLocaleString('en')} | ${name} | ${s.toFixed(2)} | ${b.toFixed(2)} | ${(b / s).toFixed(2)} | ${((1000 * b) / customers.length).toFixed(3)} | ${peer === undefined ? '–' : peer.toFixed(2)} | ${peer === undefined ? '–' : `${(peer / b).toFixed(1)}×`} |`,
    );
  }
}
console.log(`load average ${loadavg()[0].toFixed(1)} at the end`);
