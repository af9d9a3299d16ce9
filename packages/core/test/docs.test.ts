// Every TypeScript/JavaScript block of README.md, packages/*/README.md and docs/*.md runs as
// written and type-checks under the repository's strict tsconfig, and the values it shows are
// the values it produces, so a doc cannot drift from the code.
//
// How a page is read (docs/README.md, "Code examples", says the same to readers):
// - The runnable blocks of one page are one program, run in order, like a notebook: a later block
//   uses what an earlier one defined. Imports are hoisted and merged, as a module's are.
// - `expression; // → value` shows the value of the expression (a `→` comment on the next lines
//   belongs to the statement above it; it continues while its brackets are open). For
//   `console.log(…); // → text` the value is what the call prints.
// - A ```text block right after a code block is what that block prints.
// - Numbers are compared at the precision the page prints them (0.826 stands for a value within
//   0.0005 of it), `…` stands for anything, and spacing (and the length of ─ runs in tables) is free.
// - A block that must not run says so in its info string (```ts no-run); EXPECTED_NO_RUN lists them.
//   Other languages are shell commands (```sh) only; anything else fails the first test.
// Paths the blocks read (examples/data/…, packages/*/test/fixtures/…) are relative to the
// repository root, where vitest runs. A page's imports outside @crm resolve from its package
// (packages/x/README.md and docs/x.md belong to packages/x; other pages to core), so a page can
// use the drivers its package tests with (@crm/sql's pages run on a real DuckDB).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Console } from 'node:console';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const RUNNABLE = new Set(['ts', 'typescript', 'js', 'javascript']);
const NO_RUN = 'no-run';

/**
 * Blocks that show code but must not run, by page and first line of the block. Keep it short:
 * adding one here is a decision someone can see in review.
 */
const EXPECTED_NO_RUN: readonly string[] = [
  // needs a PostgreSQL server (the same builders run on one in packages/sql/test)
  "docs/sql.md:import pg from 'pg';",
];

interface Block {
  readonly file: string; // relative to ROOT
  readonly lang: string;
  readonly flags: readonly string[];
  readonly line: number; // 1-based line of the first code line
  readonly code: string;
  output?: { readonly line: number; readonly text: string };
}

function markdownFiles(): string[] {
  const list = ['README.md'];
  for (const pkg of readdirSync(join(ROOT, 'packages')).sort()) {
    if (existsSync(join(ROOT, 'packages', pkg, 'README.md'))) list.push(`packages/${pkg}/README.md`);
  }
  for (const name of readdirSync(join(ROOT, 'docs')).sort()) if (name.endsWith('.md')) list.push(`docs/${name}`);
  return list;
}

