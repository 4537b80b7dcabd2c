import { z } from 'zod';
import type { SnapshotView, TimelapseView } from '../snapshot-types';
import { printerId } from './common';
import { method } from './define';

export const snapshotMethods = {
  'snapshots.list': method<SnapshotView[]>()({
    input: z.object({ historyIds: z.array(z.number().int().positive()).min(1).max(500) }).strict(),
    capability: 'fleet:read',
    summary: 'The pictures kept with these history entries: first layer, end or failure, and time-lapse (oldest first).',
  }),
  'snapshots.timelapse': method<TimelapseView>()({
    input: z.object({ printerId }).strict(),
    capability: 'fleet:read',
    summary: "A printer's time-lapse option, the space its time-lapses take, and whether this computer can make videos of them.",
  }),
  // It decides what is recorded and how much disk it takes: managing a printer, like its cameras.
  'snapshots.setTimelapse': method<TimelapseView>()({
    input: z
      .object({
        printerId,
        enabled: z.boolean(),
        capMb: z.number().int().min(10, 'Keep at least 10 MiB of time-lapse per printer.').max(1_000_000, 'At most 1 000 000 MiB (about 1 TB) per printer.'),
      })
      .strict(),
    capability: 'fleet:manage',
    summary: "Turns a printer's time-lapse on or off and sets the space its time-lapses may take (the oldest go first).",
  }),
};
