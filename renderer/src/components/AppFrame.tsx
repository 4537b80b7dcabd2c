import type { ReactNode } from 'react';
import type { Capability } from '../../../electron/core/contract';
import { useAppState } from '../store/context';
import type { Route } from '../store/route';
import { AppNotices } from './AppNotices';
import { ConnectionBadge } from './ConnectionBadge';
import { Toasts } from './Toasts';

const NAV: { name: Route['name']; label: string; href: string; needs?: Capability }[] = [
  { name: 'fleet', label: 'Fleet', href: '#/fleet' },
  { name: 'jobs', label: 'Jobs', href: '#/jobs' },
  { name: 'library', label: 'Library', href: '#/library' },
  { name: 'spools', label: 'Spools', href: '#/spools' },
  { name: 'history', label: 'History', href: '#/history' },
  { name: 'keys', label: 'Keys', href: '#/keys', needs: 'keys:manage' },
  { name: 'cloud', label: 'Cloud', href: '#/cloud' },
  { name: 'settings', label: 'Settings', href: '#/settings' },
];

export function AppFrame({ route, children }: { route: Route; children: ReactNode }) {
  const active = route.name === 'printer' ? 'fleet' : route.name;
  const whoami = useAppState((s) => s.whoami);
  // A screen the role cannot use is not offered (the host refuses its calls anyway).
  const nav = NAV.filter((item) => !item.needs || whoami?.capabilities.includes(item.needs));
  return (
    <div className="frame">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ▲
          </span>
          AutoPrintFarm
        </div>
        <nav aria-label="Main">
          <ul>
            {nav.map((item) => (
              <li key={item.name}>
                <a href={item.href} className={item.name === active ? 'active' : undefined} aria-current={item.name === active ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-foot">
          <ConnectionBadge />
          {whoami && whoami.connection.transport !== 'desktop' && (
            <div className="muted" data-testid="session-role" style={{ fontSize: 12, marginTop: 6 }}>
              {whoami.label} · {whoami.role}
            </div>
          )}
        </div>
      </aside>
      <main className="content">
        <AppNotices />
        {children}
      </main>
      <Toasts />
    </div>
  );
}
