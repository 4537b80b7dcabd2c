import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { AppError } from '../errors';
import { frameTooLargeMessage, isJpeg, type CameraSource, type FrameSink } from './camera-source';
import { FrameTooLargeError, MjpegParser } from './mjpeg-parser';

/** Only V4L2 capture devices: ffmpeg would read any file it is given, so nothing else is ever passed to it. */
export const USB_DEVICE_PATTERN = /^\/dev\/video\d{1,3}$/;
/** A USB webcam is read at most this fast (a full-rate printer page; ffmpeg drops the rest). */
const USB_MAX_FPS = 10;

export const FFMPEG_MISSING = 'Reading a USB webcam on this computer needs ffmpeg, which is not installed. Install it (Debian or Ubuntu: sudo apt install ffmpeg) and try again.';

export interface UsbCameraTarget {
  device: string;
  /** e.g. `camera "Bed" (/dev/video0)`. */
  label: string;
  /** ffmpeg's input arguments; default the V4L2 device. Tests give a generated picture (lavfi testsrc) instead. */
  inputArgs?: string[];
  ffmpegPath?: string;
}

/**
 * A webcam plugged into the computer running the host, read through ffmpeg (the well-kept tool for V4L2 on
 * Linux): ffmpeg encodes JPEGs and writes them as a multipart stream (`-f mpjpeg`) that the MJPEG parser cuts.
 * Without ffmpeg it says so and what to install.
 */
export class UsbCameraSource implements CameraSource {
  private child: ChildProcess | null = null;
  private stopped = false;

  constructor(private readonly target: UsbCameraTarget) {}

  start(sink: FrameSink): void {
    if (!USB_DEVICE_PATTERN.test(this.target.device)) return sink.failed(new AppError('invalid_input', `${this.target.device} is not a video device (/dev/videoN).`));
    this.stopped = false;
    let frames = 0;
    let stderr = '';
    const fail = (err: AppError) => {
      if (this.stopped) return;
      this.stop();
      sink.failed(err);
    };
    const input = this.target.inputArgs ?? ['-f', 'v4l2', '-i', this.target.device];
    const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', ...input, '-an', '-vf', `fps=${USB_MAX_FPS}`, '-f', 'mpjpeg', '-q:v', '5', 'pipe:1'];
    const child = spawn(this.target.ffmpegPath ?? 'ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const parser = new MjpegParser(null, (part) => {
      frames++;
      if (isJpeg(part)) sink.frame(part);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      try {
        parser.push(chunk);
      } catch (err) {
        if (err instanceof FrameTooLargeError) return fail(new AppError('printer_error', frameTooLargeMessage(this.target.label, err.size)));
        fail(new AppError('printer_error', `The ${this.target.label} sent pictures this app cannot read.`));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      fail(err.code === 'ENOENT' ? new AppError('unsupported', FFMPEG_MISSING) : new AppError('printer_error', `ffmpeg could not be started for the ${this.target.label}.`));
    });
    child.on('close', () => fail(usbEndError(this.target, stderr, frames)));
  }

  stop(): void {
    this.stopped = true;
    this.child?.kill('SIGTERM');
    this.child = null;
  }
}

/** ffmpeg's last words about the device, turned into what to do. */
function usbEndError(target: UsbCameraTarget, stderr: string, frames: number): AppError {
  if (/Permission denied/i.test(stderr)) {
    return new AppError('printer_error', `This app may not open ${target.device}. Add the user running it to the "video" group (sudo usermod -aG video $USER), then log in again.`);
  }
  if (/No such file|No such device/i.test(stderr)) return new AppError('printer_offline', `${target.device} is not there: the webcam was unplugged or is another device now.`);
  if (/busy/i.test(stderr)) return new AppError('printer_error', `${target.device} is in use by another program (only one may read a webcam at a time).`);
  return new AppError('printer_offline', frames ? `The ${target.label} stopped sending pictures.` : `The ${target.label} sent no picture.`);
}

/** The V4L2 devices of this computer with the names the kernel gives them (Linux; none elsewhere). */
export async function listVideoDevices(dir = '/dev', sysDir = '/sys/class/video4linux'): Promise<{ device: string; name: string }[]> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const devices = entries
    .filter((e) => /^video\d{1,3}$/.test(e))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
    .map((e) => `${dir}/${e}`);
  return Promise.all(
    devices.map(async (device) => {
      const name = (await readFile(`${sysDir}/${device.slice(device.lastIndexOf('/') + 1)}/name`, 'utf8').catch(() => '')).trim();
      return { device, name: name || device };
    }),
  );
}

/** Null when ffmpeg runs here; otherwise what to install. */
export function ffmpegProblem(ffmpegPath = 'ffmpeg'): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(ffmpegPath, ['-hide_banner', '-version'], { stdio: 'ignore' });
    child.on('error', () => resolve(FFMPEG_MISSING));
    child.on('close', (code) => resolve(code === 0 ? null : FFMPEG_MISSING));
  });
}
