/**
 * What the renderer sees of the cloud account and its API keys. Nothing here ever carries a full key, except
 * `CreatedKeyResult.secret`: the show-once value of a key the user just created or rolled for another use.
 * No imports: the renderer type-checks this file without Node types.
 */

export type KeyEnvironmentName = 'live' | 'test' | 'dev';

/**
 * Where the app's own key stands (mirrors the core's vault status; masks only). `plaintext`: saved unencrypted
 * because there is no keyring and the user chose it for this key; the UI shows it with a warning. `canStoreWeakly`
 * and `allowWeakStorage` (older names) are about that choice: "weakly" means in plaintext.
 */
export type AppKeyState =
  | { state: 'none' }
  | { state: 'stored'; mask: string; environment: KeyEnvironmentName; protection: 'encrypted' | 'plaintext'; backend: string }
  | {
      state: 'session-only';
      mask: string;
      environment: KeyEnvironmentName;
      reason: 'no_secret_box' | 'encryption_unavailable' | 'weak_backend' | 'encryption_failed' | 'session_requested' | 'from_environment';
      backend: string;
      message: string;
      canStoreWeakly: boolean;
    }
  | { state: 'needs-reentry'; reason: 'undecryptable' | 'corrupt' | 'unreadable_here'; message: string };

/** What the last successful check said about the app's key (kept in settings; no secret in it). */
export interface CloudAccountInfo {
  mask: string;
  keyId: string;
  keyName: string;
  organization: string;
  scopes: string[];
  checkedAt: string;
}

export interface CloudStatus {
  key: AppKeyState;
  /** Known only for the key in use, after a check; null before. */
  account: CloudAccountInfo | null;
  baseUrl: string;
  baseUrlSource: 'wizard' | 'environment' | 'default';
  /** AUTOPRINTFARM_API_KEY found at start (environment or .env file), offered for import. */
  environmentKey: { mask: string; source: 'environment' | 'env_file'; inUse: boolean } | null;
  setup: 'pending' | 'completed' | 'skipped';
  /** True when the app should open the setup wizard on start (no key and setup never completed or skipped). */
  offerSetup: boolean;
  /** An admin key held for this session only (Keys screen), never stored. */
  adminSession: { mask: string; keyName: string } | null;
  /** Things in the environment that were ignored, ready to show. */
  problems: string[];
}

// ---- Setup wizard ------------------------------------------------------------------------------------

export type SetupFailureKind =
  'format' | 'environment_mismatch' | 'bad_base_url' | 'no_environment_key' | 'invalid_key' | 'insufficient_permissions' | 'rate_limited' | 'offline' | 'server' | 'unexpected';

export interface SetupFailure {
  kind: SetupFailureKind;
  /** The step that failed: local checks, GET /auth/test, GET /api-keys/current. */
  step: 'local' | 'auth_test' | 'scopes';
  title: string;
  message: string;
  /** What the user can do, from the AutoPrintFarm docs' "Solutions". */
  solutions: string[];
  retryAfterSeconds: number | null;
  missingScope: string | null;
  /** Spaces around the pasted key were removed before the checks. */
  trimmed: boolean;
}

export interface KeyReview {
  source: 'pasted' | 'environment';
  mask: string;
  environment: KeyEnvironmentName;
  /** Set when whitespace around the pasted key was removed. */
  trimmedNotice: string | null;
  organization: string;
  keyId: string;
  keyName: string;
  scopes: string[];
  can: string[];
  cannot: string[];
  warnings: string[];
  baseUrl: string;
  /** `canStoreWeakly`: the user may choose to save the key in plaintext instead (no keyring here). */
  storage: { secure: boolean; backend: string; message: string | null; canStoreWeakly: boolean };
}

export type SetupCheckResult = { ok: true; review: KeyReview } | { ok: false; failure: SetupFailure };

export interface SetupSaveResult {
  status: CloudStatus;
  outcome: 'encrypted' | 'plaintext' | 'session-only';
  message: string;
}

// ---- Key administration ------------------------------------------------------------------------------

export interface ManagedKey {
  id: string;
  name: string;
  scopes: string[];
  /** `apf_live_…9f2c` when the server told prefix and last 4, else null. */
  mask: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  requestCount: number | null;
  /** Set while a rolled key is in its 24-hour overlap. */
  expiresAt: string | null;
  ageDays: number;
  isAppKey: boolean;
  isAdminSessionKey: boolean;
  /** Not used for 30 days or more (never used and created 30+ days ago counts too). */
  unused: boolean;
  /** 90 days or older: time to rotate. */
  rotationDue: boolean;
}

