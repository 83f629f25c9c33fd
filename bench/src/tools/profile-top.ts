/**
 * `pnpm --filter @parley/bench profile-top <file.cpuprofile> [n]`: where a V8 CPU
 * profile (from `pnpm bench --profile`) spent its time — self time per function, and
 * inclusive time per source file — as text to quote in results and issues.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

const [file, count = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-top <file.cpuprofile> [n]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const shortUrl = (url: string) => {
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) return clean.slice(nm + 'node_modules/'.length).replace(/^\.pnpm\/[^/]+\/node_modules\//, '');
  const src = clean.indexOf('/src/');
  return src >= 0 ? path.basename(clean.slice(0, src)) + clean.slice(src) : clean || '(native)';
};
const label = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`;

const bySelf = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node) continue;
  const key = node.callFrame.url ? label(node.callFrame) : node.callFrame.functionName || '(native)';
  bySelf.set(key, (bySelf.get(key) ?? 0) + us);
}

// Inclusive time per package/file: a sample counts once for every file on its stack.
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const byFile = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const url = byId.get(at)?.callFrame.url;
    if (!url) continue;
    const key = shortUrl(url).split(':')[0] ?? url;
    if (seen.has(key)) continue;
    seen.add(key);
    byFile.set(key, (byFile.get(key) ?? 0) + us);
  }
}

const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`${(total / 1e6).toFixed(2)} s of samples in ${path.basename(file)}\n\nself time, top ${count}:`);
for (const [key, us] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) console.log(`${pct(us)}  ${key}`);
console.log(`\ninclusive time by file, top ${count}:`);
for (const [key, us] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) console.log(`${pct(us)}  ${key}`);
