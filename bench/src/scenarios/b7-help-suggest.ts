import { helpArticles } from '@parley/db';
import { helpArticlesSeed } from '@parley/db/seed';
import type { QuerySpec } from '../clients/queries';
import { nowMs } from '../harness/clock';
import { mergeEncoded, summarize, type LatencySummary } from '../harness/histogram';
import { row } from '../harness/report';
import { Rig, type Scenario } from '../harness/rig';

const full = { articles: 5_000, rate: 20, seconds: 30 };
const quick = { articles: 500, rate: 20, seconds: 2 };

const products = [
  'headphones',
  'running shoes',
  'coffee grinder',
  'backpack',
  'smart watch',
  'desk lamp',
  'rain jacket',
  'phone case',
  'yoga mat',
  'kettle',
  'sunglasses',
  'blender',
  'winter boots',
  'laptop sleeve',
  'bike light',
  'gift box',
  'water bottle',
  'duvet cover',
  'toaster',
  'scarf',
];

/** Sentences of the demo articles, to give generated articles realistic words. */
const sentences = helpArticlesSeed.flatMap((a) =>
  a.body.split(/(?<=[.!?])\s+|\n+/).filter((s) => s.length > 20),
);

/**
 * `count` articles made from the demo help centre's: each demo article in many product
 * variants, with a few sentences of others, so common words ("order", "refund") are in
 * hundreds of articles, as in a real help centre, and rare ones in a few.
 */
function articles(count: number) {
  let state = 7;
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const base = helpArticlesSeed[i % helpArticlesSeed.length]!;
    const product = pick(products);
    return {
      slug: `${base.slug}-${i}`,
      title: `${base.title}: ${product}`,
      summary: base.summary,
      body: [base.body, pick(sentences), pick(sentences), `This applies to the ${product}.`].join(
        '\n\n',
      ),
      status: 'published' as const,
      audience: 'public' as const,
      position: i,
    };
  });
}

/** B7: `help.suggest` (what the new-ticket form and the bot ask) over 5,000 articles. */
export const b7: Scenario = {
  name: 'B7',
  title: 'Help suggestions: help.suggest over 5,000 articles',
  async run(options) {
    const size = options.quick ? quick : full;
    const rig = await Rig.open('B7', options, 1);
    try {
      const started = nowMs();
      const rows = articles(size.articles);
      for (let i = 0; i < rows.length; i += 500) {
        await rig.fixtures.db.insert(helpArticles).values(rows.slice(i, i + 500));
      }
      await rig.fixtures.db.$client.query('VACUUM ANALYZE help_articles');
      const seedSeconds = Math.round((nowMs() - started) / 1000);
      rig.log(`${size.articles} articles in ${seedSeconds} s`);

      const server = await rig.parleyServer({ BENCH_AUTO_CLOSE: 'off' });
      const worker = rig.workers[0];
      if (!worker) throw new Error('setup failed');
      const question = (name: string, text: string): QuerySpec => ({
        name,
        path: 'help.suggest',
        input: { text, limit: 3 },
      });
      const specs: QuerySpec[] = [
        { name: 'healthz (floor: HTTP + SELECT 1)', path: 'healthz', input: null },
        question('common words', 'When will my order be delivered and where is my parcel?'),
        question('a refund question', 'How long does a refund take to reach my card?'),
        question('a half-typed subject', 'payment decl'),
        question('rare words', 'VAT number on a reissued invoice'),
        question('nothing matches', 'quantum entanglement spectroscopy'),
      ];
      // Anonymous, as a visitor of /help or a customer typing a subject is.
      const run = await rig.metered('parley help.suggest', [server], () =>
        worker.call('queries.run', {
          httpUrl: server.url,
          token: '',
          specs,
          rate: size.rate,
          durationMs: size.seconds * 1000,
          warmupMs: Math.min(1000, size.seconds * 200),
        }),
      );
      if (run.failed) rig.problem(`${run.failed} queries failed: ${run.failures.join('; ')}`);
      const summaries: Record<string, LatencySummary> = {};
      for (const [name, encoded] of Object.entries(run.histograms)) {
        summaries[name] = summarize(mergeEncoded([encoded]));
        rig.log(`${name}: p50 ${summaries[name].p50} p95 ${summaries[name].p95} ms`);
      }
      const floorName = specs[0]?.name ?? '';
      const floor = {
        value: summaries[floorName]?.p95 ?? null,
        label: 'GET /healthz p95 (HTTP + SELECT 1)',
      };
      const names = specs.slice(1).map((s) => s.name);
      const worst = names.reduce((a, b) =>
        (summaries[a]?.p95 ?? 0) >= (summaries[b]?.p95 ?? 0) ? a : b,
      );
      const result = [
        row(`help.suggest p95, worst (${worst})`, summaries[worst]?.p95 ?? null, 'ms', floor, {
          max: 50,
        }),
        ...names
          .filter((n) => n !== worst)
          .map((n) =>
            row(`help.suggest p95: ${n}`, summaries[n]?.p95 ?? null, 'ms', floor, { max: 50 }),
          ),
      ];
      return rig.result(b7.title, { ...size }, result, {
        seedSeconds,
        latency: summaries,
        floors: { healthz: summaries[floorName] },
      });
    } finally {
      await rig.close();
    }
  },
};
