export const MATERIAL_METHODS = [
  'spools.list',
  'spools.create',
  'spools.update',
  'spools.archive',
  'spools.restore',
  'spools.load',
  'spools.unload',
  'spools.usage',
  'spools.exportCsv',
  'spools.importCsv',
] as const;
