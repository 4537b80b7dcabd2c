import { describe, expect, it } from 'vitest';
import { moonrakerWebcams, octoPrintWebcams } from '../../../electron/core/cameras/webcam-discovery';

const list = (...webcams: Record<string, unknown>[]) => ({ result: { webcams } });

describe("webcams a printer's software announces", () => {
  it("resolves Moonraker's relative webcam paths against the host's web server, not Moonraker's port 7125", () => {
    const cams = moonrakerWebcams(
      list({ name: 'Nozzle', service: 'mjpegstreamer', stream_url: '/webcam/?action=stream', snapshot_url: '/webcam/?action=snapshot' }),
      'http://voron.local:7125',
    );
    expect(cams).toEqual([{ key: 'Nozzle', name: 'Nozzle', kind: 'mjpeg', url: 'http://voron.local/webcam/?action=stream', credentials: null }]);
  });

  it('keeps a path prefix when Moonraker is reached through a proxy on another port', () => {
    const [cam] = moonrakerWebcams(list({ name: 'c', service: 'mjpegstreamer', stream_url: 'webcam/?action=stream', snapshot_url: '' }), 'https://farm.example/voron');
    expect(cam?.url).toBe('https://farm.example/voron/webcam/?action=stream');
  });

  it('reads the snapshot URL for services that do not serve MJPEG, and skips disabled or unreadable webcams', () => {
    const cams = moonrakerWebcams(
      list(
        { name: 'adaptive', service: 'mjpegstreamer-adaptive', stream_url: '/webcam/?action=stream', snapshot_url: '/webcam/?action=snapshot' },
        { name: 'webrtc only', service: 'webrtc-camerastreamer', stream_url: 'webrtc://x', snapshot_url: '' },
        { name: 'off', service: 'mjpegstreamer', enabled: false, stream_url: '/a', snapshot_url: '/b' },
      ),
      'http://10.0.0.5:7125',
    );
    expect(cams.map((c) => [c.name, c.kind, c.url])).toEqual([['adaptive', 'snapshot', 'http://10.0.0.5/webcam/?action=snapshot']]);
  });

  it('moves a user and password out of an announced URL', () => {
    const [cam] = moonrakerWebcams(
      list({ name: 'ip cam', service: 'mjpegstreamer', stream_url: 'http://admin:pa%40ss@10.0.0.9:8080/video', snapshot_url: '' }),
      'http://10.0.0.5:7125',
    );
    expect(cam?.url).toBe('http://10.0.0.9:8080/video');
    expect(cam?.credentials).toEqual({ username: 'admin', password: 'pa@ss' });
  });

  it("resolves OctoPrint's relative webcam URLs against OctoPrint's address, and announces none when the webcam is off", () => {
    const on = octoPrintWebcams(
      { webcam: { webcamEnabled: true, streamUrl: '/webcam/?action=stream', snapshotUrl: 'http://127.0.0.1:8080/?action=snapshot' } },
      'http://octopi.local',
    );
    expect(on).toEqual([{ key: 'webcam', name: 'Webcam', kind: 'mjpeg', url: 'http://octopi.local/webcam/?action=stream', credentials: null }]);
    expect(octoPrintWebcams({ webcam: { webcamEnabled: false, streamUrl: '/webcam/?action=stream' } }, 'http://octopi.local')).toEqual([]);
    expect(octoPrintWebcams({ webcam: { webcamEnabled: true, streamUrl: '', snapshotUrl: '/snap' } }, 'http://octopi.local')[0]?.kind).toBe('snapshot');
  });
});
