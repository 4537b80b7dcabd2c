export const LAN_METHODS = ['printers.add', 'discovery.scan'] as const;
