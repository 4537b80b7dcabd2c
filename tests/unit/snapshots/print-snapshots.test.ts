import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { idle, printing, snapshotFixture, T0 } from './snapshot-fixture';

const kinds = (views: { kind: string }[]) => views.map((v) => v.kind);

describe('pictures of a print', () => {
  it('takes one when the first layer is down and one at the end, and files both with the history entry', async () => {
    const f = await snapshotFixture();
    f.clock.advance(60_000);
    f.snapshots.status('p1', printing({ layer: 1 }));
    await f.snapshots.settled();
    expect(f.cam.watched).toBe(0);
    f.clock.advance(60_000);
    f.snapshots.status('p1', printing({ layer: 2 }));
    f.snapshots.status('p1', printing({ layer: 3 }));
    await f.snapshots.settled();
    expect(f.cam.watched).toBe(1);
    const e = f.history(7, { endedAt: f.clock.now() + 1000 });
    f.clock.advance(1000);
    f.snapshots.ended(e);
    f.snapshots.status('p1', idle);
    await f.snapshots.settled();

    const kept = f.store.forHistory([7]);
    expect(kinds(kept)).toEqual(['first-layer', 'end']);
    expect(kept[0]).toMatchObject({ layer: 1, contentType: 'image/jpeg', path: `/snapshot/${kept[0]!.id}`, historyId: 7 });
    const read = await f.store.read(kept[1]!.id);
    expect(read.bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    // The screens heard of each picture, and of the first one being filed with its print.
    expect(f.announced.filter((s) => s.historyId === 7).map((s) => s.kind)).toEqual(['first-layer', 'end']);
    expect(f.cam.open).toBe(0);
  });

  it('calls the end of a failed or interrupted print a failure picture', async () => {
    const f = await snapshotFixture();
    f.snapshots.ended(f.history(1, { outcome: 'failed', reason: 'Thermal runaway' }));
    f.snapshots.ended(f.history(2, { outcome: 'interrupted', printerId: 'p2' }));
    f.snapshots.ended(f.history(3, { outcome: 'cancelled', printerId: 'p3' }));
    await f.snapshots.settled();
    expect(kinds(f.store.forHistory([1]))).toEqual(['failure']);
    expect(kinds(f.store.forHistory([2]))).toEqual(['failure']);
    expect(kinds(f.store.forHistory([3]))).toEqual(['end']);
  });

  it('takes the first-layer picture at 3 % of the file on a printer that does not report layers', async () => {
    const f = await snapshotFixture();
    f.snapshots.status('p1', printing({ layer: null, fraction: 0.02 }));
    await f.snapshots.settled();
    expect(f.cam.watched).toBe(0);
    f.snapshots.status('p1', printing({ layer: null, fraction: 0.031 }));
    f.snapshots.status('p1', printing({ layer: null, fraction: 0.05 }));
    await f.snapshots.settled();
    expect(f.cam.watched).toBe(1);
  });

  it('keeps the print going and logs why when the camera fails or never answers', async () => {
    const f = await snapshotFixture();
    f.cam.mode = 'fail';
    f.snapshots.status('p1', printing({ layer: 2 }));
    await f.snapshots.settled();
    expect(f.logs.join('\n')).toMatch(/No first-layer picture of the print on printer p1: The camera refused the connection/);

    f.cam.mode = 'silent';
    f.snapshots.ended(f.history(1));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    f.clock.advance(15_000);
    await f.snapshots.settled();
    expect(f.logs.join('\n')).toMatch(/No end picture .*sent no picture within 15 s/);
    expect(f.store.forHistory([1])).toEqual([]);
    // The silent camera's viewer was closed, not left open.
    expect(f.cam.open).toBe(0);
  });

  it('takes nothing for a printer without a camera', async () => {
    const f = await snapshotFixture({ camera: null });
    f.snapshots.status('p1', printing({ layer: 2 }));
    f.snapshots.ended(f.history(1));
    await f.snapshots.settled();
    expect(f.cam.watched).toBe(0);
    expect(f.store.forHistory([1])).toEqual([]);
  });

  it('files a picture taken before a crash with the print once its interrupted entry is written at the next start', async () => {
    const f = await snapshotFixture();
    f.clock.advance(10_000);
    f.snapshots.status('p1', printing({ layer: 2 }));
    await f.snapshots.settled();
    expect(f.store.forHistory([4])).toEqual([]);
    // A new process: nothing in memory, the entry written by the crash recovery.
    const { PrintSnapshots } = await import('../../../electron/core/snapshots/print-snapshots');
    const after = new PrintSnapshots({
      store: f.store,
      clock: f.clock,
      cameraOf: async () => null,
      watch: async () => ({ close() {} }),
      announce: () => undefined,
      log: () => undefined,
    });
    after.ended(f.history(4, { outcome: 'interrupted', endedAt: T0 + 20_000 }));
    await after.settled();
    expect(kinds(f.store.forHistory([4]))).toEqual(['first-layer']);
  });

  it('does not take pictures of the next print for the one that ended, nor file them with it', async () => {
    const f = await snapshotFixture();
    f.snapshots.status('p1', printing({ layer: 2 }));
    await f.snapshots.settled();
    f.clock.advance(1000);
    const first = f.history(1, { endedAt: f.clock.now() });
    f.snapshots.ended(first);
    // The printer still reports the ended print for a moment: no more pictures of it.
    f.snapshots.status('p1', printing({ layer: 3 }));
    f.snapshots.status('p1', idle);
    f.clock.advance(60_000);
    f.snapshots.status('p1', printing({ startedAt: f.clock.now(), layer: 2 }));
    await f.snapshots.settled();
    expect(kinds(f.store.forHistory([1]))).toEqual(['first-layer', 'end']);
    const second = f.history(2, { startedAt: T0 + 61_000, endedAt: f.clock.now() + 5000 });
    f.snapshots.ended(second);
    await f.snapshots.settled();
    expect(kinds(f.store.forHistory([2]))).toEqual(['first-layer', 'end']);
  });
});

describe('time-lapse', () => {
  async function printWithTimelapse(f: Awaited<ReturnType<typeof snapshotFixture>>, historyId: number, layers: number) {
    const startedAt = f.clock.now();
    for (let layer = 1; layer <= layers; layer++) {
      f.clock.advance(30_000);
      f.snapshots.status('p1', printing({ startedAt, layer }));
      await f.snapshots.settled();
    }
    f.clock.advance(1000);
    f.snapshots.ended(f.history(historyId, { startedAt, endedAt: f.clock.now() }));
    f.snapshots.status('p1', idle);
    await f.snapshots.settled();
  }

  it('is off until turned on for the printer', async () => {
    const f = await snapshotFixture();
    expect(await f.snapshots.timelapse('p1')).toMatchObject({ enabled: false, capMb: 500, usedBytes: 0 });
    await printWithTimelapse(f, 1, 4);
    expect(kinds(f.store.forHistory([1]))).toEqual(['first-layer', 'end']);
  });

  it('takes a frame at each layer change and makes them a WebM video with ffmpeg at the end', async () => {
    const f = await snapshotFixture();
    await f.snapshots.setTimelapse('p1', true, 100);
    await printWithTimelapse(f, 1, 5);
    const kept = f.store.forHistory([1]);
    // The video is dated at its last frame, so it sorts before the end picture.
    expect(kinds(kept)).toEqual(['first-layer', 'timelapse-video', 'end']);
    const video = await f.store.read(kept[1]!.id);
    expect(video.contentType).toBe('video/webm');
    // EBML magic: a real WebM file, made by ffmpeg from the five frames, which are then deleted.
    expect(video.bytes.subarray(0, 4)).toEqual(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]));
    expect(kept[1]!.layer).toBe(5);
    const files = readdirSync(join(f.dataDir, 'snapshots', 'p1'));
    expect(files.filter((n) => n.includes('timelapse-frame'))).toEqual([]);
    expect((await f.snapshots.timelapse('p1')).usedBytes).toBe(video.bytes.length);
  });

  it('keeps the frames as a strip, and says why, where ffmpeg is missing', async () => {
    const f = await snapshotFixture({ ffmpegPath: '/nonexistent/ffmpeg' });
    const view = await f.snapshots.setTimelapse('p1', true, 100);
    expect(view).toMatchObject({ assembly: 'frames', assemblyProblem: expect.stringMatching(/ffmpeg was not found.*apt install ffmpeg/) });
    await printWithTimelapse(f, 1, 3);
    const kept = f.store.forHistory([1]);
    expect(kinds(kept)).toEqual(['timelapse-frame', 'first-layer', 'timelapse-frame', 'timelapse-frame', 'end']);
    expect(kept.filter((k) => k.kind === 'timelapse-frame').map((k) => k.layer)).toEqual([1, 2, 3]);
  });

  it('deletes the oldest time-lapses, a whole print at a time, to stay under the cap, and keeps the other pictures', async () => {
    const f = await snapshotFixture({ ffmpegPath: '/nonexistent/ffmpeg' });
    await f.snapshots.setTimelapse('p1', true, 10);
    await printWithTimelapse(f, 1, 3);
    await printWithTimelapse(f, 2, 3);
    const perPrint = f.store.timelapseBytes('p1') / 2;
    // Each test frame is a few KiB, far under the smallest cap the UI allows: the store is asked with a cap of 1.5 prints.
    const removed = await f.store.enforceCap('p1', (perPrint * 1.5) / 1024 / 1024, 2);
    expect(removed).toBe(3);
    expect(kinds(f.store.forHistory([1]))).toEqual(['first-layer', 'end']);
    expect(kinds(f.store.forHistory([2])).filter((k) => k === 'timelapse-frame')).toHaveLength(3);
    // The deleted frames' files are gone from the disk too.
    const left = readdirSync(join(f.dataDir, 'snapshots', 'p1')).filter((n) => n.includes('timelapse-frame'));
    expect(left).toHaveLength(3);
    expect(existsSync(join(f.dataDir, 'snapshots', 'p1'))).toBe(true);
  });

  it('never deletes the print that just ended, however large its time-lapse', async () => {
    const f = await snapshotFixture({ ffmpegPath: '/nonexistent/ffmpeg' });
    await printWithTimelapse(f, 1, 1);
    expect(await f.store.enforceCap('p1', 0, 1)).toBe(0);
  });
});
