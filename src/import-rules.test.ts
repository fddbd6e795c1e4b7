/**
 * The import rules of STYLE.md, checked on every source file: the domain knows nothing of its
 * edges (no module outside `http/` and `cli/` imports them, and the two edges do not import each
 * other), `shared/` depends on nothing of the system, and `context.ts` (which every module
 * imports) depends on no domain, so no domain can reach another through it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname);
const IMPORT_PATTERN = /(?:^|\s)(?:import|export)\s[^'";]*?from\s+'([^']+)'|import\('([^']+)'\)/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every file's imports inside src/, as paths relative to src/ (`http/errors.ts`). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets: string[] = [];
    for (const match of text.matchAll(IMPORT_PATTERN)) {
      const spec = match[1] ?? match[2]!;
      if (!spec.startsWith('.')) continue;
      targets.push(relative(SRC, resolve(file, '..', spec)));
    }
    graph.set(relative(SRC, file), targets);
  }
  return graph;
}

const topOf = (path: string) => (path.includes('/') ? path.split('/')[0]! : path);
const EDGES = new Set(['http', 'cli']);
const PROCESS_ENTRIES = new Set(['main.ts']);

describe('import rules', () => {
  const graph = importGraph();

  it('reads the whole source tree', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('http/server.ts')?.length).toBeGreaterThan(3);
  });

  it('no domain module imports http/ or cli/, and neither edge imports the other', () => {
    const offending: string[] = [];
    for (const [file, targets] of graph) {
      const from = topOf(file);
      if (PROCESS_ENTRIES.has(file)) continue;
      for (const target of targets) {
        const to = topOf(target);
        if (EDGES.has(to) && to !== from) offending.push(`${file} → ${target}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('shared/ imports nothing outside shared/', () => {
    const offending = [...graph]
      .filter(([file]) => topOf(file) === 'shared')
      .flatMap(([file, targets]) =>
        targets.filter((t) => topOf(t) !== 'shared').map((t) => `${file} → ${t}`),
      );
    expect(offending).toEqual([]);
  });

  it('context.ts imports no domain: only config, db/ and shared/', () => {
    const allowed = new Set(['config.ts', 'db', 'shared']);
    const offending = (graph.get('context.ts') ?? []).filter((t) => !allowed.has(topOf(t)));
    expect(offending).toEqual([]);
  });
});
