import { z } from 'zod';
import { AppError } from '../errors';

/** What the app needs of the authorization server's metadata (RFC 8414). */
const MetadataSchema = z.object({
  issuer: z.string().url(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  revocation_endpoint: z.string().url().optional(),
  device_authorization_endpoint: z.string().url().optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
  scopes_supported: z.array(z.string()).optional(),
});

export type AuthServerMetadata = z.infer<typeof MetadataSchema>;

/** The one public client this app is (oauth.md): it holds no secret. */
export const CLIENT_ID = 'autoprintfarm-desktop';

/**
 * Reads the cloud's authorization server metadata from the API's origin (`https://host/v1` →
 * `https://host/.well-known/oauth-authorization-server`), and refuses a server whose issuer is another origin
 * (RFC 8414 §3.3: a metadata document that names someone else is not trusted) or that does not offer S256.
 */
export async function fetchMetadata(apiBaseUrl: string, fetchFn: typeof fetch = fetch): Promise<AuthServerMetadata> {
  const origin = new URL(apiBaseUrl).origin;
  const where = `${origin}/.well-known/oauth-authorization-server`;
  let res: Response;
  try {
    res = await fetchFn(where, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    throw new AppError(
      'cloud_error',
      `The cloud at ${origin} could not be reached to sign in (${err instanceof Error ? err.message : String(err)}). Check the connection and try again.`,
    );
  }
  if (!res.ok) throw new AppError('cloud_error', `The cloud at ${origin} does not offer "Sign in with AutoPrintFarm" (HTTP ${res.status}). Use an API key instead.`);
  const parsed = MetadataSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new AppError('cloud_error', `The cloud at ${origin} answered with sign-in settings the app cannot read.`);
  const meta = parsed.data;
  if (new URL(meta.issuer).origin !== origin)
    throw new AppError('cloud_error', `The sign-in settings at ${origin} name another server (${meta.issuer}); the app does not trust them.`);
  if (meta.code_challenge_methods_supported && !meta.code_challenge_methods_supported.includes('S256')) {
    throw new AppError('cloud_error', 'The cloud does not support PKCE with S256, which the app requires to sign in safely.');
  }
  return meta;
}
