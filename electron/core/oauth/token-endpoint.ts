import { z } from 'zod';
import { AppError } from '../errors';
import { oauthErrorFrom } from './errors';
import { CLIENT_ID, type AuthServerMetadata } from './metadata';

/** Tokens as the app keeps them: `expiresAt` is absolute, so a restart knows whether the access token still works. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms. */
  expiresAt: number;
  scopes: string[];
}

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'token_type must be Bearer'),
  expires_in: z.number().int().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
});

const DeviceAuthorizationSchema = z.object({
  device_code: z.string().min(1),
  user_code: z.string().min(1),
  verification_uri: z.string().url(),
  verification_uri_complete: z.string().url().optional(),
  expires_in: z.number().int().positive(),
  interval: z.number().int().positive().optional(),
});
export type DeviceAuthorization = z.infer<typeof DeviceAuthorizationSchema>;

export interface TokenEndpointDeps {
  metadata: AuthServerMetadata;
  fetch?: typeof fetch;
  now?: () => number;
}

/** The authorization server's form-encoded endpoints (RFC 6749 §4.1.3, §6; RFC 7009; RFC 8628 §3.1, §3.4). */
export class TokenEndpoint {
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly d: TokenEndpointDeps) {
    this.fetchFn = d.fetch ?? fetch;
    this.now = d.now ?? Date.now;
  }

  exchangeCode(code: string, redirectUri: string, verifier: string, requested: readonly string[]): Promise<TokenSet> {
    return this.token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }, requested);
  }

  /** A refresh returns a new refresh token (rotation): the caller must keep the new one, the old is now spent. */
  refresh(refreshToken: string, scopes: readonly string[]): Promise<TokenSet> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken }, scopes, refreshToken);
  }

  /** RFC 7009: best effort; an unknown or already revoked token is fine. Refresh first, so its family goes too. */
  async revoke(token: string, hint: 'access_token' | 'refresh_token'): Promise<void> {
    const endpoint = this.d.metadata.revocation_endpoint;
    if (!endpoint) return;
    const res = await this.post(endpoint, { token, token_type_hint: hint, client_id: CLIENT_ID });
    if (!res.ok && res.status !== 400) throw new AppError('cloud_error', `The cloud did not confirm the sign-out (HTTP ${res.status}).`);
  }

  async startDevice(scopes: readonly string[]): Promise<DeviceAuthorization> {
    const endpoint = this.d.metadata.device_authorization_endpoint;
    if (!endpoint) throw new AppError('unsupported', 'The cloud does not offer signing in with a code. Use an API key on this computer.');
    const res = await this.post(endpoint, { scope: scopes.join(' '), client_id: CLIENT_ID });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw oauthErrorFrom(body, res.status);
    const parsed = DeviceAuthorizationSchema.safeParse(body);
    if (!parsed.success) throw new AppError('cloud_error', 'The cloud answered the sign-in with a code the app cannot read.');
    return parsed.data;
  }

  /**
   * One poll of the device grant: tokens, or what to do next (RFC 8628 §3.5): wait (`authorization_pending`),
   * wait 5 s longer from now on (`slow_down`). `expired_token` and `access_denied` end the sign-in (thrown).
   */
  async pollDevice(deviceCode: string, scopes: readonly string[]): Promise<TokenSet | 'pending' | 'slow_down'> {
    try {
      return await this.token({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode }, scopes);
    } catch (err) {
      const code = (err as { oauthCode?: string }).oauthCode;
      if (code === 'authorization_pending') return 'pending';
      if (code === 'slow_down') return 'slow_down';
      throw err;
    }
  }

  private async token(form: Record<string, string>, requested: readonly string[], previousRefresh: string | null = null): Promise<TokenSet> {
    const res = await this.post(this.d.metadata.token_endpoint, { ...form, client_id: CLIENT_ID });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw oauthErrorFrom(body, res.status);
    const parsed = TokenResponseSchema.safeParse(body);
    if (!parsed.success) throw new AppError('cloud_error', 'The cloud answered the sign-in with tokens the app cannot read.');
    const t = parsed.data;
    return {
      accessToken: t.access_token,
      // A server that does not rotate keeps the refresh token it had (RFC 6749 §6).
      refreshToken: t.refresh_token ?? previousRefresh,
      expiresAt: this.now() + (t.expires_in ?? 3600) * 1000,
      // RFC 6749 §5.1: no `scope` means what was asked for was granted.
      scopes: t.scope !== undefined ? t.scope.split(' ').filter(Boolean) : [...requested],
    };
  }

  /** A public client names itself with `client_id` in every request (RFC 6749 §2.3, §3.2.1). */
  private async post(url: string, form: Record<string, string>): Promise<Response> {
    try {
      return await this.fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      throw new AppError('cloud_error', `The cloud could not be reached to sign in (${err instanceof Error ? err.message : String(err)}). Check the connection and try again.`);
    }
  }
}
