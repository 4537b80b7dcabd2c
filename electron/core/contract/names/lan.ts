export const LAN_METHODS = ['printers.add', 'printers.check', 'printers.updateCredential', 'discovery.scan'] as const;
