/**
 * Prints the top frames of a V8 `.cpuprofile` by self time, and self time summed per package or
 * source directory: `npx tsx scripts/profile-top.ts <file.cpuprofile> [count]`.
 */
import { readFileSync } from 'node:fs';

type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const [file, countArg] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file!, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, index) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function area(url: string): string {
  const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (modules) return modules[1]!;
  const src = url.match(/\/(src|dist)\/(.*)\/[^/]+$/);
  if (src) return `${src[1]}/${src[2]}`;
  if (url.startsWith('node:')) return 'node:internal';
  return url === '' ? '(native/vm)' : url.replace(/^.*\//, '');
}

const frames = new Map<string, number>();
const areas = new Map<string, number>();
for (const [id, us] of selfUs) {
  const frame = byId.get(id)!.callFrame;
  const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules|src|dist)\//, '$1/')}:${frame.lineNumber + 1}`;
  frames.set(key, (frames.get(key) ?? 0) + us);
  areas.set(area(frame.url), (areas.get(area(frame.url)) ?? 0) + us);
}
const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const count = Number(countArg ?? '25');
console.log(`total ${(total / 1e6).toFixed(1)} s sampled`);
for (const [key, us] of [...frames].sort((a, b) => b[1] - a[1]).slice(0, count)) {
  console.log(`${pct(us)}  ${key}`);
}
console.log('--- by area');
for (const [key, us] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, count)) {
  console.log(`${pct(us)}  ${key}`);
}
