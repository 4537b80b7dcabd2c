export const HUB_METHODS = ['hub.status', 'hub.link', 'hub.unlink', 'hub.publish', 'hub.cloudPrinters'] as const;
