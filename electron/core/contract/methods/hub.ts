import { z } from 'zod';
import type { CloudPrinterView, HubStatusView } from '../hub-types';
import { none, printerId } from './common';
import { method } from './define';

export const hubMethods = {
  'hub.status': method<HubStatusView>()({
    input: none,
    capability: 'fleet:read',
    summary: 'This computer as a hub of the AutoPrintFarm cloud: connection state and why, name, last sync, outbox depth, published printers.',
  }),
  'hub.link': method<HubStatusView>()({
    input: z
      .object({ name: z.string().trim().min(1).max(100).optional() })
      .strict()
      .optional(),
    // It acts for the cloud with the app's key.
    capability: 'keys:manage',
    summary: 'Registers this computer as a hub with the app key (once; again renames it) and connects it.',
  }),
  'hub.unlink': method<HubStatusView>()({
    input: none,
    capability: 'keys:manage',
    summary: 'Stops acting for the cloud and removes the hub there; local jobs and printers are untouched.',
  }),
  'hub.cloudPrinters': method<CloudPrinterView[]>()({
    input: none,
    capability: 'fleet:read',
    summary: "The organization's printers in the cloud (first 100), each marked as this hub's, another hub's, or none (needs printers:read).",
  }),
  'hub.publish': method<HubStatusView>()({
    input: z.object({ printerId, published: z.boolean() }).strict(),
    capability: 'fleet:manage',
    summary: 'Publishes a printer to the cloud through this hub (idempotent), or stops publishing it.',
  }),
};
