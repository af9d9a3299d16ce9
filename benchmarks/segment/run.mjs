// Benchmark of @crm/segment beside its peers, in the same run:
//  - k-means on 100,000 and 1,000,000 × 8 (k = 8): KMeans (one start, and the default ten) vs
//    scikit-learn's KMeans (n_init 1 and 10, single-threaded: OMP_NUM_THREADS=1, a python3 child on
//    the same rows) and ml-kmeans (one start, at 100,000 only);
//  - agglomerative Ward on 2,000, 5,000 and 10,000 points × 8: Agglomerative vs scipy `linkage`
//    (a python3 child process, when Debian's python3-scipy is installed) and ml-hclust `agnes`
//    ('ward2', the variant equal to scipy's Ward) at n = 1,000 and 2,000 only: it is O(n³) and
//    would take hours at n = 5,000.
// Every case runs in its own child process, so its peak memory (maxRSS above the RSS after the data
// is built) is its own. Times are medians of CPU time (user + system) and of wall time.
// Usage: pnpm build && node --expose-gc benchmarks/segment/run.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@crm/core';
import { Agglomerative, KMeans } from '@crm/segment';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { agnes } from 'ml-hclust';

const SEED = 20261122;
const D = 8;
const KMEANS_SIZES = [100_000, 1_000_000];
const KMEANS_K = 8;
const PYTHON = '/usr/bin/python3';

/** Gaussian blobs: `k` centres drawn in [-10, 10]^d, unit spread, n rows in total. */
function blobs(n, d, k, seed) {
  const rng = createRng(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.uniform() * 20 - 10));
  return Array.from({ length: n }, () => {
    const c = centres[rng.int(0, k)];
    return c.map((v) => v + rng.normal() * 2);
  });
}

function sse(X, labels) {
  const d = X[0].length;
  const sums = new Map();
  X.forEach((x, i) => {
    const s = sums.get(labels[i]) ?? { n: 0, v: new Float64Array(d) };
    s.n++;
    for (let t = 0; t < d; t++) s.v[t] += x[t];
    sums.set(labels[i], s);
  });
  let total = 0;
  X.forEach((x, i) => {
    const s = sums.get(labels[i]);
    for (let t = 0; t < d; t++) total += (x[t] - s.v[t] / s.n) ** 2;
  });
  return total;
}

const CASES = {};
for (const n of KMEANS_SIZES) {
  const data = () => blobs(n, D, KMEANS_K, SEED);
  CASES[`kmeans/crm-1-start/${n}`] = {
    reps: 5,
    data,
    run: (X, r) => {
      const m = KMeans.fit(X, { k: KMEANS_K, restarts: 1, maxIterations: 100, seed: r });
      return { iterations: m.iterations, inertia: m.inertia };
    },
  };
  CASES[`kmeans/crm-10-starts/${n}`] = {
    reps: 3,
    data,
    run: (X, r) => {
      const m = KMeans.fit(X, { k: KMEANS_K, restarts: 10, maxIterations: 100, seed: r });
      return { iterations: m.iterations, inertia: m.inertia };
    },
  };
  CASES[`kmeans/sklearn-1-start/${n}`] = { reps: 5, python: 'kmeans', starts: 1, data };
  CASES[`kmeans/sklearn-10-starts/${n}`] = { reps: 3, python: 'kmeans', starts: 10, data };
  if (n <= 100_000) {
    CASES[`kmeans/ml-kmeans-1-start/${n}`] = {
      reps: 5,
      data,
      run: (X, r) => {
        const m = mlKmeans(X, KMEANS_K, { initialization: 'kmeans++', maxIterations: 100, seed: r + 1 });
        return { iterations: m.iterations, inertia: sse(X, m.clusters) };
      },
    };
  }
}
for (const n of [2000, 5000, 10000]) {
  CASES[`ward/crm/${n}`] = {
    reps: n >= 10000 ? 3 : 5,
    data: () => blobs(n, D, 8, SEED + n),
    run: (X) => {
      const t = Agglomerative.fit(X, { linkage: 'ward' });
      return { top: t.merges[t.merges.length - 1].height };
    },
  };
  CASES[`ward/scipy/${n}`] = { reps: n >= 10000 ? 3 : 5, python: 'ward', data: () => blobs(n, D, 8, SEED + n) };
}
for (const n of [1000, 2000]) {
  CASES[`ward/ml-hclust/${n}`] = {
    reps: n >= 2000 ? 1 : 3,
    data: () => blobs(n, D, 8, SEED + n),
    run: (X) => ({ top: agnes(X, { method: 'ward2' }).height }),
  };
}
CASES['ward/crm/1000'] = { ...CASES['ward/crm/2000'], data: () => blobs(1000, D, 8, SEED + 1000) };

