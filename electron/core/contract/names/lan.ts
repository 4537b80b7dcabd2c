export const LAN_METHODS = ['printers.add', 'printers.check', 'printers.updateCredential', 'printers.trustCertificate', 'discovery.scan'] as const;
