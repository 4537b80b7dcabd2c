import { CAPABILITIES } from '../../core/contract';
import { intFlag, parseArgs, UsageError, type CommandIo } from '../args';
import { readSecret, refuseSecretFlags, type SecretSource } from '../secret-input';
import { openCliCore } from './lan-core';

export const PRINTER_ADD_USAGE = `Usage: apf printer add --kind octoprint|moonraker|prusalink|bambu --url ADDRESS [options] [--data DIR]
  Saves a network printer. The key or access code goes to the credential store, never into the printer list.
  The key or access code is never a flag value (anyone on this computer could read it with ps): give it with
  --key-file / --access-code-file, or in $APF_PRINTER_SECRET, or type it when asked (on a terminal, not echoed).
  --kind K          octoprint, moonraker, prusalink or bambu
  --url ADDRESS     http://host[:port] (Bambu: the printer's IP address)
  --name NAME       how the printer is shown (default: the kind)
  --key-file FILE   file holding the OctoPrint/Moonraker API key, or the PrusaLink password (or API key with
                    --auth apikey); - reads it from standard input. The file must be private (chmod 600).
  --auth digest|apikey   PrusaLink sign-in (default digest)
  --username USER   PrusaLink digest user name (default maker)
  --serial SERIAL   Bambu serial number
  --access-code-file FILE   file holding the Bambu LAN access code (- for standard input; chmod 600)
  --mqtt-port N, --ftp-port N   Bambu ports when not 8883 / 990
  --trust-certificate SHA256   the Bambu printer's certificate fingerprint, checked by you, when Bambu's CA did
                    not sign it (the check prints it); the printer is then reached with that certificate only
  --store-plaintext   this computer has no keyring (apf never has one), so the key can only be saved unencrypted,
                    in plaintext in the data folder's settings file (private to you, 0600). Without this flag
                    it is not saved, so a key or access code is refused.
  --no-check        save without connecting first (by default the printer must answer, and accept the key)
  APF_PRINTER_SECRET   the key or access code, when no file is given
  --data DIR        data folder (default: the desktop app's folder, or $APF_DATA_DIR)`;

const KINDS = ['octoprint', 'moonraker', 'prusalink', 'bambu'] as const;

export const PRINTER_SECRET_ENV = 'APF_PRINTER_SECRET';
const KEY_SOURCE: SecretSource = { flag: 'key', fileFlag: 'key-file', envVar: PRINTER_SECRET_ENV, what: 'API key or password' };
const CODE_SOURCE: SecretSource = { flag: 'access-code', fileFlag: 'access-code-file', envVar: PRINTER_SECRET_ENV, what: 'access code' };
const WHAT = { octoprint: 'API key', moonraker: 'API key', prusalink: 'password', bambu: 'access code' } as const;
const LABEL = { octoprint: 'OctoPrint', moonraker: 'Klipper', prusalink: 'Prusa', bambu: 'Bambu' } as const;

