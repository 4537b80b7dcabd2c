import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SettingsStore } from '../ports/settings-store';

/** A camera added by hand. Its password, if any, is in the credential store; `url` never holds one. */
export const SavedCameraSchema = z.object({
  id: z.string().min(1).max(64),
  printerId: z.string().min(1).max(64),
  name: z.string().min(1).max(80),
  kind: z.enum(['mjpeg', 'snapshot', 'usb']),
  /** The camera's URL, or the device path (/dev/videoN) of a USB webcam. */
  url: z.string().min(1).max(2000),
  username: z.string().max(128).nullable().default(null),
  credentialRef: z.string().max(64).nullable().default(null),
});
export type SavedCamera = z.infer<typeof SavedCameraSchema>;

const KEY = 'cameras.saved';

/** The manual cameras in the settings file; an entry this version cannot read is kept and written back untouched. */
export class CameraConfigs {
  private cameras: SavedCamera[] = [];
  private readonly unreadable: unknown[] = [];

  constructor(private readonly store: SettingsStore) {
    const raw = store.get(KEY);
    if (!Array.isArray(raw)) return;
    for (const entry of raw) {
      const parsed = SavedCameraSchema.safeParse(entry);
      if (parsed.success) this.cameras.push(parsed.data);
      else this.unreadable.push(entry);
    }
  }

  all(): readonly SavedCamera[] {
    return this.cameras;
  }

  get(id: string): SavedCamera | undefined {
    return this.cameras.find((c) => c.id === id);
  }

  add(camera: Omit<SavedCamera, 'id'>): SavedCamera {
    const saved = { ...camera, id: `cam_${randomBytes(6).toString('hex')}` };
    this.cameras = [...this.cameras, saved];
    this.persist();
    return saved;
  }

  remove(id: string): SavedCamera | null {
    const found = this.get(id);
    if (!found) return null;
    this.cameras = this.cameras.filter((c) => c.id !== id);
    this.persist();
    return found;
  }

  private persist(): void {
    this.store.set(KEY, [...this.cameras, ...this.unreadable]);
  }
}
