import type { ReactNode } from 'react';

/** One titled panel of the history screen (a chart, a table). */
export function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="panel">
      <h2 style={{ margin: '0 0 8px', fontSize: 16 }}>{title}</h2>
      {children}
    </div>
  );
}
