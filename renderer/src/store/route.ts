export type Route =
  | { name: 'fleet' }
  | { name: 'wall' }
  | { name: 'printer'; printerId: string }
  | { name: 'jobs' }
  | { name: 'library' }
  | { name: 'spools'; spoolId?: string }
  | { name: 'spool-label'; spoolId: string }
  | { name: 'history' }
  | { name: 'keys' }
  | { name: 'cloud' }
  | { name: 'settings' }
  | { name: 'setup' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'printers':
      return parts[1] ? { name: 'printer', printerId: parts[1] } : { name: 'fleet' };
    case 'spools':
      // `#/spools/<id>` is what a local spool's label links to; `#/spools/<id>/label` is the label itself.
      if (parts[1] && parts[2] === 'label') return { name: 'spool-label', spoolId: parts[1] };
      return parts[1] ? { name: 'spools', spoolId: parts[1] } : { name: 'spools' };
    case 'wall':
    case 'jobs':
    case 'library':
    case 'history':
    case 'keys':
    case 'cloud':
    case 'settings':
    case 'setup':
      return { name: parts[0] };
    default:
      return { name: 'fleet' };
  }
}

export function routeHash(route: Route): string {
  if (route.name === 'printer') return `#/printers/${encodeURIComponent(route.printerId)}`;
  if (route.name === 'spool-label') return `#/spools/${encodeURIComponent(route.spoolId)}/label`;
  if (route.name === 'spools' && route.spoolId) return `#/spools/${encodeURIComponent(route.spoolId)}`;
  return `#/${route.name}`;
}
