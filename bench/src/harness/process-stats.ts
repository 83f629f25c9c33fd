import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { nowMs } from './clock';

/** What a bench process reports about itself. */
export type ProcessSample = {
  pid: number;
  atMs: number;
  /** CPU time used so far, user + system, in ms. */
  cpuMs: number;
  rssBytes: number;
  heapUsedBytes: number;
};

export function sampleProcess(): ProcessSample {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    pid: process.pid,
    atMs: nowMs(),
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
  };
}

/** Cores a process used between two samples (1.0 = one core busy all the time). */
export function coresUsed(before: ProcessSample, after: ProcessSample): number {
  const wall = after.atMs - before.atMs;
  return wall > 0 ? Math.round(((after.cpuMs - before.cpuMs) / wall) * 100) / 100 : 0;
}

export type EventLoopDelay = { p50: number; p99: number; max: number; mean: number };

/**
 * Event-loop delay of this process, in ms, since the last reset. Node's histogram
 * records the time between ticks of a `resolution`-ms timer; the delay is what
 * exceeds the resolution.
 */
export function createEventLoopMonitor() {
  const resolution = 10;
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution });
  histogram.enable();
  const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - resolution) * 100) / 100);
  return {
    read(): EventLoopDelay {
      return {
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
        mean: ms(histogram.mean),
      };
    },
    reset(): void {
      histogram.reset();
    },
  };
}

/** Busy CPU time of the whole machine, in ms (all cores, from /proc/stat); null off Linux. */
export function machineBusyMs(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ...
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const tick = 10; // USER_HZ is 100 on Linux: one tick is 10 ms
    return (total - idle) * tick;
  } catch {
    return null;
  }
}