export async function printerCommand(args: string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || (sub === 'add' && rest.includes('--help'))) {
    io.stdout(PRINTER_ADD_USAGE);
    return 0;
  }
  if (sub !== 'add') throw new UsageError(`Unknown subcommand ${sub ?? '(none)'}; use apf printer add.`);
  refuseSecretFlags(rest, [KEY_SOURCE, CODE_SOURCE]);
  const parsed = parseArgs(rest, {
    kind: 'string',
    url: 'string',
    name: 'string',
    'key-file': 'string',
    auth: 'string',
    username: 'string',
    serial: 'string',
    'access-code-file': 'string',
    'mqtt-port': 'string',
    'ftp-port': 'string',
    'trust-certificate': 'string',
    'store-plaintext': 'boolean',
    'store-weakly': 'boolean',
    'no-check': 'boolean',
    data: 'string',
  });
  if (parsed.positionals.length) throw new UsageError(`Unexpected argument ${parsed.positionals[0]}.`);
  const kind = parsed.values.kind as (typeof KINDS)[number] | undefined;
  if (!kind || !KINDS.includes(kind)) throw new UsageError('--kind must be octoprint, moonraker, prusalink or bambu.');
  const url = parsed.values.url;
  if (!url) throw new UsageError("--url is required: the printer's address.");
  const name = parsed.values.name ?? LABEL[kind];
  if (kind === 'bambu' && !parsed.values.serial) throw new UsageError('--serial is required for a Bambu printer.');
  if (kind === 'bambu' && parsed.values['key-file'] !== undefined) throw new UsageError('A Bambu printer takes its access code: use --access-code-file.');
  if (kind !== 'bambu' && parsed.values['access-code-file'] !== undefined) throw new UsageError('--access-code-file is for a Bambu printer; use --key-file.');
  const required = kind === 'bambu' || kind === 'prusalink';
  const source = kind === 'bambu' ? CODE_SOURCE : { ...KEY_SOURCE, what: WHAT[kind] };
  const file = kind === 'bambu' ? parsed.values['access-code-file'] : parsed.values['key-file'];
  const env = io.env ?? process.env;
  if (parsed.values['store-weakly']) {
    throw new UsageError(
      '--store-weakly is now --store-plaintext: without a keyring the key is saved unencrypted, and the new name says so. Add --store-plaintext if that is what you want.',
    );
  }
  const plaintext = parsed.values['store-plaintext'] === true;
  if (!plaintext && (required || file !== undefined || (env[PRINTER_SECRET_ENV] ?? '').trim() !== '')) {
    // This command ends at once, so a key kept in memory only would be lost immediately. Said before asking for it.
    io.stderr(
      "apf printer add: apf has no keyring to encrypt the printer's key with, so it can only be saved in plaintext (unencrypted) in the data " +
        "folder's settings file; kept in memory instead, it would be lost as soon as this command ends.",
    );
    io.stderr('Re-run with --store-plaintext to save it unencrypted in the settings file anyway, or add the printer from the desktop app, which uses the system keyring.');
    return 2;
  }
  // Without consent to store it there is nowhere to keep a key, so none is asked for.
  const secret = plaintext ? await readSecret(source, { file, env, terminal: io.terminal ?? null, required }) : null;
  if (required && !secret) {
    throw new UsageError(
      kind === 'bambu'
        ? `A Bambu printer needs its access code: give it with --access-code-file FILE (- for standard input) or in ${PRINTER_SECRET_ENV}, or run this on a terminal to be asked.`
        : `A PrusaLink printer needs its password (or API key): give it with --key-file FILE (- for standard input) or in ${PRINTER_SECRET_ENV}, or run this on a terminal to be asked.`,
    );
  }
  const input: Record<string, unknown> = { kind, name, ...(secret ? { secret, storePlaintext: true } : {}) };
  if (kind === 'bambu') {
    Object.assign(input, { host: url, serial: parsed.values.serial });
    const mqttPort = intFlag(parsed.values['mqtt-port'], 'mqtt-port', 1, 65535);
    const ftpPort = intFlag(parsed.values['ftp-port'], 'ftp-port', 1, 65535);
    if (mqttPort) input.mqttPort = mqttPort;
    if (ftpPort) input.ftpPort = ftpPort;
    if (parsed.values['trust-certificate']) input.certificateSha256 = parsed.values['trust-certificate'];
  } else {
    if (parsed.values['trust-certificate']) throw new UsageError('--trust-certificate is for Bambu printers only.');
    input.url = url;
    const auth = parsed.values.auth;
    if (auth !== undefined) {
      if (kind !== 'prusalink' || (auth !== 'digest' && auth !== 'apikey')) throw new UsageError('--auth is digest or apikey, for PrusaLink only.');
      input.auth = auth;
    }
    const username = parsed.values.username;
    if (username !== undefined) {
      if (kind !== 'prusalink' || input.auth === 'apikey') throw new UsageError('--username is the PrusaLink digest user name, for --kind prusalink with password sign-in.');
      input.username = username;
    }
  }

  const { core, close } = openCliCore(parsed.values.data, io);
  try {
    const all = { capabilities: new Set(CAPABILITIES) };
    if (!parsed.values['no-check']) {
      // Connect once before saving, so a wrong address or key is found now, not by the queue later.
      const checked = await core.dispatch('printers.check', input, all);
      if (!checked.ok) {
        io.stderr(`apf printer add: ${checked.error.message}`);
        const certificate = (checked.error.details as { certificate?: { problem: string; sha256: string } } | undefined)?.certificate;
        if (certificate && certificate.problem !== 'wrong-printer') {
          io.stderr(`Its certificate's SHA-256 fingerprint is ${certificate.sha256}.`);
          io.stderr('If this is your printer, run the same command again with --trust-certificate and that fingerprint.');
        }
        io.stderr('Nothing was saved. Fix the address or key and try again, or add --no-check to save it anyway.');
        return checked.error.code === 'invalid_input' ? 2 : 1;
      }
      const answer = checked.result as { software: string | null; state: string };
      io.stdout(`${answer.software ?? name} answered (${answer.state}).`);
    }
    const out = await core.dispatch('printers.add', input, all);
    if (!out.ok) {
      io.stderr(`apf printer add: ${out.error.message}`);
      return out.error.code === 'invalid_input' ? 2 : 1;
    }
    const { printer, credential } = out.result as { printer: { id: string; name: string }; credential: { protection: string } };
    const label = credential.protection === 'plaintext' ? ' Its key is stored in plaintext (unencrypted) in the settings file, as you chose.' : '';
    io.stdout(`Added ${printer.name} (${printer.id}).${label}`);
    return 0;
  } finally {
    await close();
  }
}
