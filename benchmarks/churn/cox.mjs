// CoxPh fit time beside R survival's coxph on the same rows, in one run:
//   pnpm build && node benchmarks/churn/cox.mjs [sizes…]   (default 10000 30000 100000)
// Data: seeded synthetic customers, 20 covariates (8 normal, 4 uniform, 8 binary with p = 0.3),
// exponential times with hazard 0.01·exp(β·x), censored at a uniform time in [0, 365] days, rounded
// up to whole days (so tied times are common, as in CRM data). Efron ties for both.
// Ours: CoxPh.fit CPU time (process.cpuUsage, user + system) and wall time, median of 3 fits after
// one warm-up fit, in this process. R: coxph's user + system and elapsed time (system.time), median
// of 3 after one warm-up, on the same rows written to a CSV (reading the CSV is not timed). CPU
// time is the figure to compare on a shared machine; wall time grows with the load. The max |Δβ|
// between the two fits is printed as a check that both solved the same problem.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@crm/core';
import { CoxPh } from '@crm/churn';

const P = 20;
const REPEATS = 3;

function synthetic(n) {
  const rng = createRng(20261202);
  const beta = Array.from({ length: P }, (_, j) => (j % 4 === 0 ? 0 : rng.normal(0, 0.3)));
  const X = [];
  const durations = new Float64Array(n);
  const events = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const row = new Float64Array(P);
    for (let j = 0; j < 8; j++) row[j] = rng.normal();
    for (let j = 8; j < 12; j++) row[j] = rng.uniform();
    for (let j = 12; j < P; j++) row[j] = rng.uniform() < 0.3 ? 1 : 0;
    let eta = 0;
    for (let j = 0; j < P; j++) eta += beta[j] * row[j];
    const t = -Math.log(1 - rng.uniform()) / (0.01 * Math.exp(eta));
    const c = 365 * rng.uniform();
    durations[i] = Math.max(1, Math.ceil(Math.min(t, c)));
    events[i] = t <= c ? 1 : 0;
    X.push(row);
  }
  return { X, durations, events };
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeOurs({ X, durations, events }) {
  let model = CoxPh.fit(X, { durations, events }); // warm-up
  const wall = [];
  const cpu = [];
  for (let r = 0; r < REPEATS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    model = CoxPh.fit(X, { durations, events });
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { cpu: median(cpu) / 1000, wall: median(wall) / 1000, model };
}

const R_SCRIPT = `
suppressMessages(library(survival))
d <- read.csv(commandArgs(TRUE)[1])
X <- as.matrix(d[, -(1:2)])
f <- function() coxph(Surv(d$time, d$status) ~ X, ties = "efron")
invisible(f())
s <- sapply(1:${REPEATS}, function(i) { t <- system.time(fit <<- f()); c(t[["user.self"]] + t[["sys.self"]], t[["elapsed"]]) })
cat(median(s[1, ]), "\\n", median(s[2, ]), "\\n", sep = "")
cat(unname(coef(fit)), sep = "\\n")
`;

function timeR({ X, durations, events }, dir) {
  const csv = join(dir, 'cox.csv');
  const lines = ['time,status,' + Array.from({ length: P }, (_, j) => `x${j}`).join(',')];
  for (let i = 0; i < X.length; i++) lines.push(`${durations[i]},${events[i]},${Array.from(X[i]).join(',')}`);
  writeFileSync(csv, lines.join('\n'));
  const script = join(dir, 'cox.R');
  writeFileSync(script, R_SCRIPT);
  const run = spawnSync('Rscript', [script, csv], { encoding: 'utf8' });
  if (run.status !== 0) return { error: (run.stderr || 'Rscript failed').trim().split('\n').pop() };
  const [cpu, wall, ...coef] = run.stdout.trim().split('\n').map(Number);
  return { cpu, wall, coef };
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const dir = mkdtempSync(join(tmpdir(), 'crm-cox-'));
console.log(`CoxPh vs R survival coxph, ${P} covariates, Efron ties; ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
console.log('| rows | events | distinct times | CoxPh CPU s | CoxPh wall s | iterations | R coxph CPU s | R coxph wall s | ours / R (CPU) | max abs Δβ |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
try {
  for (const n of sizes.length > 0 ? sizes : [10000, 30000, 100000]) {
    const data = synthetic(n);
    const ours = timeOurs(data);
    const r = timeR(data, dir);
    const nEvents = data.events.reduce((a, b) => a + b, 0);
    const distinct = new Set(data.durations).size;
    const delta = r.coef ? Math.max(...ours.model.coefficients.map((b, j) => Math.abs(b - r.coef[j]))) : NaN;
    console.log(
      `| ${n.toLocaleString('en')} | ${nEvents.toLocaleString('en')} | ${distinct} | ${ours.cpu.toFixed(3)} | ${ours.wall.toFixed(3)} | ${ours.model.report.iterations} | ` +
        `${r.error ? `failed: ${r.error}` : `${r.cpu.toFixed(3)} | ${r.wall.toFixed(3)}`} | ${r.error ? '–' : (ours.cpu / r.cpu).toFixed(2) + '×'} | ${Number.isNaN(delta) ? '–' : delta.toExponential(1)} |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
