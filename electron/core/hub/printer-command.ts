/** `printer_command` as the cloud sends it (cloud-hub.md "Cloud → hub"). */
export interface PrinterCommand {
  type: 'printer_command';
  command_id: string;
  printer_id: string;
  action: 'pause' | 'resume' | 'stop' | 'clear_bed' | 'light_on' | 'light_off';
}

export interface PrinterCommandDeps {
  localPrinterOf(cloudPrinterId: string): string | null;
  /** The same operations the UI uses (fleet and farm), by local printer id; each throws the app's own error. */
  pause(printerId: string): Promise<void>;
  resume(printerId: string): Promise<void>;
  /** Stops the running print (the farm records it cancelled, saying it came from the cloud). */
  stop(printerId: string): Promise<void>;
  confirmBedClear(printerId: string): Promise<void> | void;
  setLight(printerId: string, on: boolean): Promise<void>;
  send(message: Record<string, unknown> & { type: string }): boolean;
}

const ACTIONS = ['pause', 'resume', 'stop', 'clear_bed', 'light_on', 'light_off'] as const;

/**
 * Runs a `printer_command` through the same operations as the app's own buttons, so the cloud can do nothing a
 * user of this app could not, and acknowledges it within the cloud's 30 s with the app's own error message
 * when it cannot be done (a printer not published here, nothing printing, no light).
 */
export async function runPrinterCommand(cmd: PrinterCommand, deps: PrinterCommandDeps): Promise<void> {
  const ack = (success: boolean, error?: string) => deps.send({ type: 'command_ack', command_id: cmd.command_id, success, ...(error ? { error } : {}) });
  const printerId = deps.localPrinterOf(cmd.printer_id);
  if (!printerId) return void ack(false, `This hub does not publish the printer ${cmd.printer_id}.`);
  if (!(ACTIONS as readonly string[]).includes(cmd.action)) return void ack(false, `Unknown printer action "${String(cmd.action)}".`);
  try {
    switch (cmd.action) {
      case 'pause':
        await deps.pause(printerId);
        break;
      case 'resume':
        await deps.resume(printerId);
        break;
      case 'stop':
        await deps.stop(printerId);
        break;
      case 'clear_bed':
        await deps.confirmBedClear(printerId);
        break;
      case 'light_on':
      case 'light_off':
        await deps.setLight(printerId, cmd.action === 'light_on');
        break;
    }
    ack(true);
  } catch (err) {
    ack(false, err instanceof Error ? err.message : String(err));
  }
}