export type AdminAccess =
  { ok: true; via: 'app_key' | 'session_key'; mask: string; organization: string | null } | { ok: false; reason: 'no_key' | 'not_admin'; message: string; appKeyScopes: string[] };

export interface KeyListResult {
  keys: ManagedKey[];
  via: 'app_key' | 'session_key';
}

export interface CreatedKeyResult {
  key: ManagedKey;
  /** The full new key, to show ONCE; null when the app took it over itself (its own key was rolled). */
  secret: string | null;
  /** The app now uses this key (its own key was rolled or replaced). */
  storedByApp: boolean;
  message: string;
}

export interface RevokeResult {
  revokedId: string;
  /** When the app's own key was revoked with a replacement: the key it uses now. */
  replacement: ManagedKey | null;
  message: string;
}

// ---- Scopes, in plain language -----------------------------------------------------------------------

export const KNOWN_SCOPES = [
  'printers:read',
  'printers:write',
  'jobs:read',
  'jobs:write',
  'analytics:read',
  'webhooks:write',
  'materials:read',
  'materials:write',
  'admin:*',
] as const;
export type KnownScope = (typeof KNOWN_SCOPES)[number];

export const SCOPE_INFO: Readonly<Record<KnownScope, { label: string; allows: string; without: string }>> = {
  'printers:read': {
    label: 'View printers',
    allows: 'See your cloud printers, their status, temperatures and progress.',
    without: 'See printers in the cloud (printers:read).',
  },
  'printers:write': {
    label: 'Control printers',
    allows: 'Pause, resume, cancel, home and cool down printers; add, change and remove them.',
    without: 'Control or change printers (printers:write).',
  },
  'jobs:read': {
    label: 'View jobs',
    allows: 'See print jobs and their history.',
    without: 'See print jobs (jobs:read).',
  },
  'jobs:write': {
    label: 'Submit and manage jobs',
    allows: 'Submit new print jobs, report their progress and cancel them.',
    without: 'Submit, update or cancel jobs (jobs:write).',
  },
  'analytics:read': {
    label: 'Read analytics',
    allows: 'Read farm analytics such as usage and success rates.',
    without: 'Read analytics (analytics:read).',
  },
  'webhooks:write': {
    label: 'Manage webhooks',
    allows: 'Create and change webhooks, the addresses the cloud notifies.',
    without: 'Manage webhooks (webhooks:write).',
  },
  'materials:read': {
    label: 'View materials',
    allows: "See the cloud's filament inventory: spools edited in the cloud come to this app's Spools screen.",
    without: "See the cloud's filament inventory (materials:read); spools stay on this computer.",
  },
  'materials:write': {
    label: 'Change materials',
    allows: "Add, change and remove the cloud's filament records: spools added or edited here go to the cloud.",
    without: "Change the cloud's filament records (materials:write); spools stay on this computer.",
  },
  'admin:*': {
    label: 'Full admin access',
    allows: 'Everything above, plus creating, rolling and revoking API keys for your whole organization.',
    without: 'Manage API keys (admin:*). The Keys screen asks for an admin key when you need one.',
  },
};

export interface KeyPreset {
  id: 'monitor' | 'submitter' | 'operator' | 'admin';
  label: string;
  description: string;
  scopes: KnownScope[];
}

/** Least-privilege starting points for a new key; the user can still tick scopes one by one. */
export const KEY_PRESETS: readonly KeyPreset[] = [
  {
    id: 'monitor',
    label: 'Read-only monitor',
    description: 'Dashboards and wall displays: sees printers and jobs, changes nothing.',
    scopes: ['printers:read', 'jobs:read', 'analytics:read'],
  },
  { id: 'submitter', label: 'Job submitter', description: 'A service that sends print jobs and checks which printers exist.', scopes: ['jobs:write', 'printers:read'] },
  {
    id: 'operator',
    label: 'Farm operator',
    description: 'Runs the farm: controls printers, manages jobs and keeps spools in step with the cloud, but cannot manage keys.',
    scopes: ['printers:read', 'printers:write', 'jobs:read', 'jobs:write', 'analytics:read', 'materials:read', 'materials:write'],
  },
  { id: 'admin', label: 'Admin', description: 'Full access, including API keys. Keep it off machines that do not need it.', scopes: ['admin:*'] },
];

export const KEY_ROLL_OVERLAP_HOURS = 24;
export const KEY_UNUSED_DAYS = 30;
export const KEY_ROTATION_DAYS = 90;
