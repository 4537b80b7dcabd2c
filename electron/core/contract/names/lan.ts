export const LAN_METHODS = ['printers.add', 'printers.updateCredential', 'discovery.scan'] as const;
