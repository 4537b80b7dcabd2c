export const SERIAL_METHODS = ['serial.listPorts', 'printers.addSerial'] as const;
