/**
 * `pnpm --filter @parley/bench profile-top <file.cpuprofile> [n]`: where a V8 CPU
 * profile (from `pnpm bench --profile`) spent its time, as text to quote.
 */
import { readFileSync } from 'node:fs';
import { summarizeProfile, type CpuProfile } from '../harness/profile';

const [file, count = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-top <file.cpuprofile> [n]');
  process.exit(2);
}
const summary = summarizeProfile(
  JSON.parse(readFileSync(file, 'utf8')) as CpuProfile,
  Number(count),
);
console.log(
  `${summary.seconds} s of samples\n\nself time:\n${summary.self.join('\n')}\n\ninclusive time by file:\n${summary.files.join('\n')}`,
);
