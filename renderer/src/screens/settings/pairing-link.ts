import type { PairingOffer } from '../../../../electron/core/contract';

/**
 * What the pairing QR code holds: the pairing page with the code filled in and the certificate fingerprint to
 * compare. Opening it only fills the form (the host never redeems a code on GET, so a link preview cannot use
 * it up); the code still works once, for 5 minutes.
 */
export function pairingLink(offer: Pick<PairingOffer, 'urls' | 'code' | 'fingerprint256'>): string | null {
  const page = offer.urls[0];
  if (!page) return null;
  const query = new URLSearchParams({ code: offer.code });
  if (offer.fingerprint256) query.set('fp', offer.fingerprint256);
  return `${page}?${query.toString()}`;
}
