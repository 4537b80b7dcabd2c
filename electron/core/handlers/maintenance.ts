import type { MAINTENANCE_METHODS } from '../contract/names/maintenance';
import type { MaintenanceService } from '../maintenance/maintenance-service';
import type { CallContext, HandlersFor } from '../rpc/dispatch';

/** Who marked a task done when they did not say: the paired device's name, else the host's own window. */
function caller(ctx: CallContext, host: 'desktop' | 'headless'): string {
  if (ctx.actor) return ctx.actor.label;
  return host === 'desktop' ? 'Desktop window' : 'Local call';
}

export function createMaintenanceHandlers(deps: { maintenance: MaintenanceService; host: 'desktop' | 'headless' }): HandlersFor<(typeof MAINTENANCE_METHODS)[number]> {
  const { maintenance, host } = deps;
  return {
    'maintenance.list': async (input) => maintenance.list(input?.printerId),
    'maintenance.log': async ({ printerId, limit }) => maintenance.log(printerId, limit),
    'maintenance.create': async (input) => maintenance.create(input),
    'maintenance.update': async ({ taskId, ...patch }) => maintenance.update(taskId, patch),
    'maintenance.remove': async ({ taskId }) => {
      maintenance.remove(taskId);
      return { ok: true };
    },
    'maintenance.markDone': async ({ taskId, note, by }, ctx) => maintenance.markDone(taskId, by || caller(ctx, host), note),
  };
}
