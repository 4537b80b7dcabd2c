import type { PrinterView } from '../contract';
import type { MethodParsedInput } from '../contract/methods';
import { AddPrinterInput } from '../contract/methods/lan';

/** `configure_printer` as the cloud sends it (cloud-hub.md "Cloud → hub"). */
export interface ConfigureCommand {
  type: 'configure_printer';
  command_id: string;
  action: 'add' | 'remove' | 'update';
  printer: {
    /** The cloud's printer id: what later commands and statuses name it by. */
    id: string;
    serial_number?: string;
    access_code?: string;
    ip_address?: string;
    connection_type: string;
    /** (ours) The name the cloud shows; the hub falls back to the kind and address. */
    name?: string;
  };
}

export interface ConfigureCommandDeps {
  localPrinterOf(cloudPrinterId: string): string | null;
  /** A network printer already in the fleet at this address or serial, if any (the cloud adding one the user has). */
  existingPrinter(input: MethodParsedInput<'printers.add'>): PrinterView | null;
  /** The same add as the Add printer dialog: the secret goes to the credential store, never to a file or a log. */
  addPrinter(input: MethodParsedInput<'printers.add'>): Promise<PrinterView>;
  /** The same as entering a printer's key again: stored, the printer reconnects, the old one is forgotten. */
  replaceSecret(printerId: string, secret: string): Promise<void>;
  /** A changed address; refused while the printer prints. */
  moveTo(printerId: string, address: string): Promise<void>;
  removePrinter(printerId: string): Promise<void>;
  /** Publishes the local printer under the cloud's id; `addedByCloud` lets a later `remove` delete it here too. */
  adopt(printerId: string, cloudPrinterId: string, addedByCloud: boolean): void;
  /** Stops publishing the printer; answers whether the cloud had added it (so it is the cloud's to delete). */
  release(printerId: string): { addedByCloud: boolean };
  send(message: Record<string, unknown> & { type: string }): boolean;
}

const NETWORK_KINDS = ['bambu', 'octoprint', 'moonraker', 'prusalink'] as const;

/**
 * Runs `configure_printer`: the cloud adds, re-addresses or removes a network printer on this hub. It goes through
 * the same checks and the same credential store as the app's own Add printer dialog, so an access code from the
 * cloud is never written in plain text, logged, or sent back (acks carry a reason, never the code). A printer the
 * user added here is only unpublished on `remove`, never deleted: the cloud may delete only what it added.
 */
export async function runConfigureCommand(cmd: ConfigureCommand, deps: ConfigureCommandDeps): Promise<void> {
  const ack = (success: boolean, extra: { error?: string; local_id?: string } = {}) => deps.send({ type: 'command_ack', command_id: cmd.command_id, success, ...extra });
  const p = cmd.printer ?? ({} as Partial<ConfigureCommand['printer']>);
  if (typeof p.id !== 'string' || !p.id) return void ack(false, { error: 'configure_printer names no printer id.' });
  try {
    switch (cmd.action) {
      case 'add': {
        const input = addInput(cmd.printer);
        const existing = deps.localPrinterOf(p.id) ?? deps.existingPrinter(input)?.id ?? null;
        if (existing) {
          // Adding again (a repeated command, or a printer the user already has): the same printer, key brought up to date.
          if (input.secret) await deps.replaceSecret(existing, input.secret);
          deps.adopt(existing, p.id, false);
          return void ack(true, { local_id: existing });
        }
        const printer = await deps.addPrinter(input);
        deps.adopt(printer.id, p.id, true);
        return void ack(true, { local_id: printer.id });
      }
      case 'update': {
        const local = deps.localPrinterOf(p.id);
        if (!local) return void ack(false, { error: `This hub has no printer ${p.id} to update.` });
        if (p.ip_address) await deps.moveTo(local, p.ip_address);
        if (p.access_code) await deps.replaceSecret(local, p.access_code);
        return void ack(true, { local_id: local });
      }
      case 'remove': {
        const local = deps.localPrinterOf(p.id);
        // Already gone is what the cloud asked for.
        if (!local) return void ack(true);
        const { addedByCloud } = deps.release(local);
        if (addedByCloud) await deps.removePrinter(local);
        return void ack(true, { local_id: local });
      }
      default:
        return void ack(false, { error: `Unknown configure_printer action "${String(cmd.action)}".` });
    }
  } catch (err) {
    ack(false, { error: safeReason(err, p.access_code) });
  }
}

/** The Add printer dialog's input for what the cloud sent, validated by the same schema. */
function addInput(p: ConfigureCommand['printer']): MethodParsedInput<'printers.add'> {
  const kind = p.connection_type;
  if (!(NETWORK_KINDS as readonly string[]).includes(kind)) {
    throw new Error(
      kind === 'usb' || kind === 'virtual'
        ? `A ${kind === 'usb' ? 'USB' : 'virtual'} printer is added at the computer it belongs to, not from the cloud.`
        : `This hub cannot add a "${kind}" printer; it drives ${NETWORK_KINDS.join(', ')} over the network.`,
    );
  }
  if (!p.ip_address) throw new Error(`The cloud gave no address for the ${kind} printer.`);
  if (kind === 'bambu' && !p.serial_number) throw new Error('The cloud gave no serial number for the Bambu printer.');
  if (kind === 'bambu' && !p.access_code) throw new Error('The cloud gave no access code for the Bambu printer.');
  const name = p.name?.trim() || `${kind === 'bambu' ? 'Bambu' : kind[0]!.toUpperCase() + kind.slice(1)} ${p.serial_number ?? p.ip_address}`;
  const raw =
    kind === 'bambu'
      ? { kind, name, host: p.ip_address, serial: p.serial_number ?? '', secret: p.access_code ?? '' }
      : { kind, name, url: p.ip_address, ...(p.access_code ? { secret: p.access_code } : {}) };
  const parsed = AddPrinterInput.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`The cloud's printer settings were refused: ${first?.path.join('.') || 'printer'} ${first?.message ?? 'is invalid'}`.replace(/\.?$/, '.'));
  }
  return parsed.data;
}

/** The app's own error message, with the access code cut out should any layer have quoted it. */
function safeReason(err: unknown, secret: string | undefined): string {
  const message = err instanceof Error ? err.message : String(err);
  return secret ? message.split(secret).join('…') : message;
}
