/** Where a camera's pictures come from. */
export type CameraKind = 'mjpeg' | 'snapshot' | 'bambu' | 'usb';

/**
 * A camera as the renderer sees it: never a credential, never a full URL (a query may hold a password on some
 * IP cameras). The picture itself comes from `streamPath` on the host, which relays it.
 */
export interface CameraView {
  id: string;
  printerId: string;
  name: string;
  kind: CameraKind;
  /** `manual`: added by a user; `printer`: announced by the printer's Moonraker/OctoPrint; `built-in`: Bambu's own. */
  origin: 'manual' | 'printer' | 'built-in';
  /** Scheme, host and path (no user, password or query), "192.168.1.30, port 6000 (TLS)", or "/dev/video0". */
  where: string;
  /** The host's stream route (`/camera/<id>/stream`; add `?fps=1` for a wall tile); null when it cannot stream. */
  streamPath: string | null;
  /** Why it cannot stream, or why it failed last time, and what to do. */
  problem: string | null;
  /** A manual camera can be removed; the others come and go with their printer. */
  removable: boolean;
}

/** The webcams plugged into the computer running the host, and whether it can read them (ffmpeg). */
export interface LocalVideoDevices {
  devices: { device: string; name: string }[];
  /** Null when USB webcams can be read; otherwise why not and what to install. */
  problem: string | null;
}
