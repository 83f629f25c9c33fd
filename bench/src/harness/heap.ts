import { getHeapSnapshot } from 'node:v8';

type Snapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
};

export type HeapSummary = {
  totalMb: number;
  top: Array<{ name: string; count: number; kb: number }>;
};

/**
 * What the live heap of this process is made of: self size summed per constructor
 * (objects), per kind otherwise (closures, arrays, strings, code). Heavy: it takes a
 * full heap snapshot, so it runs only with `--profile`, at modest socket counts.
 */
export async function summarizeHeap(top = 200): Promise<HeapSummary> {
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  const snapshot = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Snapshot;
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups = new Map<string, { count: number; bytes: number }>();
  let total = 0;
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt] ?? 0] ?? '?';
    const size = snapshot.nodes[i + sizeAt] ?? 0;
    total += size;
    const key =
      type === 'object' ? (snapshot.strings[snapshot.nodes[i + nameAt] ?? 0] ?? '?') : `(${type})`;
    const group = groups.get(key) ?? { count: 0, bytes: 0 };
    group.count++;
    group.bytes += size;
    groups.set(key, group);
  }
  return {
    totalMb: Math.round(total / 2 ** 20),
    top: [...groups]
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .slice(0, top)
      .map(([name, g]) => ({ name, count: g.count, kb: Math.round(g.bytes / 1024) })),
  };
}
