/**
 * Turns every way a key check can fail into what the user reads in the wizard: a title, what happened, and
 * the AutoPrintFarm docs' solutions for that failure, made specific (the missing scope, when to retry, which
 * prefix this server expects). A cloud that cannot be reached is not a dead end: the app works offline.
 */
import { ApiKeyConfigError, CloudError, InsufficientPermissionsError, InvalidApiKeyError, NetworkError, RateLimitError, TimeoutError } from '../cloud/errors';
import { describeSeconds } from '../cloud/error-parser';
import type { SetupFailure } from '../contract/keys-types';
import { redactKeys, type KeyParseFailure } from '../keys/key-format';

type Step = SetupFailure['step'];

const PREFIX_SOLUTION = 'Confirm the key prefix matches the environment: apf_live_ for production, apf_test_ for test mode, apf_dev_ for development.';

function failure(init: Partial<SetupFailure> & Pick<SetupFailure, 'kind' | 'step' | 'title' | 'message' | 'solutions'>): SetupFailure {
  return { retryAfterSeconds: null, missingScope: null, trimmed: false, ...init, message: redactKeys(init.message) };
}

export function fromParseFailure(parse: KeyParseFailure): SetupFailure {
  const solutions =
    parse.problem === 'inner_whitespace'
      ? ['Copy the key again in one piece, without spaces or line breaks.', 'Paste it into the field directly rather than through a document or chat that wraps lines.']
      : parse.problem === 'unknown_prefix'
        ? [PREFIX_SOLUTION, 'Check that you copied the AutoPrintFarm key and not one from another service.']
        : [
            'Verify the key is correct: copy it again from Settings → API Keys in your AutoPrintFarm dashboard.',
            'If the key was lost, create a new one; a key is shown only once.',
          ];
  return failure({
    kind: 'format',
    step: 'local',
    title: parse.problem === 'empty' ? 'Paste your API key' : 'This is not a valid AutoPrintFarm key',
    message: parse.message,
    solutions,
    trimmed: parse.trimmed,
  });
}

export function environmentMismatch(message: string, baseUrl: string, trimmed: boolean): SetupFailure {
  return failure({
    kind: 'environment_mismatch',
    step: 'local',
    title: 'The key is for another environment',
    message,
    solutions: [PREFIX_SOLUTION, `If you meant to use another server than ${baseUrl}, change it under "Advanced: server address".`],
    trimmed,
  });
}

export function badBaseUrl(message: string): SetupFailure {
  return failure({
    kind: 'bad_base_url',
    step: 'local',
    title: 'The server address cannot be used',
    message,
    solutions: ['Correct the address under "Advanced: server address", or clear it to use the default for your key.'],
  });
}

export function noEnvironmentKey(problems: string[]): SetupFailure {
  return failure({
    kind: 'no_environment_key',
    step: 'local',
    title: 'No usable key in the environment',
    message: problems[0] ?? 'AUTOPRINTFARM_API_KEY is not set, so there is nothing to import.',
    solutions: ['Paste the key instead.', 'Or set AUTOPRINTFARM_API_KEY (in the environment or a .env file) and restart the app.'],
  });
}

/** A failed cloud call during the wizard; `step` says which request it was. */
export function fromCloudError(err: unknown, step: Step, ctx: { baseUrl: string; trimmed: boolean }): SetupFailure {
  const { trimmed } = ctx;
  if (err instanceof ApiKeyConfigError) {
    return err.problem === 'bad_base_url' ? badBaseUrl(err.message) : environmentMismatch(err.message, ctx.baseUrl, trimmed);
  }
  if (err instanceof InvalidApiKeyError) {
    return failure({
      kind: 'invalid_key',
      step,
      title: 'AutoPrintFarm did not accept this key',
      message: err.message,
      solutions: [
        'Verify the key is correct: copy it again from Settings → API Keys in your dashboard.',
        trimmed
          ? 'Check for extra whitespace: the app already removed spaces around the key, so look for a missing or extra character.'
          : 'Check for extra whitespace or a character missing at either end.',
        'Ensure the key has not been revoked (or rolled more than 24 hours ago); if it was, create a new one.',
        `${PREFIX_SOLUTION} This app is talking to ${ctx.baseUrl}.`,
      ],
      trimmed,
    });
  }
  if (err instanceof InsufficientPermissionsError) {
    const scope = err.missingScope;
    return failure({
      kind: 'insufficient_permissions',
      step,
      title: scope === null ? 'The key is missing a permission' : `The key is missing the "${scope}" permission`,
      message: err.message,
      solutions: [
        "Check the key's scopes under Settings → API Keys in your dashboard.",
        scope === null ? 'Create a new key with the permissions the app needs.' : `Create a new key that includes ${scope}.`,
        'Or ask an admin of your AutoPrintFarm organization to grant it.',
      ],
      missingScope: scope,
      trimmed,
    });
  }
  if (err instanceof RateLimitError) {
    const wait = err.retryAfterSeconds;
    return failure({
      kind: 'rate_limited',
      step,
      title: 'Too many requests with this key',
      message: err.message,
      solutions: [
        wait === null ? 'Wait a while, then check the key again.' : `Wait ${describeSeconds(wait)}, then check the key again.`,
        'If another program uses the same key, give each program its own key: the limit counts per key.',
        'You can skip setup now and use the app offline; your printers and jobs on this computer do not need the cloud.',
      ],
      retryAfterSeconds: wait,
      trimmed,
    });
  }
  if (err instanceof NetworkError || err instanceof TimeoutError) {
    return failure({
      kind: 'offline',
      step,
      title: 'The AutoPrintFarm cloud cannot be reached',
      message: err.message,
      solutions: [
        'Check the internet connection, then check the key again.',
        `Check the server address (${ctx.baseUrl}) under "Advanced: server address".`,
        'Or skip for now: the app keeps working locally (printers, jobs, library) and you can run setup again from Settings.',
      ],
      trimmed,
    });
  }
  if (err instanceof CloudError) {
    return failure({
      kind: 'server',
      step,
      title: 'AutoPrintFarm could not check the key',
      message: err.message,
      solutions: ['Try again in a moment.', 'If it keeps failing, skip for now; the app works offline and you can run setup again later.'],
      retryAfterSeconds: 'retryAfterSeconds' in err && typeof err.retryAfterSeconds === 'number' ? err.retryAfterSeconds : null,
      trimmed,
    });
  }
  return failure({
    kind: 'unexpected',
    step,
    title: 'The key could not be checked',
    message: 'Something went wrong inside the app while checking the key. The details are in the log.',
    solutions: ['Try again.', 'Or skip for now; the app works offline.'],
    trimmed,
  });
}
