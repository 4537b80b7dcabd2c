/**
 * Reads the API key out of an Authorization header: `Bearer <key>`, or `Basic base64(<key>:)` with the
 * key as user name and an empty password. Anything else yields null, which the server answers with the
 * one generic 401, so a caller never learns which part was wrong.
 */

/** Far above any real key (prefix + 64 hex, or its base64), far below Node's 16 KB header cap. */
const MAX_HEADER_LENGTH = 512;

// RFC 9110 §11.4: credentials = auth-scheme [ 1*SP token68 ]. One or more spaces is legal; tabs are not.
const CREDENTIALS = /^([A-Za-z]+) +([A-Za-z0-9\-._~+/]+=*)$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * @param values every Authorization header line of the request (Node's `headersDistinct`), so a request
 *   that sends two is refused instead of silently using the first.
 */
export function presentedKey(values: readonly string[] | undefined): string | null {
  return presentedCredential(values)?.value ?? null;
}

/** The credential and the scheme it came in: OAuth access tokens are only accepted as `Bearer` (RFC 6750 §2.1). */
export function presentedCredential(values: readonly string[] | undefined): { scheme: 'bearer' | 'basic'; value: string } | null {
  if (values === undefined || values.length !== 1) return null;
  const value = values[0]!;
  if (value.length > MAX_HEADER_LENGTH) return null;
  const match = CREDENTIALS.exec(value);
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  const token = match[2]!;
  if (scheme === 'bearer') return { scheme, value: token };
  if (scheme !== 'basic') return null;
  const key = keyFromBasic(token);
  return key === null ? null : { scheme, value: key };
}

function keyFromBasic(token: string): string | null {
  if (!BASE64.test(token)) return null;
  const decoded = Buffer.from(token, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // The key belongs in the user slot; a password (or the key in the password slot) is a different
  // credential scheme, not ours.
  if (password !== '' || user === '') return null;
  return user;
}
