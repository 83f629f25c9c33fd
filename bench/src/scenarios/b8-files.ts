import { readFile, writeFile } from 'node:fs/promises';
import { row } from '../harness/report';
import { Rig, type Scenario } from '../harness/rig';

const full = { files: 20, megabytes: 5 };
const quick = { files: 4, megabytes: 2 };

const mb = 1024 * 1024;

/**
 * The server's peak resident memory since the last reset (`VmHWM`), in bytes. Writing
 * 5 to `clear_refs` resets the peak to the current RSS (Linux ≥ 4.0, own processes).
 */
async function resetPeakRss(pid: number): Promise<boolean> {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
async function peakRss(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * B8: files. N customers each upload one file of M MB at once (`attachments.upload`,
 * multipart, into the PostgreSQL file storage), then each downloads theirs at once
 * (`GET /files/…`), checked by hash. Throughput in MB/s against the same bytes written
 * and read with plain `pg` as chunk rows in the same run; the server's peak RSS.
 */
export const b8: Scenario = {
  name: 'B8',
  title: 'Files: 20 concurrent 5 MB uploads, then downloads',
  async run(options) {
    const size = options.quick ? quick : full;
    const bytes = size.megabytes * mb;
    const totalMb = size.files * size.megabytes;
    const rig = await Rig.open('B8', options, 1);
    try {
      const worker = rig.workers[0];
      if (!worker) throw new Error('setup failed');
      const floor = await rig.metered('floor pg chunks', [], () =>
        worker.call('files.pgFloor', {
          databaseUrl: rig.scratch.url,
          files: size.files,
          bytes,
        }),
      );
      if (floor.mismatches) rig.problem(`${floor.mismatches} floor files read back differently`);
      rig.log(
        `floor: write ${Math.round(floor.uploadMs)} ms, read ${Math.round(floor.downloadMs)} ms`,
      );

      const server = await rig.parleyServer();
      const customers = await rig.fixtures.signedIn('customer', size.files, 'b8');
      const { pid } = await server.call('info', undefined);
      const tokens = customers.map((c) => c.token);
      // One file up and down first: what the first upload loads (the multipart parser,
      // the type sniffer) is not counted as the files' memory.
      const warmUp = await worker.call('files.upload', {
        httpUrl: server.url,
        tokens: tokens.slice(0, 1),
        bytes: mb,
      });
      await worker.call('files.download', {
        ...warmUp,
        httpUrl: server.url,
        tokens: tokens.slice(0, 1),
        bytes: mb,
      });
      for (const failure of warmUp.failures) rig.problem(`warm-up ${failure}`);

      const idle = await server.call('sample', { collect: true });
      const resettable = await resetPeakRss(pid);
      if (!resettable) rig.notes.push('peak RSS could not be reset: it is the peak since start');
      const up = await rig.metered('parley upload', [server], () =>
        worker.call('files.upload', { httpUrl: server.url, tokens, bytes }),
      );
      const uploadPeak = await peakRss(pid);
      const beforeDownload = await server.call('sample', { collect: true });
      await resetPeakRss(pid);
      const down = await rig.metered('parley download', [server], () =>
        worker.call('files.download', { httpUrl: server.url, tokens, ids: up.ids, bytes }),
      );
      const downloadPeak = await peakRss(pid);
      for (const failure of [...up.failures, ...down.failures]) rig.problem(failure);
      if (down.mismatches) rig.problem(`${down.mismatches} files downloaded differently`);
      const inMb = (value: number | null) => (value === null ? '?' : Math.round(value / mb));
      rig.log(
        `parley: upload ${Math.round(up.ms)} ms (peak RSS ${inMb(uploadPeak)} MB), download ${Math.round(down.ms)} ms (peak RSS ${inMb(downloadPeak)} MB), idle ${inMb(idle.rssBytes)} MB`,
      );

      const rate = (ms: number) => (ms > 0 ? round(totalMb / (ms / 1000)) : null);
      const growth = (peak: number | null, base: number) =>
        peak === null ? null : round((peak - base) / mb);
      // Streamed: the server holds a few chunks per file, never the files in flight.
      // (Quick sizes are too small to tell: there the figure is context only.)
      const memoryTarget = options.quick
        ? null
        : { max: totalMb, text: `< the ${totalMb} MB in flight` };
      const rows = [
        row(
          `upload throughput (${size.files} × ${size.megabytes} MB at once)`,
          rate(up.ms),
          'MB/s',
          { value: rate(floor.uploadMs), label: 'pg INSERT of the same bytes as 256 KB rows' },
          null,
        ),
        row(
          `download throughput (${size.files} × ${size.megabytes} MB at once)`,
          rate(down.ms),
          'MB/s',
          { value: rate(floor.downloadMs), label: 'pg SELECT of the same rows, 4 per query' },
          null,
        ),
        row(
          'server peak RSS over idle, uploading',
          growth(uploadPeak, idle.rssBytes),
          'MB',
          null,
          memoryTarget,
        ),
        row(
          'server peak RSS over idle, downloading',
          growth(downloadPeak, beforeDownload.rssBytes),
          'MB',
          null,
          memoryTarget,
        ),
      ];
      return rig.result(b8.title, { ...size }, rows, {
        floor,
        parley: { uploadMs: up.ms, downloadMs: down.ms },
        serverRss: {
          idleBytes: idle.rssBytes,
          uploadPeakBytes: uploadPeak,
          beforeDownloadBytes: beforeDownload.rssBytes,
          downloadPeakBytes: downloadPeak,
          peakReset: resettable,
        },
      });
    } finally {
      await rig.close();
    }
  },
};
