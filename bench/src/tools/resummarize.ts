/**
 * `pnpm --filter @parley/bench resummarize`: recomputes the profile summaries in
 * results/*.json from the `.cpuprofile` files they name (after the summary changed).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { benchRoot } from '../harness/database';
import { summarizeProfile, type CpuProfile, type ProfileSummary } from '../harness/profile';
import type { ScenarioResult } from '../harness/report';

const resultsDir = path.join(benchRoot, 'results');
for (const name of ['B1', 'B2', 'B3', 'B4', 'B5', 'B6']) {
  const file = path.join(resultsDir, `${name}.json`);
  const result = JSON.parse(
    await readFile(file, 'utf8').catch(() => 'null'),
  ) as ScenarioResult | null;
  const profiles = result?.details.profiles as
    Record<string, ProfileSummary & { file: string }> | undefined;
  if (!result || !profiles) continue;
  for (const [phase, summary] of Object.entries(profiles)) {
    const profile = JSON.parse(
      await readFile(path.join(resultsDir, summary.file), 'utf8'),
    ) as CpuProfile;
    profiles[phase] = { ...summarizeProfile(profile, 15), file: summary.file };
  }
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`${name}: ${Object.keys(profiles).length} profile summaries refreshed`);
}
