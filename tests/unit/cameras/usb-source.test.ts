import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isJpeg } from '../../../electron/core/cameras/camera-source';
import { FFMPEG_MISSING, ffmpegProblem, listVideoDevices, UsbCameraSource } from '../../../electron/core/cameras/usb-source';
import { collectFrames } from './collect-frames';

const hasFfmpeg = (() => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const collect = collectFrames;

describe('USB webcam through ffmpeg', () => {
  // No webcam on a CI machine: ffmpeg's generated test picture stands in for the V4L2 input, the rest is the real path.
  it.skipIf(!hasFfmpeg)('yields the JPEG frames ffmpeg encodes from the device', async () => {
    const source = new UsbCameraSource({ device: '/dev/video0', label: 'camera "Test" (/dev/video0)', inputArgs: ['-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10'] });
    const { frames, error } = await collect(source, 3);
    expect(error).toBeNull();
    expect(frames.every(isJpeg)).toBe(true);
    expect(new Set(frames.map((f) => f.toString('base64'))).size).toBe(3);
  });

  it.skipIf(!hasFfmpeg)('says the device is not there when it does not exist', async () => {
    const { error } = await collect(new UsbCameraSource({ device: '/dev/video99', label: 'camera "Test" (/dev/video99)' }), 1);
    expect(error?.message).toMatch(/\/dev\/video99 is not there|sent no picture/);
  });

  it('says plainly that ffmpeg is needed, and how to get it, when it is not installed', async () => {
    const { error } = await collect(new UsbCameraSource({ device: '/dev/video0', label: 'camera', ffmpegPath: '/nonexistent/ffmpeg' }), 1);
    expect(error?.message).toBe(FFMPEG_MISSING);
    expect(await ffmpegProblem('/nonexistent/ffmpeg')).toBe(FFMPEG_MISSING);
  });

  it('never hands ffmpeg anything but a video device', async () => {
    const { error } = await collect(new UsbCameraSource({ device: '/etc/passwd', label: 'camera' }), 1);
    expect(error?.message).toContain('is not a video device');
  });

  it('lists the video devices with the names the kernel gives them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apf-v4l-'));
    try {
      for (const f of ['video2', 'video0', 'vcs1']) writeFileSync(join(dir, f), '');
      mkdirSync(join(dir, 'sys', 'video0'), { recursive: true });
      writeFileSync(join(dir, 'sys', 'video0', 'name'), 'HD Pro Webcam C920\n');
      expect(await listVideoDevices(dir, join(dir, 'sys'))).toEqual([
        { device: `${dir}/video0`, name: 'HD Pro Webcam C920' },
        { device: `${dir}/video2`, name: `${dir}/video2` },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
