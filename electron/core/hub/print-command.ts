import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { JobView, Priority } from '../contract/jobs-types';
import type { EnqueueRequest } from '../jobs/farm';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../private-files';

/** `print_command` as the cloud sends it (cloud-hub.md "Cloud → hub"). */
export interface PrintCommand {
  type: 'print_command';
  command_id: string;
  printer_id: string;
  job_id: string;
  action: 'start';
  file_url: string;
  file_name: string;
  file_sha256?: string;
  file_size?: number;
  /** (ours) The cloud job's priority, 0–255; the job joins the local queue at the matching priority. */
  priority?: number;
}

/** The local queue's priority for a cloud priority (low 10, normal 50, high 100, urgent 200), by the nearest step down. */
export function localPriorityOf(cloud: number | undefined): Priority {
  if (cloud === undefined || !Number.isFinite(cloud)) return 'normal';
  if (cloud >= 200) return 'urgent';
  if (cloud >= 100) return 'high';
  if (cloud >= 50) return 'normal';
  return 'low';
}

export interface PrintCommandDeps {
  /** The local printer the cloud's printer id stands for, when this hub published it. */
  localPrinterOf(cloudPrinterId: string): string | null;
  /** Whether this cloud job is already a local job (a repeated command). */
  acceptedJob(cloudJobId: string): JobView | null;
  /** Adds a downloaded file to the library and resolves once its analysis is done (ready to queue). */
  addToLibrary(path: string, name: string): Promise<{ sha256: string }>;
  enqueue(req: EnqueueRequest): JobView[];
  /** Sends a message now if connected (acks and progress are not worth keeping offline). */
  send(message: Record<string, unknown> & { type: string }): boolean;
  /** Where downloads are written before the library takes them. */
  scratchDir: string;
  fetch?: typeof fetch;
  now?: () => number;
}

/** Progress messages while downloading: at most one per this many ms. */
const PROGRESS_EVERY_MS = 1000;

/**
 * Runs a `print_command`: downloads the file from its signed link (progress as `file_progress`), checks it
 * against `file_sha256`, adds it to the library, and queues it on that printer through the same farm queue as
 * local jobs. It is acknowledged only once the job is committed; a repeated command for a job already accepted
 * is acknowledged and not printed twice. Failures are acknowledged with the reason, never silently dropped.
 */
export async function runPrintCommand(cmd: PrintCommand, deps: PrintCommandDeps): Promise<void> {
  const ack = (success: boolean, error?: string) => deps.send({ type: 'command_ack', command_id: cmd.command_id, success, ...(error ? { error } : {}) });
  const progress = (stage: 'downloading' | 'complete' | 'failed', pct: number, error?: string) =>
    deps.send({ type: 'file_progress', printer_id: cmd.printer_id, job_id: cmd.job_id, stage, progress_percentage: pct, ...(error ? { error } : {}) });
  if (deps.acceptedJob(cmd.job_id)) {
    ack(true);
    return;
  }
  const printerId = deps.localPrinterOf(cmd.printer_id);
  if (!printerId) {
    ack(false, `This hub does not publish the printer ${cmd.printer_id}.`);
    return;
  }
  // Downloads are the user's alone, as everything in the data folder: 0700 folder, 0600 files.
  ensurePrivateDir(deps.scratchDir);
  const path = join(deps.scratchDir, `${randomUUID()}.download`);
  try {
    const sha256 = await download(cmd, path, deps, (pct) => progress('downloading', pct));
    if (cmd.file_sha256 && cmd.file_sha256.toLowerCase() !== sha256) {
      throw new Error(`The downloaded file does not match its checksum (expected ${cmd.file_sha256.slice(0, 12)}…, got ${sha256.slice(0, 12)}…). It was not printed.`);
    }
    const file = await deps.addToLibrary(path, cmd.file_name);
    // A job that arrived twice while the first was downloading is still one job.
    const cloudPriority = typeof cmd.priority === 'number' && Number.isInteger(cmd.priority) && cmd.priority >= 0 && cmd.priority <= 255 ? cmd.priority : undefined;
    deps.enqueue({
      fileSha256: file.sha256,
      copies: 1,
      priority: localPriorityOf(cloudPriority),
      target: { kind: 'printer', printerId },
      cloud: { jobId: cmd.job_id, printerId: cmd.printer_id, ...(cloudPriority !== undefined ? { priority: cloudPriority } : {}) },
    });
    progress('complete', 100);
    ack(true);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    progress('failed', 0, reason);
    ack(false, reason);
  } finally {
    await rm(path, { force: true });
  }
}

async function download(cmd: PrintCommand, path: string, deps: PrintCommandDeps, onProgress: (pct: number) => void): Promise<string> {
  const res = await (deps.fetch ?? fetch)(cmd.file_url);
  if (!res.ok || !res.body) throw new Error(`The file could not be downloaded from the cloud (HTTP ${res.status}).`);
  const total = Number(res.headers.get('content-length')) || cmd.file_size || 0;
  const hash = createHash('sha256');
  const now = deps.now ?? Date.now;
  let done = 0;
  let lastReport = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, next) {
      hash.update(chunk);
      done += chunk.length;
      if (total > 0 && now() - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = now();
        onProgress(Math.min(99, Math.round((done / total) * 100)));
      }
      next(null, chunk);
    },
  });
  // The cast is for the tests' program, where lib.dom's ReadableStream is not node:stream/web's.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), meter, createWriteStream(path, { mode: PRIVATE_FILE_MODE }));
  if (cmd.file_size !== undefined && done !== cmd.file_size) throw new Error(`The download ended after ${done} of ${cmd.file_size} bytes.`);
  return hash.digest('hex');
}
