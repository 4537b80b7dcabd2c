export const PRINTER_METHODS = [
  'printers.list',
  'printers.get',
  'printers.temperatureHistory',
  'printers.addVirtual',
  'printers.remove',
  'printers.connect',
  'printers.disconnect',
  'printers.setTemperature',
  'printers.home',
] as const;