function median(v) {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function child(name) {
  const c = CASES[name];
  const X = c.data();
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  const wall = [];
  const cpu = [];
  const infos = [];
  for (let r = 0; r < c.reps; r++) {
    globalThis.gc?.(); // free the previous run's result so runs do not stack up in the peak
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    infos.push(c.run(X, r));
    wall.push(performance.now() - t0);
    const dc = process.cpuUsage(c0);
    cpu.push((dc.user + dc.system) / 1000);
  }
  const peakMb = (process.resourceUsage().maxRSS * 1024 - baseline) / 2 ** 20;
  // Quality over the runs (different seeds): median iterations and inertia, and the worst inertia.
  const info = {};
  for (const key of Object.keys(infos[0])) info[key] = median(infos.map((x) => x[key]));
  if ('inertia' in info) info.worstInertia = Math.max(...infos.map((x) => x.inertia));
  process.stdout.write(JSON.stringify({ wall: median(wall), cpu: median(cpu), peakMb, reps: c.reps, ...info }));
}

const PY = {
  ward: `
import sys, time, resource, numpy as np
from scipy.cluster.hierarchy import linkage
X = np.fromfile(sys.argv[1], dtype='<f8').reshape(-1, ${D})
reps = int(sys.argv[2])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
wall, cpu = [], []
for r in range(reps):
    c0, t0 = time.process_time(), time.perf_counter()
    Z = linkage(X, 'ward')
    wall.append((time.perf_counter() - t0) * 1000); cpu.append((time.process_time() - c0) * 1000)
peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
import json, statistics
print(json.dumps({"wall": statistics.median(wall), "cpu": statistics.median(cpu), "peakMb": peak, "reps": reps, "top": float(Z[-1, 2])}))
`,
  kmeans: `
import sys, time, resource, numpy as np
from sklearn.cluster import KMeans
X = np.fromfile(sys.argv[1], dtype='<f8').reshape(-1, ${D})
reps, starts = int(sys.argv[2]), int(sys.argv[3])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
wall, cpu, its, inertia = [], [], [], []
for r in range(reps):
    c0, t0 = time.process_time(), time.perf_counter()
    m = KMeans(${KMEANS_K}, n_init=starts, max_iter=100, random_state=r).fit(X)
    wall.append((time.perf_counter() - t0) * 1000); cpu.append((time.process_time() - c0) * 1000)
    its.append(m.n_iter_); inertia.append(m.inertia_)
peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
import json, statistics
print(json.dumps({"wall": statistics.median(wall), "cpu": statistics.median(cpu), "peakMb": peak, "reps": reps,
                  "iterations": statistics.median(its), "inertia": statistics.median(inertia), "worstInertia": max(inertia)}))
`,
};

function runPython(name, dir) {
  const c = CASES[name];
  const X = c.data();
  const file = join(dir, `${name.replaceAll('/', '_')}.f64`);
  const flat = new Float64Array(X.length * D);
  X.forEach((x, i) => flat.set(x, i * D));
  writeFileSync(file, flat);
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  const out = execFileSync(PYTHON, ['-c', PY[c.python], file, String(c.reps), String(c.starts ?? 1)], { encoding: 'utf8', env });
  return JSON.parse(out);
}

function hasScipy() {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import scipy.cluster.hierarchy, sklearn.cluster'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (process.argv[2]) {
  child(process.argv[2]);
} else {
  const only = process.argv.slice(2);
  const scipy = hasScipy();
  const dir = mkdtempSync(join(tmpdir(), 'crm-segment-bench-'));
  const results = {};
  try {
    for (const [name, c] of Object.entries(CASES)) {
      if (c.python && !scipy) continue;
      process.stderr.write(`running ${name} …\n`);
      results[name] = c.python
        ? runPython(name, dir)
        : JSON.parse(execFileSync(process.execPath, ['--expose-gc', new URL(import.meta.url).pathname, name], { encoding: 'utf8', maxBuffer: 1 << 20 }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const s = (ms) => (ms / 1000).toFixed(2);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ${scipy ? 'scipy and scikit-learn via ' + PYTHON : 'scipy/scikit-learn not installed: peers skipped'}`);
  console.log(`\nk-means, n × ${D} Gaussian blobs (seed ${SEED}), k = ${KMEANS_K}, k-means++ start(s), at most 100 iterations; scikit-learn single-threaded`);
  console.log('| n | implementation | median CPU s | median wall s | peak memory above input, MB | runs | median iterations | median inertia | worst inertia | CPU ratio to scikit-learn |');
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of KMEANS_SIZES) {
    for (const starts of ['1-start', '10-starts']) {
      const base = results[`kmeans/sklearn-${starts}/${n}`];
      for (const impl of ['crm', 'sklearn', 'ml-kmeans']) {
        const r = results[`kmeans/${impl}-${starts}/${n}`];
        if (!r) continue;
        const ratio = base ? `${(r.cpu / base.cpu).toFixed(2)}×` : '—';
        console.log(`| ${n.toLocaleString('en')} | ${impl}, ${starts.replace('-', ' ')} | ${s(r.cpu)} | ${s(r.wall)} | ${r.peakMb.toFixed(0)} | ${r.reps} | ${r.iterations} | ${r.inertia.toExponential(6)} | ${r.worstInertia.toExponential(6)} | ${ratio} |`);
      }
    }
  }
  console.log(`\nagglomerative Ward, n × ${D} Gaussian blobs`);
  console.log('| n | implementation | runs | median CPU s | median wall s | peak memory above input, MB | top merge height | CPU ratio to scipy |');
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const n of [1000, 2000, 5000, 10000]) {
    const base = results[`ward/scipy/${n}`];
    for (const impl of ['crm', 'scipy', 'ml-hclust']) {
      const r = results[`ward/${impl}/${n}`];
      if (!r) continue;
      const ratio = base ? `${(r.cpu / base.cpu).toFixed(2)}×` : '—';
      console.log(`| ${n.toLocaleString('en')} | ${impl} | ${r.reps} | ${s(r.cpu)} | ${s(r.wall)} | ${r.peakMb.toFixed(0)} | ${r.top.toFixed(6)} | ${ratio} |`);
    }
  }
}
