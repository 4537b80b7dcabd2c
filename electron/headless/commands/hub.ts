import { CAPABILITIES, type MethodName } from '../../core/contract';
import type { HubStatusView } from '../../core/contract/hub-types';
import { readEnvFiles } from '../../core/cloud-account';
import type { Core } from '../../core/core';
import { defaultDataDir } from '../data-dir';
import { intFlag, parseArgs, UsageError, type CommandIo } from '../args';
import { openCliCore } from './lan-core';

export const HUB_USAGE = `Usage: apf hub status|link|unlink|publish [options] [--data DIR]
  status                  this data folder's hub: linked or not, connection, name, outbox, published printers
  link [--name NAME]      register this data folder as a hub with the cloud key and connect it once
  unlink                  stop acting for the cloud and remove the hub there
  publish PRINTER_ID [--off]  publish a saved printer to the cloud through this hub (or stop publishing it)
  --json        print the status as JSON
  --wait-ms N   longest wait for the cloud to answer the socket (default 5000)
  --data DIR    data folder (default: the desktop app's folder, or $APF_DATA_DIR)
The key is AUTOPRINTFARM_API_KEY (environment or .env), as for apf serve, which runs the linked hub.`;

/** A state the socket rests in for now: anything but still trying its first connection. */
const settled = (s: HubStatusView) => s.state !== 'connecting' && s.state !== 'stopped';

export async function hubCommand(args: string[], io: CommandIo): Promise<number> {
  if (args.includes('--help')) {
    io.stdout(HUB_USAGE);
    return 0;
  }
  const parsed = parseArgs(args, { json: 'boolean', name: 'string', off: 'boolean', 'wait-ms': 'string', data: 'string' });
  const [action, ...rest] = parsed.positionals;
  if (!action || !['status', 'link', 'unlink', 'publish'].includes(action)) throw new UsageError('Say what to do: apf hub status|link|unlink|publish.');
  if (action === 'publish' ? rest.length !== 1 : rest.length > 0)
    throw new UsageError(action === 'publish' ? 'Name one printer: apf hub publish PRINTER_ID.' : `Unexpected argument ${rest[0]}.`);
  const waitMs = intFlag(parsed.values['wait-ms'], 'wait-ms', 0, 60_000) ?? 5000;
  const dataDir = parsed.values.data ?? defaultDataDir();
  const { core, close } = openCliCore(dataDir, io, undefined, { env: process.env, envFileText: readEnvFiles([dataDir, process.cwd()]) });
  try {
    let status: HubStatusView;
    if (action === 'link') status = await call(core, 'hub.link', parsed.values.name ? { name: parsed.values.name } : undefined);
    else if (action === 'unlink') status = await call(core, 'hub.unlink');
    else if (action === 'publish') status = await call(core, 'hub.publish', { printerId: rest[0], published: !parsed.values.off });
    else status = await call(core, 'hub.status');
    if (status.state !== 'not_linked') status = await settle(core, status, waitMs);
    io.stdout(parsed.values.json ? JSON.stringify(status, null, 2) : describe(status));
    return status.state === 'refused' || status.state === 'unlinked' ? 1 : 0;
  } catch (err) {
    io.stderr(`apf hub ${action}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await close();
  }
}

async function call(core: Core, method: MethodName, params?: unknown): Promise<HubStatusView> {
  const out = await core.dispatch(method, params, { capabilities: new Set(CAPABILITIES) });
  if (!out.ok) throw new Error(out.error.message);
  return out.result as HubStatusView;
}

/** Waits (at most waitMs) for the socket to connect or say why it cannot, so the answer is not just "connecting". */
async function settle(core: Core, now: HubStatusView, waitMs: number): Promise<HubStatusView> {
  if (settled(now)) return now;
  return new Promise((resolve) => {
    let last = now;
    const off = core.events.subscribe((name, payload) => {
      if (name !== 'hub.status') return;
      last = payload as HubStatusView;
      if (settled(last)) finish();
    });
    const timer = setTimeout(finish, waitMs);
    function finish() {
      clearTimeout(timer);
      off();
      resolve(last);
    }
  });
}

function describe(s: HubStatusView): string {
  const lines = [`hub ${s.hubId}${s.name ? ` "${s.name}"` : ''}: ${s.state.replace('_', ' ')}${s.reason ? ` — ${s.reason}` : ''}`];
  if (s.state !== 'not_linked') {
    lines.push(`outbox: ${s.outboxDepth} event(s) not yet acknowledged`);
    lines.push(s.published.length ? `published: ${s.published.map((p) => `${p.printerId} → ${p.cloudPrinterId}`).join(', ')}` : 'published: none');
  }
  return lines.join('\n');
}
