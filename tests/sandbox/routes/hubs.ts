import { z } from 'zod';
import { ApiError, hubOffline, notFound } from '../http-io';
import type { CommandLog } from '../hub-commands';
import type { HubConnections } from '../hub-connections';
import { CLOSE_CODES, type CloudMessage } from '../hub-protocol';

type ConfigurePrinter = Extract<CloudMessage, { type: 'configure_printer' }>['printer'];
import type { HubRecord, HubRepo } from '../hubs';
import type { VerifiedKey } from '../keys';
import type { PrinterRepo } from '../printers';
import type { Route } from '../router';
import type { Db } from '../store';
import { iso, isoOrNull, pageEnvelope, parseBody, QueryReader } from '../validation';

export function hubJson(h: HubRecord) {
  return {
    id: h.id,
    name: h.name,
    is_online: h.isOnline,
    last_seen_at: isoOrNull(h.lastSeenAt),
    firmware_version: h.firmwareVersion,
    hardware_version: h.hardwareVersion,
    printer_ids: h.printerIds,
    created_at: iso(h.createdAt),
    updated_at: iso(h.updatedAt),
  };
}

const hubName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const registerSchema = z.strictObject({ hub_id: z.uuidv4('must be a UUID v4'), name: hubName.optional() });
const patchSchema = z.strictObject({ name: hubName });
const address = z.string().trim().min(1).max(255);
const accessCode = z.string().min(1).max(100);
const configureSchema = z.strictObject({
  connection_type: z.enum(['bambu', 'octoprint', 'moonraker', 'prusalink']),
  name: z.string().trim().min(1).max(100).optional(),
  model: z.string().trim().min(1).max(100).optional(),
  serial_number: z.string().trim().min(1).max(64).optional(),
  ip_address: address,
  access_code: accessCode.optional(),
});
const reconfigureSchema = z.strictObject({ ip_address: address.optional(), access_code: accessCode.optional() });

export interface HubRouteDeps {
  db: Db;
  hubs: HubRepo;
  printers: PrinterRepo;
  commands: CommandLog;
  /** The printer JSON the printers routes answer with. */
  printerJson: (p: NonNullable<ReturnType<PrinterRepo['get']>>) => unknown;
  connections: HubConnections;
  /** The sandbox's organization, for keys minted without one. */
  organization: string;
}

