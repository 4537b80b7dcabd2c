/** Drives the sandbox's OAuth pages the way a browser without JavaScript would: plain fetch and form posts. */
import { createHash, randomBytes } from 'node:crypto';
import type { Sandbox } from './server';

export const CLIENT_ID = 'autoprintfarm-desktop';
export const REDIRECT_URI = 'http://127.0.0.1:53123/oauth/callback';
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

type Sb = Pick<Sandbox, 'issuer' | 'demoUser'>;

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeParams {
  redirect_uri?: string | null;
  client_id?: string | null;
  response_type?: string | null;
  scope?: string | null;
  state?: string | null;
  code_challenge?: string | null;
  code_challenge_method?: string | null;
}

/** `<issuer>/oauth/authorize?…` with sane defaults; a null drops the parameter. */
export function authorizeUrl(sb: Sb, challenge: string, params: AuthorizeParams = {}): string {
  const all: AuthorizeParams = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: 'printers:read jobs:read',
    state: 'st-' + randomBytes(6).toString('hex'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...params,
  };
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(all)) if (v !== null && v !== undefined) q.set(k, v);
  return `${sb.issuer}/oauth/authorize?${q.toString()}`;
}

export interface Page {
  status: number;
  headers: Headers;
  html: string;
}

export async function getPage(url: string): Promise<Page> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

const unescape = (s: string): string =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The page's one form: where it posts and what a browser would send untouched (hidden fields, ticked boxes). */
export function formOf(html: string): { action: string; fields: URLSearchParams; boxes: string[] } {
  const action = /<form method="post" action="([^"]*)">/.exec(html)?.[1];
  if (action === undefined) throw new Error(`no form on the page:\n${html}`);
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields.append(unescape(m[1]!), unescape(m[2]!));
  const boxes: string[] = [];
  for (const m of html.matchAll(/<input type="checkbox" name="grant" value="([^"]*)"( checked)?>/g)) {
    boxes.push(unescape(m[1]!));
    if (m[2]) fields.append('grant', unescape(m[1]!));
  }
  return { action: unescape(action), fields, boxes };
}

export interface Submitted {
  status: number;
  location: string | null;
  html: string;
}

/** Fills in the page's form and posts it. `grant` replaces the ticked boxes; `fields` override anything. */
export async function submit(
  sb: Sb,
  html: string,
  opts: { email?: string; password?: string; decision?: 'approve' | 'deny'; grant?: string[]; fields?: Record<string, string>; userCode?: string } = {},
): Promise<Submitted> {
  const { action, fields } = formOf(html);
  if (opts.grant) {
    fields.delete('grant');
    for (const g of opts.grant) fields.append('grant', g);
  }
  if (fields.has('csrf_token') && action.endsWith('/device') && fields.get('step') === 'code') {
    fields.set('user_code', opts.userCode ?? '');
  } else {
    fields.set('email', opts.email ?? sb.demoUser.email);
    fields.set('password', opts.password ?? sb.demoUser.password);
    fields.set('decision', opts.decision ?? 'approve');
  }
  for (const [k, v] of Object.entries(opts.fields ?? {})) fields.set(k, v);
  const res = await fetch(sb.issuer + action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

/** The query of a redirect to the app's loopback callback. */
export function callbackParams(location: string | null): URLSearchParams {
  if (location === null) throw new Error('expected a redirect');
  return new URL(location).searchParams;
}

/** The whole browser half: consent page, sign in, approve → the code and the Pkce that goes with it. */
export async function authorizeCode(sb: Sb, opts: { scope?: string; grant?: string[]; redirectUri?: string } = {}): Promise<{ code: string; pkce: Pkce; redirectUri: string }> {
  const p = pkce();
  const redirectUri = opts.redirectUri ?? REDIRECT_URI;
  const page = await getPage(authorizeUrl(sb, p.challenge, { scope: opts.scope ?? 'printers:read jobs:read', redirect_uri: redirectUri }));
  if (page.status !== 200) throw new Error(`consent page: ${page.status} ${page.html}`);
  const sent = await submit(sb, page.html, { grant: opts.grant });
  const code = callbackParams(sent.location).get('code');
  if (code === null) throw new Error(`no code in ${sent.location}`);
  return { code, pkce: p, redirectUri };
}

export interface OAuthAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever fields the answer has
  json: any;
}

/** A form POST to an OAuth endpoint (`/oauth/token`, `/oauth/revoke`, `/oauth/device_authorization`). */
export async function oauthPost(sb: Sb, path: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<OAuthAnswer> {
  const res = await fetch(sb.issuer + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text === '' ? null : JSON.parse(text) };
}

export function exchangeCode(sb: Sb, code: string, verifier: string, redirectUri = REDIRECT_URI): Promise<OAuthAnswer> {
  return oauthPost(sb, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, client_id: CLIENT_ID });
}

export function refresh(sb: Sb, refreshToken: string, scope?: string): Promise<OAuthAnswer> {
  return oauthPost(sb, '/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID, ...(scope === undefined ? {} : { scope }) });
}

/** Signs in through the pages and exchanges the code: a fresh token set. */
export async function signIn(sb: Sb, opts: { scope?: string; grant?: string[] } = {}): Promise<{ access_token: string; refresh_token: string; scope: string }> {
  const { code, pkce: p } = await authorizeCode(sb, opts);
  const answer = await exchangeCode(sb, code, p.verifier);
  if (answer.status !== 200) throw new Error(`token: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json;
}
