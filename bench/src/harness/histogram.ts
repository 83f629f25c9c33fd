import * as hdr from 'hdr-histogram-js';

/** Latency histograms record microseconds (integers); summaries report milliseconds. */
export type Histogram = hdr.Histogram;

export type LatencySummary = {
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
};

export function createHistogram(): Histogram {
  // 1 µs to 10 min at 3 significant digits; the JS build (no WebAssembly) is fast enough.
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

export function recordMs(histogram: Histogram, ms: number): void {
  histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
}

const round = (us: number) => Math.round(us) / 1000;

export function summarize(histogram: Histogram): LatencySummary {
  const at = (p: number) =>
    histogram.totalCount === 0 ? 0 : round(histogram.getValueAtPercentile(p));
  return {
    count: histogram.totalCount,
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max: histogram.totalCount === 0 ? 0 : round(histogram.maxValue),
    mean: histogram.totalCount === 0 ? 0 : round(histogram.mean),
  };
}

/** Compact form for sending a histogram from a worker process to the parent. */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** Merges encoded histograms (one per worker) into one. */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const total = createHistogram();
  for (const one of encoded) {
    const part = hdr.decodeFromCompressedBase64(one);
    total.add(part);
    part.destroy();
  }
  return total;
}

/** Summary of latencies measured once each (a few repetitions): exact, no histogram. */
export function summarizeSamples(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => {
    if (sorted.length === 0) return 0;
    const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
    return Math.round((sorted[Math.max(0, index)] ?? 0) * 1000) / 1000;
  };
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max: at(100),
    mean: sorted.length ? Math.round((sum / sorted.length) * 1000) / 1000 : 0,
  };
}
