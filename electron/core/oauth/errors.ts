import { AppError } from '../errors';

/** An RFC 6749 §5.2 error from the authorization server, in words a user can act on. */
export class OAuthError extends AppError {
  constructor(
    readonly oauthCode: string,
    message: string,
  ) {
    super('cloud_error', message);
  }
}

const WORDS: Record<string, string> = {
  access_denied: 'The sign-in was declined in the browser.',
  invalid_grant: 'The sign-in has expired or was already used. Sign in again.',
  expired_token: 'The code was not entered in time. Start the sign-in again.',
  invalid_scope: 'The app asked for permissions the account cannot grant.',
  invalid_client: 'The cloud does not know this app as a sign-in client. Check the cloud address.',
  unsupported_grant_type: 'The cloud does not offer this way of signing in.',
  invalid_request: 'The cloud refused the sign-in request.',
};

export function oauthErrorFrom(body: unknown, status: number): OAuthError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; error_description?: unknown };
  const code = typeof b.error === 'string' ? b.error.slice(0, 60) : `http_${status}`;
  const said = typeof b.error_description === 'string' ? b.error_description.slice(0, 300) : '';
  const words = WORDS[code] ?? `The cloud refused the sign-in (${code}).`;
  return new OAuthError(code, said && !words.includes(said) ? `${words} (${said})` : words);
}
