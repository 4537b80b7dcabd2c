/** The hub as the Cloud screen sees it (cloud-hub.md). Shared with the renderer as types: no Node imports here. */

/**
 * `not_linked`: the user has not linked this computer as a hub. The rest follow the socket: `refused` (the key
 * was turned down) and `unlinked` (removed in the cloud) wait for the user; `offline` retries on its own.
 */
export type HubConnectionState = 'not_linked' | 'stopped' | 'connecting' | 'connected' | 'offline' | 'refused' | 'unlinked';

export interface HubPublishedPrinter {
  /** The local printer's id. */
  printerId: string;
  /** The cloud's id for it (what the cloud's jobs and commands name). */
  cloudPrinterId: string;
}

/** A printer as the cloud lists it, for the Cloud screen: which hub drives it (this one, another room's, none). */
export interface CloudPrinterView {
  id: string;
  name: string;
  status: string;
  model: string | null;
  /** `this` when this computer's hub publishes it, `other` for another hub, `none` for a printer with no hub. */
  hub: 'this' | 'other' | 'none';
}

/** A pull-mode job this hub left for another (cloud-hub.md "Pull mode"), and why: no ready printer here fits it. */
export interface PassedOffer {
  /** The cloud's job id. */
  jobId: string;
  fileName: string;
  /** "No idle printer here has PETG black with ≥ 35 g: Printer 1 has PLA loaded. Left for another hub." */
  reason: string;
  /** When it was offered, ms since the epoch. */
  at: number;
}

export interface HubStatusView {
  hubId: string;
  state: HubConnectionState;
  /** Why it is offline, refused or unlinked, in words for the user; null otherwise. */
  reason: string | null;
  /** The hub's name in the cloud, as registered or welcomed. */
  name: string | null;
  organization: string | null;
  /** When the cloud was last heard (any message), ms since the epoch; null before the first. */
  lastSyncAt: number | null;
  /** Job events committed here and not yet acknowledged by the cloud. */
  outboxDepth: number;
  published: HubPublishedPrinter[];
  /** Offers left for other hubs, newest first (at most 10), until one is claimed here or taken elsewhere. */
  passedOffers: PassedOffer[];
}
