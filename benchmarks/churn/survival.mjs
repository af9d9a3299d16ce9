// Kaplan–Meier benchmark: @crm/churn KaplanMeier.fit beside R survival's survfit on the same data,
// in one run, at 10,000, 100,000 and 1,000,000 subjects, for two kinds of durations:
//   - "months": whole months 1..72 (Telco-like tenure; few distinct times, many ties),
//   - "continuous": exponential times with exponential censoring, to 1e-4 (mostly distinct times).
// Data are seeded (createRng), written to a temporary CSV for R. Times are CPU seconds (the machine
// is shared; CPU time is less affected by other jobs than wall time), median of the repeats:
// R: survfit(Surv(time, event) ~ 1) alone (user + system of system.time; the CSV read excluded),
// which computes the curve, Greenwood's variance and the band. Ours: KaplanMeier.fit on the
// columns (a Float64Array and a Uint8Array), then median() with its interval (which builds the
// band), after warm-up fits; reading the plain-array table afterwards is reported apart. Node
// runs with --single-threaded so compiler and GC work count on the measured thread. Run after
// `pnpm build`:
//   node --single-threaded benchmarks/churn/survival.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { KaplanMeier } from '@crm/churn';
import { createRng } from '@crm/core';

const SIZES = [10_000, 100_000, 1_000_000];
const REPEATS = 7;
const WARMUP = 2;

function data(kind, n) {
  const rng = createRng(20261202 + n + (kind === 'months' ? 0 : 1));
  const durations = new Float64Array(n);
  const events = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (kind === 'months') {
      // Monthly churn hazard 3 %, administrative censoring at a uniform tenure in 1..72.
      const limit = 1 + Math.floor(rng.uniform() * 72);
      let t = 1;
      while (t < limit && rng.uniform() >= 0.03) t++;
      durations[i] = t;
      events[i] = t < limit || rng.uniform() < 0.03 ? 1 : 0;
    } else {
      const life = -Math.log(1 - rng.uniform()) * 24;
      const censor = -Math.log(1 - rng.uniform()) * 36;
      // Rounded to 1e-4: R's timefix would merge times closer than about 1e-8 relative, which we
      // (documented) do not; at this resolution both count the same distinct times.
      durations[i] = Math.max(1e-4, Math.round(Math.min(life, censor) * 1e4) / 1e4);
      events[i] = life <= censor ? 1 : 0;
    }
  }
  return { durations, events };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** CPU seconds of: fit alone; fit + median with its interval (the band is built); then reading the plain-array table. */
function ours(d) {
  for (let i = 0; i < WARMUP; i++) KaplanMeier.fit(d).median();
  const fit = [];
  const withBand = [];
  const table = [];
  let km;
  for (let i = 0; i < REPEATS; i++) {
    const t0 = cpu();
    km = KaplanMeier.fit(d);
    const t1 = cpu();
    km.median();
    const t2 = cpu();
    void km.table.survival.length;
    const t3 = cpu();
    fit.push(t1 - t0);
    withBand.push(t2 - t0);
    table.push(t3 - t2);
  }
  return { fit: median(fit), seconds: median(withBand), table: median(table), distinct: km.table.time.length, median: km.median().time };
}

function r(d, dir) {
  const file = join(dir, 'survival.csv');
  const lines = ['time,event'];
  // 17 significant digits: R reads back exactly the doubles we fitted on.
  for (let i = 0; i < d.durations.length; i++) lines.push(`${d.durations[i].toPrecision(17)},${d.events[i]}`);
  writeFileSync(file, lines.join('\n') + '\n');
  const script = `
    suppressMessages(library(survival))
    d <- read.csv(${JSON.stringify(file)})
    f <- survfit(Surv(d$time, d$event) ~ 1)
    t <- replicate(${REPEATS}, { s <- system.time(survfit(Surv(d$time, d$event) ~ 1)); s[["user.self"]] + s[["sys.self"]] })
    cat(median(t), min(t), length(f$time), sprintf("%.17g", summary(f)$table[["median"]]), as.character(packageVersion("survival")), "\\n")`;
  const out = spawnSync('Rscript', ['-e', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) return { error: (out.stderr || 'Rscript failed').trim().split('\n').pop() };
  const [seconds, min, distinct, med, version] = out.stdout.trim().split(/\s+/);
  return { seconds: Number(seconds), min: Number(min), distinct: Number(distinct), median: Number(med), version };
}

const dir = mkdtempSync(join(tmpdir(), 'crm-km-'));
const rows = [];
try {
  for (const kind of ['months', 'continuous']) {
    for (const n of SIZES) {
      const d = data(kind, n);
      const a = ours(d);
      const b = r(d, dir);
      rows.push({ kind, n, ours: a, r: b });
      console.error(`${kind} n=${n}: ours ${a.seconds.toFixed(4)} s, R ${b.error ?? `${b.seconds.toFixed(4)} s`}`);
      if (!b.error && (a.distinct !== b.distinct || (Number.isFinite(b.median) && a.median !== b.median))) {
        throw new Error(`results differ from R: ${a.distinct} vs ${b.distinct} times, median ${a.median} vs ${b.median}`);
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const version = rows.find((x) => x.r.version)?.r.version ?? '?';
console.log(
  `Machine: ${cpus().length}-core ${process.arch} (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}${process.execArgv.includes('--single-threaded') ? ' (--single-threaded)' : ''}, R survival ${version}, load average at the end ${loadavg()[0].toFixed(1)}. CPU seconds, median of ${REPEATS} repeats (ours after ${WARMUP} warm-up fits).`,
);
console.log('');
console.log('| durations | subjects | distinct times | crm fit, s | crm fit + median with CI, s | R survfit, s | ratio (fit + median / R) | crm table read, s |');
console.log('|---|---|---|---|---|---|---|---|');
for (const x of rows) {
  const rr = x.r.error ? `failed: ${x.r.error}` : x.r.seconds.toFixed(4);
  const ratio = x.r.error ? '–' : x.r.seconds > 0 ? `${(x.ours.seconds / x.r.seconds).toFixed(2)}×` : '– (R below its 1 ms clock)';
  console.log(`| ${x.kind} | ${x.n.toLocaleString('en-US')} | ${x.ours.distinct.toLocaleString('en-US')} | ${x.ours.fit.toFixed(4)} | ${x.ours.seconds.toFixed(4)} | ${rr} | ${ratio} | ${x.ours.table.toFixed(4)} |`);
}
