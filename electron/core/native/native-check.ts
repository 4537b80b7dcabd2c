/**
 * Checks that the native modules load before anything depends on them, and turns a failure into words a
 * user can act on: which module, why (built for another runtime, missing, built for another machine) and
 * what to do. A native module that fails later, inside the store or the serial code, would only surface as
 * an unexplained crash or a silent exit.
 */

export interface NativeModuleProbe {
  /** The npm package the user would recognise, e.g. `better-sqlite3`. */
  module: string;
  /** The compiled file this runtime loads, when the host knows it (shown to the user); null: the package's own lookup. */
  binary: string | null;
  /** Loads the addon for real (dlopen); throws what Node throws. */
  load(): void;
  /** What the user should do when it fails, in this host (a command in development, reinstalling a package). */
  fix: string;
}

export type NativeFailureKind = 'abi-mismatch' | 'missing' | 'wrong-machine' | 'damaged' | 'other';

export interface NativeModuleFailure {
  module: string;
  kind: NativeFailureKind;
  /** One sentence on why it did not load. */
  cause: string;
  fix: string;
  /** The first line of the runtime's own error, for a bug report. */
  detail: string;
}

const ABI = /NODE_MODULE_VERSION (\d+)[\s\S]*?requires\s+NODE_MODULE_VERSION (\d+)/;
const MISSING = /Cannot find module|Could not locate the bindings file|No native build was found|ENOENT|No such file or directory|cannot open shared object file/i;
const WRONG_MACHINE = /wrong ELF class|invalid ELF header|incompatible architecture|not a valid Win32 application|mach-o file, but is an incompatible/i;
const DAMAGED = /file too short|truncated|not a mach-o file/i;

export function explainNativeFailure(probe: Pick<NativeModuleProbe, 'module' | 'binary' | 'fix'>, error: unknown): NativeModuleFailure {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const detail = (message.split('\n').find((l) => l.trim() !== '') ?? message).trim().slice(0, 300);
  const file = probe.binary ? ` (${probe.binary})` : '';
  const base = { module: probe.module, fix: probe.fix, detail };

  const abi = ABI.exec(message);
  if (abi) {
    return {
      ...base,
      kind: 'abi-mismatch',
      cause: `Its compiled file${file} was built for a different runtime (NODE_MODULE_VERSION ${abi[1]}; this one needs ${abi[2]}).`,
    };
  }
  if (code === 'MODULE_NOT_FOUND' || MISSING.test(message)) {
    return { ...base, kind: 'missing', cause: `Its compiled file${file} is missing.` };
  }
  if (WRONG_MACHINE.test(message)) {
    return { ...base, kind: 'wrong-machine', cause: `Its compiled file${file} was built for another processor or operating system.` };
  }
  if (DAMAGED.test(message)) {
    return { ...base, kind: 'damaged', cause: `Its compiled file${file} is damaged (cut short or not a library at all).` };
  }
  return { ...base, kind: 'other', cause: `It failed to load: ${detail}` };
}

/** Loads every probe; returns one failure per module that did not load (empty: all good). */
export function checkNativeModules(probes: readonly NativeModuleProbe[]): NativeModuleFailure[] {
  const failures: NativeModuleFailure[] = [];
  for (const probe of probes) {
    try {
      probe.load();
    } catch (err) {
      failures.push(explainNativeFailure(probe, err));
    }
  }
  return failures;
}

/** The title and text of the dialog that replaces a crash. */
export function describeNativeFailures(failures: readonly NativeModuleFailure[]): { title: string; message: string } {
  const names = failures.map((f) => f.module).join(' and ');
  const blocks = failures.map((f) => [`${f.module}: ${f.cause}`, `Fix: ${f.fix}`, `(${f.detail})`].join('\n'));
  return {
    title: `AutoPrintFarm cannot start: ${names} did not load`,
    message: blocks.join('\n\n'),
  };
}