function blocksOf(file: string): Block[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  let lastRunnableEnd = -2;
  let last: Block | undefined;
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const lang = open[1].toLowerCase();
    const flags = open[2].split(/\s+/).filter(Boolean);
    let j = i + 1;
    while (j < lines.length && !/^```\s*$/.test(lines[j])) j++;
    const code = lines.slice(i + 1, j).join('\n');
    const betweenBlank = lines.slice(lastRunnableEnd + 1, i).every((l) => l.trim() === '');
    if (lang === 'text' && last && betweenBlank && lastRunnableEnd >= 0) {
      last.output = { line: i + 2, text: code };
      last = undefined;
    } else {
      const block: Block = { file, lang, flags, line: i + 2, code };
      blocks.push(block);
      if (RUNNABLE.has(lang) && !flags.includes(NO_RUN)) {
        last = block;
        lastRunnableEnd = j;
      } else {
        last = undefined;
        lastRunnableEnd = -2;
      }
    }
    i = j;
  }
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// Matching what a page shows against what the code produced

const NUMBER = /\d+(?:\.\d+)?/y;

/** null when `actual` is what `expected` shows, else a description of the first difference. */
function compareShown(expected: string, actual: string): string | null {
  // Tokens of what the page shows: literal characters, numbers (compared at their precision),
  // `…` (anything) and whitespace. Between two tokens any whitespace may appear in the output,
  // except inside a word, so `[{ row: 3 }]` matches util.inspect's `[ { row: 3 } ]`.
  const parts: string[] = [];
  const shown: { text: string; decimals: number }[] = [];
  const e = expected.trim();
  let wordBefore = false; // the previous token ended in a word character
  for (let i = 0; i < e.length; ) {
    const c = e[i];
    if (/\s/.test(c)) {
      while (i < e.length && /\s/.test(e[i])) i++;
      parts.push(wordBefore && /\w/.test(e[i] ?? '') ? '\\s+' : '\\s*');
      wordBefore = false;
      continue;
    }
    if (parts.length && !(wordBefore && /\w/.test(c)) && !parts[parts.length - 1].startsWith('\\s')) parts.push('\\s*');
    if (c === '…') {
      parts.push('[\\s\\S]*?');
      i++;
      wordBefore = false;
    } else if (c === '─') {
      while (e[i] === '─') i++;
      parts.push('─+');
      wordBefore = false;
    } else if (/\d/.test(c) && !/[A-Za-z_$]/.test(e[i - 1] ?? '')) {
      NUMBER.lastIndex = i;
      const text = NUMBER.exec(e)![0];
      shown.push({ text, decimals: text.includes('.') ? text.length - text.indexOf('.') - 1 : 0 });
      parts.push('(\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?)');
      i += text.length;
      wordBefore = true;
    } else {
      parts.push(c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
      i++;
      wordBefore = /\w/.test(c);
    }
  }
  const source = parts.join('');
  const match = new RegExp(`^\\s*${source}\\s*$`).exec(actual);
  if (!match) return `the page shows\n${expected.trim()}\nbut the code gives\n${actual.trim()}`;
  for (let k = 0; k < shown.length; k++) {
    const got = Number(match[k + 1]);
    const want = Number(shown[k].text);
    const half = 0.5 * 10 ** -shown[k].decimals;
    // a little slack for binary representation: 0.8265 printed from 0.82649999…
    if (!(Math.abs(got - want) <= half * (1 + 1e-9))) {
      return `the page shows ${shown[k].text} where the code gives ${match[k + 1]}\n(page: ${expected.trim()}\ncode: ${actual.trim()})`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Turning a page's blocks into one module

interface Check {
  readonly file: string;
  readonly line: number;
  readonly expected: string;
  readonly printed: boolean; // compare what the statement prints, not its value
}

interface Program {
  readonly code: string;
  readonly lineMap: readonly { file: string; line: number }[]; // generated line (0-based) → page line
  readonly checks: readonly Check[];
  readonly problems: readonly string[]; // malformed `→` comments
}

/** `// → value` comments of a block: the line of the comment, the text shown, and its 0-based block line. */
function arrowComments(block: Block): { line: number; text: string; trailing: boolean }[] {
  const lines = block.code.split('\n');
  const found: { line: number; text: string; trailing: boolean }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(.*?)\/\/\s*→\s?(.*)$/.exec(lines[i]);
    if (!m) continue;
    let text = m[2];
    const open = (s: string): number => (s.match(/[[{(]/g)?.length ?? 0) - (s.match(/[\]})]/g)?.length ?? 0);
    while (open(text) > 0 && i + 1 < lines.length && /^\s*\/\/(?!\s*→)/.test(lines[i + 1])) {
      i++;
      text += '\n' + lines[i].replace(/^\s*\/\/\s?/, '');
    }
    found.push({ line: i, text, trailing: m[1].trim() !== '' });
  }
  return found;
}

function buildProgram(blocks: readonly Block[], instrument: boolean): Program {
  const imports = new Map<string, { named: Map<string, string>; other: Set<string> }>();
  const body: string[] = [];
  const lineMap: { file: string; line: number }[] = [];
  const checks: Check[] = [];
  const problems: string[] = [];

  blocks.forEach((block, b) => {
    const source = ts.createSourceFile('block.ts', block.code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const lineOf = (pos: number): number => source.getLineAndCharacterOfPosition(pos).line;
    const arrows = arrowComments(block);
    // which statement each `→` comment belongs to
    const target = new Map<ts.Statement, { line: number; text: string }>();
    for (const arrow of arrows) {
      const commentStart = arrow.line - (arrow.text.split('\n').length - 1);
      let owner: ts.Statement | undefined;
      for (const s of source.statements) {
        const end = lineOf(s.end);
        if (arrow.trailing ? end === commentStart : end < commentStart) owner = s;
      }
      const gapOk =
        owner !== undefined &&
        (arrow.trailing ||
          block.code
            .split('\n')
            .slice(lineOf(owner.end) + 1, commentStart)
            .every((l) => /^\s*(\/\/.*)?$/.test(l)));
      if (!owner || !gapOk || !ts.isExpressionStatement(owner)) {
        problems.push(`${block.file}:${block.line + commentStart}: a "// →" comment must follow an expression statement`);
        continue;
      }
      target.set(owner, { line: block.line + commentStart, text: arrow.text });
    }

    if (instrument) {
      body.push(`__doc.block(${b});`);
      lineMap.push({ file: block.file, line: block.line });
    }
    for (const s of source.statements) {
      const docLine = block.line + lineOf(s.getStart());
      if (ts.isImportDeclaration(s)) {
        const from = (s.moduleSpecifier as ts.StringLiteral).text;
        const entry = imports.get(from) ?? { named: new Map(), other: new Set() };
        imports.set(from, entry);
        const clause = s.importClause;
        const bindings = clause?.namedBindings;
        if (clause && !clause.name && bindings && ts.isNamedImports(bindings)) {
          for (const el of bindings.elements) {
            const local = el.name.text;
            const imported = (el.propertyName ?? el.name).text;
            const typeOnly = clause.isTypeOnly || el.isTypeOnly;
            entry.named.set(local, `${typeOnly ? 'type ' : ''}${imported === local ? local : `${imported} as ${local}`}`);
          }
        } else {
          entry.other.add(s.getText());
        }
        continue;
      }
      let text = s.getText();
      const shown = target.get(s);
      if (shown && instrument && ts.isExpressionStatement(s)) {
        const expr = s.expression;
        const printed =
          ts.isCallExpression(expr) &&
          ts.isPropertyAccessExpression(expr.expression) &&
          ts.isIdentifier(expr.expression.expression) &&
          expr.expression.expression.text === 'console';
        checks.push({ file: block.file, line: shown.line, expected: shown.text, printed });
        text = `__doc.check(${checks.length - 1}, () => (${expr.getText()}));`;
      }
      const prefix = instrument ? `__doc.at(${JSON.stringify(block.file)}, ${docLine}); ` : '';
      const lines = (prefix + text).split('\n');
      lines.forEach((l, k) => {
        body.push(l);
        lineMap.push({ file: block.file, line: docLine + k });
      });
    }
  });

  const head: string[] = [];
  for (const [from, { named, other }] of imports) {
    for (const text of other) head.push(text);
    if (named.size) head.push(`import { ${[...named.values()].join(', ')} } from ${JSON.stringify(from)};`);
  }
  if (instrument) head.push('const console = __doc.console;');
  const prelude = head.map(() => ({ file: '(imports)', line: 0 }));
  return { code: [...head, ...body].join('\n'), lineMap: [...prelude, ...lineMap], checks, problems };
}

// ---------------------------------------------------------------------------------------------
// Running a page

interface DocRuntime {
  console: Console;
  block(index: number): void;
  at(file: string, line: number): void;
  check(index: number, evaluate: () => unknown): void;
}

let modules = 0;

async function runPage(file: string, blocks: readonly Block[], dir: string): Promise<string[]> {
  const program = buildProgram(blocks, true);
  const failures = [...program.problems];
  let out = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  const blockStart: number[] = [];
  let where = `${file}`;
  const runtime: DocRuntime = {
    console: new Console({ stdout: sink, stderr: sink, colorMode: false }),
    block(index) {
      blockStart[index] = out.length;
    },
    at(f, line) {
      where = `${f}:${line}`;
    },
    check(index, evaluate) {
      const check = program.checks[index];
      const before = out.length;
      const value = evaluate();
      const actual = check.printed ? out.slice(before) : inspect(value, { depth: 6, breakLength: Infinity, maxArrayLength: 200 });
      const difference = compareShown(check.expected, actual);
      if (difference) failures.push(`${check.file}:${check.line}: ${difference}`);
    },
  };
  // a new module each time: an imported module is cached by its path
  const path = join(dir, `${file.replace(/[^\w.]+/g, '_')}.${++modules}.ts`);
  writeFileSync(path, program.code);
  (globalThis as { __doc?: DocRuntime }).__doc = runtime;
  try {
    await import(/* @vite-ignore */ pathToFileURL(path).href);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    // a syntax error is reported by the transform at a line of the generated module
    const generated = new RegExp(`${path.split('/').pop()!.replace(/\./g, '\\.')}:(\\d+)`).exec(message);
    const at = generated ? program.lineMap[Number(generated[1]) - 1] : undefined;
    failures.push(`${at ? `${at.file}:${at.line}` : where}: the code throws ${message.split('\n')[0]}`);
    return failures;
  } finally {
    delete (globalThis as { __doc?: DocRuntime }).__doc;
  }
  blocks.forEach((block, b) => {
    if (!block.output) return;
    const printed = out.slice(blockStart[b], blockStart[b + 1] ?? out.length);
    const difference = compareShown(block.output.text, printed);
    if (difference) failures.push(`${file}:${block.output.line}: ${difference}`);
  });
  return failures;
}

// ---------------------------------------------------------------------------------------------
// Type-checking every page under the repository's tsconfig (strict)

/** Type errors of each program (a page's runnable blocks, or one block), at their page lines. */
function typeCheck(programs: ReadonlyMap<string, readonly Block[]>): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  })!;
  const virtual = new Map<string, Program>();
  for (const [name, blocks] of programs) {
    const js = blocks.every((b) => b.lang === 'js' || b.lang === 'javascript');
    // beside the page's package tests, so '@crm/…' paths and @types/node resolve as for them
    virtual.set(join(ROOT, 'packages', packageOf(name), 'test', `__doc__${name.replace(/[^\w]+/g, '_')}.${js ? 'js' : 'ts'}`), buildProgram(blocks, false));
  }
  const options: ts.CompilerOptions = { ...config.options, noEmit: true, allowJs: true, checkJs: true, noUnusedLocals: false };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, create) => {
    const page = virtual.get(resolve(name));
    return page ? ts.createSourceFile(name, page.code, language, true) : getSourceFile(name, language, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => virtual.has(resolve(name)) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => virtual.get(resolve(name))?.code ?? readFile(name);
  const program = ts.createProgram([...virtual.keys()], options, host);
  const errors: string[] = [];
  for (const [name, page] of virtual) {
    const sf = program.getSourceFile(name)!;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const at = page.lineMap[sf.getLineAndCharacterOfPosition(d.start ?? 0).line];
      errors.push(`${at.file}:${at.line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------

const pages = new Map(markdownFiles().map((file) => [file, blocksOf(file)] as const));
const runnable = new Map(
  [...pages].map(([file, blocks]) => [file, blocks.filter((b) => RUNNABLE.has(b.lang) && !b.flags.includes(NO_RUN))] as const),
);
const tmp = mkdtempSync(join(tmpdir(), 'crm-docs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The package a page belongs to, whose dependencies its imports resolve from. */
function packageOf(file: string): string {
  const m = /^packages\/([^/]+)\/README\.md/.exec(file) ?? /^docs\/([^/.]+)\.md/.exec(file);
  return m && existsSync(join(ROOT, 'packages', m[1], 'package.json')) ? m[1] : 'core';
}

/** Where a page's module is written: inside its package's test folder, so bare imports resolve as a test's do. */
const pageDirs = new Map<string, string>();
function pageDir(file: string): string {
  const pkg = packageOf(file);
  if (pkg === 'core') return tmp;
  let dir = pageDirs.get(pkg);
  if (dir === undefined) {
    dir = mkdtempSync(join(ROOT, 'packages', pkg, 'test', '.docs-'));
    pageDirs.set(pkg, dir);
  }
  return dir;
}
afterAll(() => {
  for (const dir of pageDirs.values()) rmSync(dir, { recursive: true, force: true });
});

describe('how a page shows values', () => {
  it('numbers match at the precision the page prints them, and only there', () => {
    expect(compareShown('0.826', '0.8262795657733304')).toBeNull();
    expect(compareShown('0.826', '0.8254')).toMatch(/shows 0\.826 where the code gives 0\.8254/);
    expect(compareShown('0.820', '0.8388')).not.toBeNull();
    expect(compareShown('-9582.43', '-9582.429206673936')).toBeNull();
    expect(compareShown('15', '16')).not.toBeNull();
  });

  it("a share printed as a fraction does not match a percentage", () => {
    expect(compareShown('0  22  11.0%  low income', '0 22 0.11 low income')).not.toBeNull();
    expect(compareShown('0  22  11.0%  low income', '0 22 11.0% low income')).toBeNull();
  });

  it("util.inspect's spacing and line breaks match the compact form a page writes, and … stands for anything", () => {
    expect(compareShown("[{ row: 3, path: [3, 'time'] }]", "[ { row: 3, path: [ 3, 'time' ] } ]")).toBeNull();
    expect(compareShown('{ r: 5, code: \'544\', … }', "{\n  r: 5,\n  code: '544',\n  score: 4.333333333333333\n}")).toBeNull();
    expect(compareShown("{ r: 5, code: '545', … }", "{ r: 5, code: '544', score: 4.3 }")).not.toBeNull();
    expect(compareShown('a b', 'ab')).not.toBeNull();
  });

  it('a drifted value fails with the page and line that show it', async () => {
    const block: Block = { file: 'docs/example.md', lang: 'ts', flags: [], line: 10, code: 'const x = 2;\nx + 1; // → 4\nconsole.log(x); // → 2' };
    expect(await runPage('docs/example.md', [block], tmp)).toEqual(['docs/example.md:11: the page shows 4 where the code gives 3\n(page: 4\ncode: 3)']);
  });

  it('a "→" comment that follows no expression statement is an error, not ignored', async () => {
    const block: Block = { file: 'docs/example.md', lang: 'ts', flags: [], line: 20, code: 'const x = 2; // → 2' };
    expect(await runPage('docs/example.md', [block], tmp)).toEqual(['docs/example.md:20: a "// →" comment must follow an expression statement']);
  });

  it('a block that throws names the page and line of the statement', async () => {
    const block: Block = { file: 'docs/example.md', lang: 'ts', flags: [], line: 30, code: 'const x = 2;\nnull!.valueOf();' };
    expect((await runPage('docs/example.md', [block], tmp))[0]).toMatch(/^docs\/example\.md:31: the code throws TypeError/);
  });
});

describe('code in the READMEs and docs/', () => {
  it('every ts/js block runs unless marked no-run, and the no-run blocks are the listed ones', () => {
    const noRun = [...pages.values()]
      .flat()
      .filter((b) => RUNNABLE.has(b.lang) && b.flags.includes(NO_RUN))
      .map((b) => `${b.file}:${b.code.split('\n')[0]}`);
    expect(noRun).toEqual(EXPECTED_NO_RUN);
    // Blocks that are neither code nor its output: shell commands only. A text block that follows
    // no code block, or a block in another language, fails here until someone decides what it is.
    const other = [...pages.values()].flat().filter((b) => !RUNNABLE.has(b.lang));
    expect(other.filter((b) => b.lang !== 'sh').map((b) => `${b.file}:${b.line} ${b.lang || '(no language)'}`)).toEqual([]);
    const count = [...runnable.values()].reduce((a, blocks) => a + blocks.length, 0);
    expect(count).toBeGreaterThan(20);
  });

  for (const [file, blocks] of runnable) {
    if (blocks.length === 0) continue;
    it(`${file}: every block runs as written and shows what it produces (${blocks.length} blocks)`, async () => {
      const failures = await runPage(file, blocks, pageDir(file));
      expect(failures, failures.join('\n\n')).toEqual([]);
    });
  }

  it('every block type-checks under the strict tsconfig (a no-run block on its own)', () => {
    const programs = new Map([...runnable].filter(([, b]) => b.length > 0));
    for (const block of [...pages.values()].flat()) {
      if (RUNNABLE.has(block.lang) && block.flags.includes(NO_RUN)) programs.set(`${block.file}:${block.line}`, [block]);
    }
    const errors = typeCheck(programs);
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
