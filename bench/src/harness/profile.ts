import path from 'node:path';

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
/** A V8 CPU profile (`.cpuprofile`), as `--cpu-prof` and the inspector write it. */
export type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

export type ProfileSummary = {
  seconds: number;
  /** "12.3%  functionName file:line", by self time. */
  self: string[];
  /** "45.6%  package/file", by inclusive time (a file counts once per sample). */
  files: string[];
};

function shortUrl(url: string): string {
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) return clean.slice(nm + 'node_modules/'.length);
  const src = clean.indexOf('/src/');
  return src >= 0 ? path.basename(clean.slice(0, src)) + clean.slice(src) : clean || '(native)';
}

/** Where a profile spent its time: the evidence quoted in results and the README. */
export function summarizeProfile(profile: CpuProfile, top = 20): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  // The bench's own IPC handlers (taking samples, stopping this very profiler) are not
  // the server's work: samples under them are left out.
  const instrumentation = (id: number) => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (byId.get(at)?.callFrame.url.endsWith('/bench/src/harness/server-entry.ts')) return true;
    }
    return false;
  };
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    if (!instrumentation(id)) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;

  const bySelf = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const key = frame.url
      ? `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`
      : frame.functionName || '(native)';
    bySelf.set(key, (bySelf.get(key) ?? 0) + us);
  }

  const byFile = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)?.callFrame.url;
      // node internals, and the bench's query timer (a thin wrapper around pg's query).
      if (!url || url.startsWith('node:') || url.includes('/bench/src/')) continue;
      const key = shortUrl(url);
      if (seen.has(key)) continue;
      seen.add(key);
      byFile.set(key, (byFile.get(key) ?? 0) + us);
    }
  }
  const lines = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
  return { seconds: Math.round(total / 1e4) / 100, self: lines(bySelf), files: lines(byFile) };
}
