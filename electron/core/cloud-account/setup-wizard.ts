/**
 * The setup wizard's state machine: enter a key → local checks → GET /auth/test → GET /api-keys/current →
 * review → save → done. The key being checked stays here, in the core; the UI only ever gets the review
 * (mask, organization, scopes in plain language) or a failure with the docs' solutions.
 */
import { AppError } from '../errors';
import type { CloudAccountInfo, KeyReview, SetupCheckResult, SetupFailure, SetupSaveResult } from '../contract/keys-types';
import { checkBaseUrl, checkKeyFitsTarget, parseApiKey, TRIMMED_NOTICE, type ParsedKey } from '../keys/key-format';
import type { CloudAccount } from './account';
import { reviewScopes } from './scopes';
import { badBaseUrl, environmentMismatch, fromCloudError, fromParseFailure, noEnvironmentKey } from './setup-failure';

export type WizardState =
  | { step: 'enter'; failure: SetupFailure | null }
  | { step: 'checking' }
  | { step: 'review'; review: KeyReview }
  | { step: 'saving'; review: KeyReview }
  | { step: 'done'; result: SetupSaveResult };

export interface CheckInput {
  key?: string | undefined;
  useEnvironmentKey?: boolean | undefined;
  /** Advanced: another server. '' goes back to the default; undefined keeps the current choice. */
  baseUrl?: string | undefined;
}

export interface SetupWizard {
  state(): WizardState;
  check(input: CheckInput): Promise<SetupCheckResult>;
  save(opts?: { storeWeakly?: boolean | undefined }): Promise<SetupSaveResult>;
  /** Drops the key being checked and starts over. */
  cancel(): void;
  onState(listener: (state: WizardState) => void): () => void;
}

interface Pending {
  key: ParsedKey;
  source: KeyReview['source'];
  baseUrlOverride: string | null | undefined;
  info: CloudAccountInfo;
  review: KeyReview;
}

