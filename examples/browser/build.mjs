// Bundles the browser example with esbuild: examples/browser/app.js → examples/browser/dist/app.js.
// @crm/* resolve to the packages' sources (their jsr.json exports), so no package build is needed.
import { build } from 'esbuild';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const packages = fileURLToPath(new URL('../../packages/', import.meta.url));
const aliases = {};
for (const name of readdirSync(packages)) {
  const jsr = JSON.parse(readFileSync(join(packages, name, 'jsr.json'), 'utf8'));
  for (const [sub, file] of Object.entries(jsr.exports)) aliases[`@crm/${name}${sub === '.' ? '' : sub.slice(1)}`] = join(packages, name, file);
}

export async function bundle() {
  const result = await build({
    entryPoints: [join(here, 'app.js')],
    outfile: join(here, 'dist', 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    metafile: true,
    loader: { '.csv': 'text' },
    logLevel: 'warning',
    plugins: [{ name: 'crm-sources', setup: (b) => b.onResolve({ filter: /^@crm\// }, (a) => (aliases[a.path] ? { path: aliases[a.path] } : undefined)) }],
  });
  const out = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  return { bytes: out?.bytes ?? 0 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { bytes } = await bundle();
  console.log(`examples/browser/dist/app.js: ${(bytes / 1024).toFixed(0)} KiB (of which the CDNOW sample is ~170 KiB)`);
}
