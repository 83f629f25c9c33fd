import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LatencySummary } from './histogram';

/** One line of the results table: Parley's figure, its floor in the same run, the target. */
export type Row = {
  metric: string;
  value: number | null;
  unit: string;
  /** The raw floor measured in the same run, and what it is. */
  floor: number | null;
  floorLabel: string;
  /** value / floor: the figure that survives a noisy, shared machine. */
  ratio: number | null;
  target: string;
  /** null: no target for this line (context only). */
  met: boolean | null;
};

export type Machine = {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  openFilesLimit: string;
  database: Record<string, string>;
};

export type ScenarioResult = {
  scenario: string;
  title: string;
  quick: boolean;
  date: string;
  seconds: number;
  machine: Machine;
  sizes: Record<string, number | string>;
  rows: Row[];
  /** Everything measured, for whoever wants more than the table. */
  details: Record<string, unknown>;
  /** Cores used per process during each measured phase. */
  cpu: Record<string, Record<string, number>>;
  /** Delivery checks: any problem makes the run fail. */
  verification: { ok: boolean; problems: string[] };
  notes: string[];
};

export function describeMachine(database: Record<string, string>): Machine {
  let openFilesLimit = 'unknown';
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    openFilesLimit = line?.split(/\s{2,}/)[1] ?? 'unknown';
  } catch {
    // Not Linux: leave it unknown.
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    openFilesLimit,
    database,
  };
}

/** A row whose target is a ceiling (`max`) or a floor (`min`) on the value. */
export function row(
  metric: string,
  value: number | null,
  unit: string,
  floor: { value: number | null; label: string } | null,
  target: { max?: number; min?: number; text?: string } | null,
): Row {
  const ratio =
    value !== null && floor?.value ? Math.round((value / floor.value) * 100) / 100 : null;
  let met: boolean | null = null;
  let text = target?.text ?? '';
  if (target && value !== null) {
    if (target.max !== undefined) {
      met = value <= target.max;
      text ||= `≤ ${target.max} ${unit}`;
    }
    if (target.min !== undefined) {
      met = (met ?? true) && value >= target.min;
      text ||= `≥ ${target.min} ${unit}`;
    }
  } else if (target) {
    met = false;
  }
  return {
    metric,
    value,
    unit,
    floor: floor?.value ?? null,
    floorLabel: floor?.label ?? '',
    ratio,
    target: text,
    met,
  };
}

const fmt = (n: number | null) =>
  n === null ? '—' : Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1);

/** The results table, as Markdown (printed to the terminal and pasted into the README). */
export function formatTable(results: readonly ScenarioResult[]): string {
  const lines = [
    '| # | figure | Parley | floor (same run) | ratio | target | met |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const result of results) {
    for (const r of result.rows) {
      const value = r.value === null ? '—' : `${fmt(r.value)} ${r.unit}`;
      const floor = r.floor === null ? '—' : `${fmt(r.floor)} ${r.unit} (${r.floorLabel})`;
      const met = r.met === null ? '' : r.met ? 'yes' : '**no**';
      lines.push(
        `| ${result.scenario} | ${r.metric} | ${value} | ${floor} | ${r.ratio === null ? '—' : `${fmt(r.ratio)}×`} | ${r.target} | ${met} |`,
      );
    }
  }
  return lines.join('\n');
}

export function formatLatency(label: string, s: LatencySummary): string {
  return `${label}: n=${s.count} p50 ${s.p50} p90 ${s.p90} p99 ${s.p99} p99.9 ${s.p999} max ${s.max} ms`;
}

/** Writes `results/<scenario>.json` (full runs, committed) or `results/quick/…` (CI). */
export async function writeResult(resultsDir: string, result: ScenarioResult): Promise<string> {
  const dir = result.quick ? path.join(resultsDir, 'quick') : resultsDir;
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${result.scenario}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/**
 * `summary.md` in `dir`: the table of every scenario's latest results file there (a
 * run of one scenario refreshes its own lines), with each run's date and machine.
 */
export async function writeSummary(dir: string): Promise<string> {
  const names = (await readdir(dir)).filter((f) => /^(B\d+|SOAK)\.json$/.test(f)).sort();
  const results = await Promise.all(
    names.map(async (f) => JSON.parse(await readFile(path.join(dir, f), 'utf8')) as ScenarioResult),
  );
  const machines = [...new Set(results.map((r) => describe(r.machine)))];
  const lines = [
    `Latest results per scenario (${results.map((r) => `${r.scenario} ${r.date.slice(0, 16).replace('T', ' ')} UTC`).join(', ')}).`,
    '',
    ...machines.map((m) => `Machine: ${m}.`),
    '',
    formatTable(results),
    '',
    ...results.flatMap((r) => r.notes.map((n) => `- ${r.scenario}: ${n}`)),
    '',
  ];
  const file = path.join(dir, 'summary.md');
  await writeFile(file, lines.join('\n'));
  return file;
}

function describe(m: Machine): string {
  const db = m.database;
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node ${m.node}, PostgreSQL ${db.server_version ?? '?'} (${db.embedded === 'true' ? 'embedded' : 'DATABASE_URL'}, synchronous_commit ${db.synchronous_commit ?? '?'}), open files ${m.openFilesLimit}`;
}
