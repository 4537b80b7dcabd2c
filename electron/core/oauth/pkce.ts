import { createHash, randomBytes } from 'node:crypto';

/** PKCE (RFC 7636) with S256, the only method the cloud accepts. */
export interface Pkce {
  /** 32 random bytes, base64url: 43 characters, inside RFC 7636 §4.1's 43–128. */
  verifier: string;
  challenge: string;
  method: 'S256';
}

export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256(verifier), method: 'S256' };
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** An unguessable `state` that ties the browser's answer to this sign-in (RFC 6749 §10.12). */
export function newState(): string {
  return randomBytes(24).toString('base64url');
}
