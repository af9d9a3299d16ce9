// `pnpm demo`: the whole library end to end on real data, one section per package.
// Each section lives in examples/sections/<package>.mjs and prints its own tables.
import { existsSync } from 'node:fs';

const SECTIONS = ['core', 'scoring', 'sql', 'segment', 'rules', 'churn', 'retention'];

for (const name of SECTIONS) {
  const url = new URL(`./sections/${name}.mjs`, import.meta.url);
  if (!existsSync(url)) continue;
  const section = await import(url.href);
  await section.run();
}

// The charts of the whole pipeline as one HTML page (examples/report.mjs).
const { analyse, loadTexts, writeReport } = await import('./report.mjs');
const { figures } = analyse(await loadTexts());
console.log(`\n## Report\n${figures.length} charts written to ${await writeReport(figures)}`);
