// Notebook test: executes examples/notebook/crm-walkthrough.ipynb headless with Deno's Jupyter
// kernel and Debian's jupyter-nbconvert (its ExecutePreprocessor, the engine of
// `jupyter nbconvert --execute`), then checks that no cell failed and that the outputs hold the
// expected charts as SVG.
//
// Deno's kernel (2.x) can publish a cell's result just after the cell's idle status; nbconvert stops
// listening at idle and drops it at random (about one chart in ten). The preprocessor below is
// nbconvert's with one change: after idle it keeps listening briefly for late output of that cell.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const notebook = join(root, 'examples', 'notebook', 'crm-walkthrough.ipynb');
const env = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' };
const MIN_CHARTS = 8;
const EXPECTED_TITLES = ['RFM grid', 'Purchases over time', 'Probability a customer is alive', 'Elbow', 'Mean silhouette', 'Segment profiles', 'Dendrogram', 'SOM U-matrix', 'SOM hit map', 'Association rules', 'ROC curve', 'Cumulative gains', 'Calibration', 'Feature importance', 'Cohorts: retention', 'Retention curves', 'Kaplan–Meier by contract', 'Cox model: survival'];
const CELL_TIMEOUT_S = 300;
const PYTHON = '/usr/bin/python3'; // Debian's, which has jupyter-nbconvert and python3-nbclient
const EXECUTOR = `
import sys, os, nbformat
from queue import Empty
from nbconvert.preprocessors import ExecutePreprocessor
from nbclient.exceptions import CellExecutionComplete
from nbclient.util import ensure_async

# Seconds to keep listening after a cell's idle status (late results were measured under 1 ms after it).
LATE_S = float(os.environ.get('LATE_S', '0.3'))

class DenoExecutePreprocessor(ExecutePreprocessor):
    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=LATE_S))
            except Empty:
                return
            if msg['parent_header'].get('msg_id') == parent_msg_id and msg['msg_type'] != 'status':
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    pass

src, dst = sys.argv[1], sys.argv[2]
nb = nbformat.read(src, as_version=4)
DenoExecutePreprocessor(timeout=int(os.environ["CELL_TIMEOUT_S"]), kernel_name='deno').preprocess(nb, {'metadata': {'path': os.path.dirname(os.path.abspath(src))}})
nbformat.write(nb, dst)
`;

// The Deno kernel must be registered with Jupyter (`deno jupyter --install`, idempotent).
const kernelDir = join(process.env.JUPYTER_DATA_DIR ?? join(homedir(), '.local', 'share', 'jupyter'), 'kernels', 'deno');
if (!existsSync(kernelDir)) execFileSync(join(root, 'node_modules', '.bin', 'deno'), ['jupyter', '--install'], { env, stdio: 'inherit' });

const committed = JSON.parse(readFileSync(notebook, 'utf8'));
const stale = committed.cells.filter((c) => c.cell_type === 'code' && (c.outputs?.length || c.execution_count !== null));
if (stale.length) {
  console.error(`test-notebook: the committed notebook holds outputs in ${stale.length} cell(s); clear them (outputs are generated)`);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'crm-notebook-'));
const out = join(dir, 'executed.ipynb');
try {
  execFileSync(PYTHON, ['-c', EXECUTOR, notebook, out], { env: { ...env, CELL_TIMEOUT_S: String(CELL_TIMEOUT_S) }, stdio: ['ignore', 'inherit', 'pipe'] });
} catch (e) {
  console.error(`test-notebook: executing the notebook failed\n${e.stderr?.toString() ?? e.message}`);
  process.exit(1);
}
const executed = JSON.parse(readFileSync(out, 'utf8'));
rmSync(dir, { recursive: true, force: true });

const problems = [];
const svgs = [];
executed.cells.forEach((cell, i) => {
  if (cell.cell_type !== 'code') return;
  if (cell.execution_count === null) problems.push(`cell ${i} did not run`);
  for (const o of cell.outputs ?? []) {
    if (o.output_type === 'error') problems.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
    if (o.output_type === 'stream' && o.name === 'stderr') problems.push(`cell ${i} wrote to stderr: ${[].concat(o.text).join('').slice(0, 200)}`);
    const svg = o.data?.['image/svg+xml'];
    if (svg !== undefined) svgs.push([].concat(svg).join(''));
  }
});
for (const svg of svgs) {
  if (!svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') || !svg.includes('role="img"') || /NaN|undefined/.test(svg)) problems.push(`a malformed chart: ${svg.slice(0, 120)}`);
}
const titles = svgs.map((svg) => /<title[^>]*>([^<]*)<\/title>/.exec(svg)?.[1] ?? '');
for (const t of EXPECTED_TITLES) if (!titles.some((title) => title.startsWith(t))) problems.push(`no chart titled '${t}…'`);
if (svgs.length < MIN_CHARTS) problems.push(`only ${svgs.length} charts (want at least ${MIN_CHARTS})`);
if (problems.length) {
  console.error(`test-notebook: ${problems.length} problem(s)\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`test-notebook: ${executed.cells.filter((c) => c.cell_type === 'code').length} cells ran with no error; ${svgs.length} charts: ${titles.join(' | ')}`);
