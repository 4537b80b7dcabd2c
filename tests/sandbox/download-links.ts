import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { getMeta, setMeta, type Db } from './store';

/** A download link is valid this long (the real product's signed R2 links: one hour). */
export const LINK_LIFETIME_MS = 60 * 60 * 1000;

const SECRET_KEY = 'download_link_secret';

export type LinkCheck = { ok: true; fileId: string } | { ok: false; reason: 'invalid' | 'expired' };

/**
 * Signed links that need no key: `<file id>.<expiry ms>.<HMAC-SHA256 of both>`. The secret lives in the
 * database, so a link handed out before a restart still works after it, until it expires.
 */
export class DownloadLinks {
  private readonly secret: Buffer;

  constructor(
    db: Db,
    private readonly now: () => number,
  ) {
    let hex = getMeta(db, SECRET_KEY);
    if (hex === null) {
      hex = randomBytes(32).toString('hex');
      setMeta(db, SECRET_KEY, hex);
    }
    this.secret = Buffer.from(hex, 'hex');
  }

  sign(fileId: string): { token: string; expiresAt: number } {
    const expiresAt = this.now() + LINK_LIFETIME_MS;
    return { token: `${fileId}.${expiresAt}.${this.mac(fileId, expiresAt).toString('base64url')}`, expiresAt };
  }

  check(token: string): LinkCheck {
    const match = /^(file_[0-9a-f]{24})\.(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return { ok: false, reason: 'invalid' };
    const [, fileId, expiry, sig] = match as unknown as [string, string, string, string];
    const expected = this.mac(fileId, Number(expiry));
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
    if (this.now() >= Number(expiry)) return { ok: false, reason: 'expired' };
    return { ok: true, fileId };
  }

  private mac(fileId: string, expiresAt: number): Buffer {
    return createHmac('sha256', this.secret).update(`${fileId}.${expiresAt}`).digest();
  }
}