export function createSetupWizard(account: CloudAccount): SetupWizard {
  let state: WizardState = { step: 'enter', failure: null };
  let pending: Pending | null = null;
  // Each check gets a number; an older check that finishes late must not overwrite a newer one.
  let generation = 0;
  const listeners = new Set<(s: WizardState) => void>();

  const go = (next: WizardState) => {
    state = next;
    for (const l of listeners) l(next);
  };
  const fail = (failure: SetupFailure): SetupCheckResult => {
    go({ step: 'enter', failure });
    return { ok: false, failure };
  };

  async function check(input: CheckInput): Promise<SetupCheckResult> {
    const mine = ++generation;
    pending = null;
    await account.ready;

    let raw: string;
    let source: KeyReview['source'];
    if (input.useEnvironmentKey === true) {
      const env = account.environmentKey();
      if (env === null) return fail(noEnvironmentKey(account.environmentProblems()));
      raw = env.key;
      source = 'environment';
    } else {
      raw = input.key ?? '';
      source = 'pasted';
    }

    const parsed = parseApiKey(raw);
    if (!parsed.ok) return fail(fromParseFailure(parsed));

    let baseUrl: string;
    let baseUrlOverride: string | null | undefined;
    const wanted = input.baseUrl?.trim();
    if (wanted === undefined) {
      baseUrl = account.baseUrlFor(parsed.environment);
    } else if (wanted === '') {
      baseUrl = account.baseUrlFor(parsed.environment, { ignoreSaved: true });
      baseUrlOverride = null;
    } else {
      const checked = checkBaseUrl(wanted);
      if (!checked.ok) return fail(badBaseUrl(checked.message));
      baseUrl = baseUrlOverride = checked.url;
    }

    const fits = checkKeyFitsTarget(parsed, { baseUrl });
    if (!fits.ok) return fail(environmentMismatch(fits.message, baseUrl, parsed.trimmed));

    go({ step: 'checking' });
    const client = account.clientFor(parsed, baseUrl);
    let step: SetupFailure['step'] = 'auth_test';
    try {
      const auth = await client.auth.test();
      step = 'scopes';
      const current = await client.apiKeys.current();
      if (mine !== generation) return { ok: false, failure: superseded(parsed.trimmed) };

      const storage = await storageView(source);
      const scopes = current.scopes;
      const verdict = reviewScopes(scopes, account.host);
      const review: KeyReview = {
        source,
        mask: parsed.mask,
        environment: parsed.environment,
        trimmedNotice: parsed.trimmed ? TRIMMED_NOTICE : null,
        organization: auth.organization,
        keyId: auth.key_id,
        keyName: current.name,
        scopes,
        ...verdict,
        baseUrl,
        storage,
      };
      const info: CloudAccountInfo = {
        mask: parsed.mask,
        keyId: auth.key_id,
        keyName: current.name,
        organization: auth.organization,
        scopes,
        checkedAt: new Date(account.now()).toISOString(),
      };
      pending = { key: parsed, source, baseUrlOverride, info, review };
      go({ step: 'review', review });
      return { ok: true, review };
    } catch (err) {
      if (mine !== generation) return { ok: false, failure: superseded(parsed.trimmed) };
      return fail(fromCloudError(err, step, { baseUrl, trimmed: parsed.trimmed }));
    }
  }

  async function storageView(source: KeyReview['source']): Promise<KeyReview['storage']> {
    if (source === 'environment') {
      return {
        secure: false,
        backend: 'environment',
        message: 'This key comes from AUTOPRINTFARM_API_KEY. The app uses it from there and does not save a copy.',
        canStoreWeakly: false,
      };
    }
    const assessed = await account.vault.assessStorage();
    return assessed.secure
      ? { secure: true, backend: assessed.backend, message: null, canStoreWeakly: false }
      : { secure: false, backend: assessed.backend, message: assessed.message, canStoreWeakly: true };
  }

  async function save(opts: { storeWeakly?: boolean | undefined } = {}): Promise<SetupSaveResult> {
    if (state.step !== 'review' || pending === null) {
      throw new AppError('conflict', 'There is no checked key to save. Paste the key and check it first.');
    }
    const p = pending;
    go({ step: 'saving', review: p.review });
    const vault = account.vault;
    try {
      if (p.source === 'environment') {
        await account.useEnvironmentKey();
      } else {
        const storeWeakly = opts.storeWeakly === true;
        // Consent is given per save: an earlier "store weakly" does not carry over to a new key silently.
        if (!storeWeakly && vault.weakStorageAllowed()) await vault.allowWeakStorage(false);
        const set = await vault.setKey(p.key.key);
        if (!set.ok) throw new AppError('invalid_input', set.error.message);
        if (storeWeakly && set.status.state === 'session-only' && set.status.canStoreWeakly) await vault.allowWeakStorage(true);
      }
    } catch (err) {
      go({ step: 'review', review: p.review });
      throw err;
    }
    if (p.baseUrlOverride !== undefined) account.setBaseUrlOverride(p.baseUrlOverride);
    account.recordAccount(p.info);
    account.markSetup('completed');
    pending = null;
    const result = saveResult(account);
    go({ step: 'done', result });
    return result;
  }

  return {
    state: () => state,
    check,
    save,
    cancel() {
      generation++;
      pending = null;
      go({ step: 'enter', failure: null });
    },
    onState(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

function superseded(trimmed: boolean): SetupFailure {
  return {
    kind: 'unexpected',
    step: 'local',
    title: 'Another check replaced this one',
    message: 'A newer key was entered while this one was being checked.',
    solutions: [],
    retryAfterSeconds: null,
    missingScope: null,
    trimmed,
  };
}

function saveResult(account: CloudAccount): SetupSaveResult {
  const status = account.status();
  const key = status.key;
  switch (key.state) {
    case 'stored':
      return key.protection === 'encrypted'
        ? { status, outcome: 'encrypted', message: `The key ${key.mask} is saved, encrypted by the system keychain (${key.backend}).` }
        : {
            status,
            outcome: 'plaintext',
            message:
              `The key ${key.mask} is saved in plaintext (unencrypted), as you chose: anyone who can read this app's settings ` +
              'file can use it. Install and unlock a keyring, then run setup again to store it safely.',
          };
    case 'session-only':
      return { status, outcome: 'session-only', message: key.message };
    default:
      throw new AppError('internal', 'The key could not be kept. Try again.');
  }
}
