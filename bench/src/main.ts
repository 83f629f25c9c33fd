/**
 * `pnpm bench [--quick] [--profile] [--keep] [B1 B2 …]`: runs the scenarios of
 * bench/README.md against a real server and database, prints the results table and
 * writes results/<scenario>.json (results/quick/ in quick mode). Exits non-zero when a
 * delivery check fails or a scenario cannot run; speed targets never fail the run.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { nowMs } from './harness/clock';
import { BenchDatabase, benchRoot } from './harness/database';
import {
  describeMachine,
  formatTable,
  writeResult,
  writeSummary,
  type ScenarioResult,
} from './harness/report';
import { scenarios } from './scenarios';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`usage: pnpm bench [--quick] [--profile] [--keep] [${scenarios.map((s) => s.name).join(' ')}]
  --quick    every scenario scaled down (CI: under 2 minutes); results to results/quick/
  --profile  write a V8 CPU profile of the Parley server to results/profiles/
  --keep     keep the scenario databases (parley_bench_*) for EXPLAIN by hand`);
  process.exit(0);
}

const wanted = positionals.map((p) => p.toUpperCase());
const unknown = wanted.filter((w) => !scenarios.some((s) => s.name === w));
if (unknown.length) {
  console.error(
    `unknown scenario ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}
const selected = wanted.length
  ? scenarios.filter((s) => wanted.includes(s.name))
  : scenarios.filter((s) => !s.optIn || values.quick);
const resultsDir = path.join(benchRoot, 'results');
const started = nowMs();
const log = (line: string) =>
  console.log(`${((nowMs() - started) / 1000).toFixed(1).padStart(6)}s ${line}`);

const database = await BenchDatabase.open();
const machine = describeMachine(await database.describe());
log(
  `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}, PostgreSQL ${machine.database.server_version ?? '?'} (${database.embedded ? 'embedded' : 'DATABASE_URL'}), ulimit -n ${machine.openFilesLimit}`,
);

const results: ScenarioResult[] = [];
const failures: string[] = [];
try {
  for (const scenario of selected) {
    log(`${scenario.name}: ${scenario.title}${values.quick ? ' (quick)' : ''}`);
    try {
      const result = await scenario.run({
        quick: values.quick,
        profile: values.profile,
        keep: values.keep,
        database,
        machine,
        resultsDir,
        log,
      });
      results.push(result);
      const file = await writeResult(resultsDir, result);
      log(`${scenario.name}: done in ${result.seconds} s → ${path.relative(process.cwd(), file)}`);
      for (const problem of result.verification.problems)
        failures.push(`${scenario.name}: ${problem}`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      failures.push(`${scenario.name} could not run: ${message}`);
      log(`${scenario.name} could not run: ${message}`);
    }
  }
} finally {
  await database.close();
}

const table = formatTable(results);
console.log(`\n${table}\n`);
for (const result of results)
  for (const note of result.notes) console.log(`${result.scenario}: ${note}`);
if (results.length) {
  const file = await writeSummary(values.quick ? path.join(resultsDir, 'quick') : resultsDir);
  log(`summary of every scenario's latest results: ${path.relative(process.cwd(), file)}`);
}
if (failures.length) {
  console.error(`\nFAILED (${failures.length}):\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `\nall delivery checks passed (${results.length} scenarios, ${((nowMs() - started) / 1000).toFixed(0)} s)`,
);
process.exit(0);