export function hubRoutes(deps: HubRouteDeps): Route[] {
  const { db, hubs, printers, commands, connections } = deps;
  const orgOf = (caller: VerifiedKey) => caller.organization ?? deps.organization;
  /** Another organization's hub answers exactly like a hub that does not exist. */
  const mustGet = (id: string, caller: VerifiedKey) => {
    const hub = hubs.getOwned(id, orgOf(caller));
    if (!hub) throw notFound(`No hub with id ${id}.`);
    return hub;
  };
  /** Records a command for a connected hub and sends it; 503 when the hub is not connected. */
  const commandHub = (hubId: string, type: 'discover_printers' | 'hub_config', payload: Record<string, unknown>): string => {
    if (!connections.isConnected(hubId)) throw hubOffline(hubId);
    const commandId = commands.record({ hubId, type, action: type, payload });
    connections.send(hubId, { type, command_id: commandId, ...payload });
    return commandId;
  };

  /**
   * configure_printer (real) for one of a connected hub's printers. The access code is relayed, never stored: the
   * command log keeps only whether one was sent.
   */
  const configure = (hubId: string, action: 'add' | 'update' | 'remove', printer: ConfigurePrinter): string => {
    if (!connections.isConnected(hubId)) throw hubOffline(hubId);
    const { access_code: code, ...kept } = printer;
    const commandId = commands.record({
      hubId,
      type: 'configure_printer',
      action,
      printerId: printer.id,
      payload: { action, printer: { ...kept, access_code_sent: code !== undefined } },
    });
    connections.send(hubId, { type: 'configure_printer', command_id: commandId, action, printer });
    return commandId;
  };
  const hubPrinter = (hubId: string, printerId: string) => {
    const p = printers.get(printerId);
    if (!p || p.hubId !== hubId) throw notFound(`Hub ${hubId} has no printer ${printerId}.`);
    return p;
  };

  return [
    {
      // (ours, for the real configure_printer) The cloud adds a network printer to a hub: it appears here at
      // once and on the hub when the hub acks.
      method: 'POST',
      path: '/hubs/:id/printers',
      scope: 'printers:write',
      handle: async ({ caller, params, readJson }) => {
        const b = parseBody(configureSchema, await readJson());
        const hub = mustGet(params.id!, caller);
        if (!connections.isConnected(hub.id)) throw hubOffline(hub.id);
        const created = printers.create({
          name: b.name ?? `${b.connection_type} ${b.serial_number ?? b.ip_address}`,
          model: b.model ?? b.connection_type,
          status: 'offline',
          firmware: null,
          group: null,
          tags: [],
          connectionUrl: null,
          apiKey: null,
          hubId: hub.id,
          localId: null,
          connectionType: b.connection_type,
        });
        const commandId = configure(hub.id, 'add', {
          id: created.id,
          connection_type: b.connection_type,
          ip_address: b.ip_address,
          ...(b.name ? { name: b.name } : {}),
          ...(b.serial_number ? { serial_number: b.serial_number } : {}),
          ...(b.access_code ? { access_code: b.access_code } : {}),
        });
        return { status: 202, body: { printer: deps.printerJson(created), command_id: commandId } };
      },
    },
    {
      method: 'PATCH',
      path: '/hubs/:id/printers/:printerId',
      scope: 'printers:write',
      handle: async ({ caller, params, readJson }) => {
        const b = parseBody(reconfigureSchema, await readJson());
        const hub = mustGet(params.id!, caller);
        const p = hubPrinter(hub.id, params.printerId!);
        const commandId = configure(hub.id, 'update', { id: p.id, connection_type: p.connectionType ?? 'bambu', ...b });
        return { status: 202, body: { command_id: commandId } };
      },
    },
    {
      method: 'DELETE',
      path: '/hubs/:id/printers/:printerId',
      scope: 'printers:write',
      handle: ({ caller, params }) => {
        const hub = mustGet(params.id!, caller);
        const p = hubPrinter(hub.id, params.printerId!);
        const commandId = configure(hub.id, 'remove', { id: p.id, connection_type: p.connectionType ?? 'bambu' });
        printers.delete(p.id);
        return { status: 202, body: { command_id: commandId } };
      },
    },
    {
      method: 'POST',
      path: '/hubs/register',
      scope: 'printers:write',
      handle: async ({ caller, readJson }) => {
        const b = parseBody(registerSchema, await readJson());
        const outcome = hubs.register(b.hub_id.toLowerCase(), orgOf(caller), b.name ?? null);
        if (outcome.kind === 'other_organization') {
          throw new ApiError(409, 'already_registered', `Hub ${b.hub_id} is registered to another organization.`);
        }
        return { status: outcome.kind === 'created' ? 201 : 200, body: hubJson(outcome.hub) };
      },
    },
    {
      method: 'GET',
      path: '/hubs',
      scope: 'printers:read',
      handle: ({ caller, query }) => {
        const q = new QueryReader(query);
        const { page, perPage } = q.paging();
        q.done();
        const all = hubs.list(orgOf(caller));
        const slice = all.slice((page - 1) * perPage, page * perPage);
        return { status: 200, body: pageEnvelope(slice.map(hubJson), page, perPage, all.length) };
      },
    },
    {
      method: 'GET',
      path: '/hubs/:id',
      scope: 'printers:read',
      handle: ({ caller, params }) => ({ status: 200, body: hubJson(mustGet(params.id!, caller)) }),
    },
    {
      method: 'PATCH',
      path: '/hubs/:id',
      scope: 'printers:write',
      handle: async ({ caller, params, readJson }) => {
        const { name } = parseBody(patchSchema, await readJson());
        const hub = mustGet(params.id!, caller);
        hubs.register(hub.id, hub.organization, name);
        // The hub shows its name too; an offline hub learns it from hub_welcome when it is back.
        if (connections.isConnected(hub.id)) commandHub(hub.id, 'hub_config', { hub_name: name });
        return { status: 200, body: hubJson(hubs.get(hub.id)!) };
      },
    },
    {
      method: 'DELETE',
      path: '/hubs/:id',
      scope: 'printers:write',
      handle: ({ caller, params }) => {
        const hub = mustGet(params.id!, caller);
        // Its printers stay (with their hub_id), offline: the same hub registering again gets them back.
        db.transaction(() => {
          hubs.delete(hub.id);
          printers.markHubPrintersOffline(hub.id);
        })();
        connections.close(hub.id, CLOSE_CODES.unknownHub, 'the hub was unlinked');
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/hubs/:id/discover',
      scope: 'printers:write',
      handle: ({ caller, params }) => {
        const hub = mustGet(params.id!, caller);
        return { status: 202, body: { command_id: commandHub(hub.id, 'discover_printers', {}) } };
      },
    },
    {
      method: 'GET',
      path: '/hubs/:id/discovered',
      scope: 'printers:read',
      handle: ({ caller, params }) => {
        const hub = mustGet(params.id!, caller);
        const row = db.prepare<[string], { printers: string; reported_at: number }>('SELECT printers, reported_at FROM discovered_printers WHERE hub_id = ?').get(hub.id);
        return {
          status: 200,
          body: { printers: row ? (JSON.parse(row.printers) as unknown[]) : [], reported_at: row ? iso(row.reported_at) : null },
        };
      },
    },
  ];
}
