import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors';

/** A time-lapse plays at this rate: 300 layers make a 20 s video. */
export const TIMELAPSE_FPS = 15;

export const ENCODER_MISSING =
  'Time-lapses are kept as a strip of pictures: ffmpeg was not found on this computer, so they cannot be made into videos. Install ffmpeg (Debian/Ubuntu: sudo apt install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg) and restart the app.';

/** Whether `ffmpeg` runs here with a WebM (VP8) encoder; null when it does, else why not. */
export function encoderProblem(ffmpegPath = 'ffmpeg'): Promise<string | null> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(ffmpegPath, ['-hide_banner', '-encoders'], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', (d: Buffer) => void (out += d.toString('latin1')));
    child.on('error', () => resolve(ENCODER_MISSING));
    child.on('close', (code) => resolve(code === 0 && /\blibvpx\b/.test(out) ? null : ENCODER_MISSING));
  });
}

/**
 * Makes a WebM (VP8: every Chromium and Electron plays it, and Debian's ffmpeg has it) of JPEG frames, in
 * order. The frames are copied to numbered names first, because ffmpeg's image reader wants a numbered
 * sequence. Runs at low priority, since the same computer is streaming G-code to printers.
 */
export async function encodeTimelapse(frames: readonly string[], opts: { ffmpegPath?: string; fps?: number; timeoutMs?: number } = {}): Promise<Buffer> {
  if (frames.length < 2) throw new AppError('invalid_input', 'A time-lapse needs at least two frames.');
  const work = await mkdtemp(join(tmpdir(), 'apf-timelapse-'));
  try {
    await Promise.all(frames.map((f, i) => copyFile(f, join(work, `${String(i + 1).padStart(6, '0')}.jpg`))));
    const out = join(work, 'timelapse.webm');
    // Even sizes (VP8 with yuv420p needs them); every frame scaled to the first one's size if the camera changed.
    const args = ['-hide_banner', '-loglevel', 'error', '-y', '-framerate', String(opts.fps ?? TIMELAPSE_FPS), '-i', join(work, '%06d.jpg')];
    args.push('-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2', '-c:v', 'libvpx', '-b:v', '2M', '-crf', '10', '-deadline', 'good', '-cpu-used', '4', '-pix_fmt', 'yuv420p', '-an', out);
    await run(opts.ffmpegPath ?? 'ffmpeg', args, opts.timeoutMs ?? 60_000 + frames.length * 500);
    return await readFile(out);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      if (child.pid) setPriority(child.pid, 10);
    } catch {
      // Not allowed to lower it (some Windows setups): the encode just runs at normal priority.
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr.on('data', (d: Buffer) => void (stderr = (stderr + d.toString('utf8')).slice(-2000)));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new AppError('unsupported', (err as NodeJS.ErrnoException).code === 'ENOENT' ? ENCODER_MISSING : `ffmpeg could not be started: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const why = signal ? `it was stopped after ${Math.round(timeoutMs / 1000)} s` : (stderr.trim().split('\n').pop() ?? `it exited with code ${code}`);
      reject(new AppError('internal', `The time-lapse video could not be made (${why}); its frames are kept as a strip.`));
    });
  });
}
