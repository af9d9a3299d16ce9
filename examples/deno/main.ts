// @crm from Deno: the same end-to-end pipeline as `pnpm demo` (CDNOW customer value, churn and cohorts,
// Mall segments, Groceries rules, Telco churn and survival), run on the TypeScript sources as JSR serves them.
//
//   deno run --allow-read examples/deno/main.ts           # a table of the key numbers
//   deno run --allow-read examples/deno/main.ts --json    # the same as JSON (Node prints identical JSON:
//                                                         #   node examples/report.mjs --json)
import { analyse, DATA_FILES, printable } from '../report.mjs';

/** Reads a data file as text; `.gz` files are unpacked with the web-standard DecompressionStream. */
async function readText(relativeToExamples: string): Promise<string> {
  const bytes = await Deno.readFile(new URL(`../${relativeToExamples}`, import.meta.url));
  if (!relativeToExamples.endsWith('.gz')) return new TextDecoder().decode(bytes);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return await new Response(stream).text();
}

const texts: Record<string, string> = {};
for (const [key, file] of Object.entries(DATA_FILES)) texts[key] = await readText(file);

const started = performance.now();
const { numbers, figures } = analyse(texts);
const rounded = printable(numbers) as Record<string, unknown>;

if (Deno.args.includes('--json')) {
  console.log(JSON.stringify(rounded, null, 2));
} else {
  const show = (v: unknown): string => (Array.isArray(v) ? (v.every((x) => !Array.isArray(x)) ? v.join(', ') : `${v.length} rows`) : typeof v === 'object' && v !== null ? Object.entries(v).map(([k, x]) => `${k} = ${x}`).join(', ') : String(v));
  const width = Math.max(...Object.keys(rounded).map((k) => k.length));
  console.log(`@crm in Deno ${Deno.version.deno}: ${figures.length} charts and these numbers in ${Math.round(performance.now() - started)} ms\n`);
  for (const [key, value] of Object.entries(rounded)) console.log(`${key.padEnd(width)}  ${show(value)}`);
}
