import { randomInt } from 'node:crypto';
import type { Role } from '../contract';
import { AppError } from '../errors';

/** How long a pairing code works. */
export const PAIRING_TTL_MS = 5 * 60_000;
/** Codes open at once; an admin who needs more waits for some to expire or be used. */
const MAX_OPEN_CODES = 20;
/** No 0/O, 1/I/L: a code is read off one screen and typed on another. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10;

interface Pending {
  role: Role;
  label: string;
  expiresAt: number;
  usedAt: number | null;
}

export type Redemption = { ok: true; role: Role; label: string } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/**
 * One-time pairing codes, in memory (a restart cancels them). 31^10 ≈ 8·10^14 codes, a 5-minute life and the
 * host's rate limit on attempts leave guessing hopeless. A used or expired code is remembered until it would
 * have expired, so a second try is told why it fails.
 */
export class PairingCodes {
  private readonly codes = new Map<string, Pending>();

  constructor(private readonly now: () => number) {}

  create(role: Role, label: string): { code: string; expiresAt: number } {
    this.prune();
    const open = [...this.codes.values()].filter((p) => p.usedAt === null).length;
    if (open >= MAX_OPEN_CODES) throw new AppError('conflict', `There are already ${MAX_OPEN_CODES} pairing codes open; wait for them to be used or to expire (5 minutes).`);
    let code = '';
    do {
      code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    } while (this.codes.has(code));
    const expiresAt = this.now() + PAIRING_TTL_MS;
    this.codes.set(code, { role, label, expiresAt, usedAt: null });
    return { code: `${code.slice(0, 5)}-${code.slice(5)}`, expiresAt };
  }

  redeem(typed: string): Redemption {
    const code = normalize(typed);
    const pending = this.codes.get(code);
    if (!pending) return { ok: false, reason: 'unknown' };
    if (pending.usedAt !== null) return { ok: false, reason: 'used' };
    if (this.now() >= pending.expiresAt) return { ok: false, reason: 'expired' };
    pending.usedAt = this.now();
    return { ok: true, role: pending.role, label: pending.label };
  }

  private prune(): void {
    // Kept a while past expiry, to answer "expired" rather than "unknown".
    for (const [code, p] of this.codes) if (this.now() > p.expiresAt + PAIRING_TTL_MS) this.codes.delete(code);
  }
}

export function normalize(typed: string): string {
  return typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .slice(0, 2 * CODE_LENGTH);
}
