export const SERIAL_METHODS = ['serial.listPorts', 'printers.addSerial', 'printers.serialSettings', 'printers.updateSerialSettings'] as const;
