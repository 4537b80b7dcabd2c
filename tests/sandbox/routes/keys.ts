import { z } from 'zod';
import { ApiError, invalidState, notFound } from '../http-io';
import type { KeyRecord, KeyStore } from '../keys';
import type { FixedWindowLimiter } from '../rate-limit';
import type { Route } from '../router';
import { firstUnheldScope, GRANTABLE_SCOPES, isGrantableScope, suggestScope } from '../scopes';
import { iso, isoOrNull, parseBody } from '../validation';

/** The shape of `GET /api-keys/current` (seed). */
function currentJson(k: KeyRecord) {
  return { id: k.id, name: k.name, scopes: k.scopes, created_at: iso(k.createdAt), last_used_at: isoOrNull(k.lastUsedAt) };
}

/** A key in lists and create/roll answers: the seed fields plus our display and usage fields. */
export function keyJson(k: KeyRecord) {
  return {
    ...currentJson(k),
    prefix: k.prefix,
    last4: k.last4,
    request_count: k.requestCount,
    expires_at: isoOrNull(k.expiresAt),
  };
}

const scopeSchema = z.string().refine(isGrantableScope, {
  error: (issue) => {
    const hint = typeof issue.input === 'string' ? suggestScope(issue.input) : null;
    return hint
      ? `unknown scope ${JSON.stringify(issue.input)}; scopes are case-sensitive, did you mean "${hint}"?`
      : `unknown scope ${JSON.stringify(issue.input)}; known scopes: ${GRANTABLE_SCOPES.join(', ')}`;
  },
});

const createKeySchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  scopes: z
    .array(scopeSchema)
    .min(1, 'list at least one scope')
    .max(GRANTABLE_SCOPES.length * 4),
});

export function keyRoutes(deps: {
  keys: KeyStore;
  limiter: FixedWindowLimiter;
  organization: string;
  /** A key was deleted: whatever it holds open (hub sockets) ends now. */
  onKeyDeleted?: (keyId: string) => void;
  /** For a caller with an OAuth access token: its grant, shown by `/api-keys/current` in a key's shape. */
  grantInfo?: (grantId: string) => { name: string; createdAt: number; lastUsedAt: number | null } | null;
}): Route[] {
  const { keys, limiter, organization } = deps;
  return [
    {
      method: 'GET',
      path: '/auth/test',
      scope: null,
      handle: ({ caller }) => ({
        status: 200,
        body: { authenticated: true, key_id: caller.id, organization: caller.organization ?? organization },
      }),
    },
    {
      method: 'GET',
      path: '/api-keys/current',
      scope: null,
      handle: ({ caller }) => {
        if (caller.oauth) {
          const grant = deps.grantInfo?.(caller.id);
          if (!grant) throw new ApiError(404, 'not_found', 'This sign-in no longer exists.');
          // The token's own scopes (a refresh may have narrowed them below the grant's).
          return { status: 200, body: { id: caller.id, name: grant.name, scopes: caller.scopes, created_at: iso(grant.createdAt), last_used_at: isoOrNull(grant.lastUsedAt) } };
        }
        const record = keys.get(caller.id);
        // Deleted between authentication and here (a concurrent DELETE): it is no longer a valid key.
        if (!record) throw new ApiError(404, 'not_found', 'This API key no longer exists.');
        return { status: 200, body: currentJson(record) };
      },
    },
    {
      method: 'GET',
      path: '/api-keys',
      scope: 'admin:*',
      handle: () => ({ status: 200, body: { keys: keys.list().map(keyJson) } }),
    },
    {
      method: 'POST',
      path: '/api-keys',
      scope: 'admin:*',
      handle: async ({ caller, readJson }) => {
        const body = parseBody(createKeySchema, await readJson());
        const scopes = [...new Set(body.scopes)];
        const unheld = firstUnheldScope(caller.scopes, scopes);
        if (unheld !== null) {
          throw new ApiError(403, 'insufficient_permissions', `This API key lacks the required scope: ${unheld}`);
        }
        const prefix = keys.get(caller.id)?.prefix ?? 'apf_dev_';
        const minted = keys.mint({ name: body.name, scopes, prefix, organization: caller.organization });
        return { status: 201, body: { ...keyJson(minted.record), key: minted.key } };
      },
    },
    {
      method: 'DELETE',
      path: '/api-keys/:id',
      scope: 'admin:*',
      handle: ({ params }) => {
        const id = params.id!;
        if (!keys.delete(id)) throw notFound(`No API key with id ${id}.`);
        limiter.forget(id);
        deps.onKeyDeleted?.(id);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/api-keys/:id/roll',
      scope: 'admin:*',
      handle: ({ params }) => {
        const id = params.id!;
        const result = keys.roll(id);
        if (result.kind === 'not_found') throw notFound(`No API key with id ${id}.`);
        if (result.kind === 'already_rolled') {
          throw invalidState(`API key ${id} was already rolled; roll its successor instead, or delete it.`);
        }
        return { status: 201, body: { ...keyJson(result.minted.record), key: result.minted.key } };
      },
    },
  ];
}
