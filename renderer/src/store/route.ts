export type Route =
  | { name: 'fleet' }
  | { name: 'wall' }
  | { name: 'printer'; printerId: string }
  | { name: 'jobs' }
  | { name: 'library' }
  | { name: 'spools' }
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
    case 'wall':
    case 'jobs':
    case 'library':
    case 'spools':
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
  return route.name === 'printer' ? `#/printers/${encodeURIComponent(route.printerId)}` : `#/${route.name}`;
}
