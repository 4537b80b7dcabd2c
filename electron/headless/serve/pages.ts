import type { ServerResponse } from 'node:http';

/**
 * The few pages the host renders itself, before a browser has a session: the pairing form and the answers to a
 * link that cannot be used. No script; the only form posts to this same origin.
 */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1d2430}
h1{font-size:1.4rem}code,input{font:1.1rem ui-monospace,monospace}input{padding:.4rem;width:14rem;text-transform:uppercase}
button{font:inherit;padding:.4rem 1rem}.hint{color:#5a6472;font-size:.9rem}.fp{font-size:.75rem;word-break:break-all}`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function sendPage(res: ServerResponse, status: number, title: string, bodyHtml: string, extraHeaders: Record<string, string | string[]> = {}): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · AutoPrintFarm</title><style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1>${bodyHtml}</body></html>`;
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    // Not no-referrer: under it Chromium posts the pairing form with `Origin: null`, and the host needs the real
    // Origin to refuse cross-site posts. These pages carry nothing secret in their address; other sites still get none.
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    ...extraHeaders,
  });
  res.end(html);
}

/** What the pairing QR code's link fills in; anything not shaped like a code or a fingerprint is ignored. */
export interface PairingPrefill {
  code?: string;
  fingerprint?: string;
}

export function pairingPrefill(query: URLSearchParams): PairingPrefill {
  const code = query.get('code') ?? '';
  const fingerprint = (query.get('fp') ?? '').toUpperCase();
  return {
    ...(/^[A-Za-z0-9-]{1,20}$/.test(code) ? { code } : {}),
    ...(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(fingerprint) ? { fingerprint } : {}),
  };
}

const PAIR_HINT =
  '<p>Ask the farm\'s admin to pair this device: in AutoPrintFarm, <b>Settings → Devices → Pair a device</b>. Then open <a href="/pair">the pairing page</a> here and type the code shown there.</p>';

export const PAGES = {
  linkUsed: (res: ServerResponse) => sendPage(res, 410, 'This link was already used', `<p>The start link works once, for the first browser that opens it.</p>${PAIR_HINT}`),
  linkInvalid: (res: ServerResponse) => sendPage(res, 401, 'This link is not valid', `<p>Open the exact address <code>apf serve</code> printed.</p>${PAIR_HINT}`),
  notSignedIn: (res: ServerResponse) => sendPage(res, 401, 'This device is not paired', `<p>This browser has no session on this farm PC, or its session ended.</p>${PAIR_HINT}`),
  tooMany: (res: ServerResponse, retryAfterS: number) =>
    sendPage(res, 429, 'Too many attempts', `<p>Wait ${Math.ceil(retryAfterS / 60)} minute(s), then try again.</p>`, { 'Retry-After': String(retryAfterS) }),
  pairForm: (res: ServerResponse, problem?: string, status = 200, prefill: PairingPrefill = {}) =>
    sendPage(
      res,
      status,
      'Pair this device',
      `${problem ? `<p role="alert"><b>${escapeHtml(problem)}</b></p>` : ''}<p>${prefill.code ? "The code from the admin's screen is filled in. Tap Pair." : "Type the code shown on the admin's screen."} It works once, for 5 minutes.</p>
<p class="hint">Check first that the certificate fingerprint your browser shows for this page (the padlock → certificate → SHA-256) is the one on the admin's screen${prefill.fingerprint ? `: <code class="fp">${escapeHtml(prefill.fingerprint)}</code>` : ''}.</p>
<form method="post" action="/pair"><label>Code <input name="code" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" maxlength="20" required autofocus${prefill.code ? ` value="${escapeHtml(prefill.code)}"` : ''}></label> <button type="submit">Pair</button></form>`,
    ),
  forbiddenPost: (res: ServerResponse) => sendPage(res, 403, 'Refused', '<p>This form can only be sent from the pairing page of this farm PC.</p>'),
};
