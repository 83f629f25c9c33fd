import { describe, expect, it } from 'vitest';
import { runSteps } from './close-steps';
import type { Logger } from './log';

function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, message, ...(fields ? { fields } : {}) });
  const logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger: logger as Logger, lines };
}

describe('runSteps', () => {
  it('names a slow step in the log while it runs, and again when it ends', async () => {
    const { logger, lines } = recordingLogger();
    await runSteps(
      logger,
      [
        ['quick', () => undefined],
        ['slow', () => new Promise((resolve) => setTimeout(resolve, 300))],
      ],
      { slowMs: 100 },
    );
    const warnings = lines.filter((line) => line.level === 'info');
    expect(warnings.map((line) => [line.message, line.fields?.step])).toEqual([
      ['shutdown step is slow', 'slow'],
      ['shutdown step ended', 'slow'],
    ]);
    const quick = lines.find((line) => line.fields?.step === 'quick');
    expect(quick).toMatchObject({ level: 'debug', message: 'shutdown step ended' });
  });

  it('runs the later steps after one fails, then throws the first failure', async () => {
    const { logger, lines } = recordingLogger();
    const ran: string[] = [];
    await expect(
      runSteps(logger, [
        ['first', () => Promise.reject(new Error('pool gone'))],
        ['second', () => void ran.push('second')],
        [
          'third',
          () => {
            throw new Error('later');
          },
        ],
      ]),
    ).rejects.toThrow('pool gone');
    expect(ran).toEqual(['second']);
    expect(
      lines.filter((line) => line.message === 'shutdown step failed').map((l) => l.fields?.step),
    ).toEqual(['first', 'third']);
  });
});
