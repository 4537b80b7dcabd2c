import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ConsoleEntry } from '../../../../electron/core/contract';
import { useApp } from '../../store/context';

const MAX_LINES = 300;
const MAX_HISTORY = 50;

/** The printer's traffic (without temperature chatter) and a G-code prompt with ↑/↓ history. */
export function ConsolePanel({ printerId, disabled }: { printerId: string; disabled: boolean }) {
  const { api, actions } = useApp();
  const [lines, setLines] = useState<ConsoleEntry[]>([]);
  const [input, setInput] = useState('');
  const [history, setHistory] = useState<string[]>([]);
  const [cursor, setCursor] = useState<number | null>(null);
  const log = useRef<HTMLPreElement>(null);

  useEffect(() => {
    let live = true;
    void api.call('printers.consoleHistory', { printerId }).then(
      (h) => live && setLines(h),
      () => undefined,
    );
    const off = api.on('printer.console', (e) => {
      if (e.printerId === printerId) setLines((prev) => [...prev.slice(-(MAX_LINES - 1)), e.entry]);
    });
    return () => {
      live = false;
      off();
    };
  }, [api, printerId]);

  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const line = input.trim();
    if (!line) return;
    setHistory((h) => [...h.filter((x) => x !== line), line].slice(-MAX_HISTORY));
    setCursor(null);
    setInput('');
    await actions.attempt(() => api.call('printers.sendCommand', { printerId, line }));
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    e.preventDefault();
    if (history.length === 0) return;
    const next = e.key === 'ArrowUp' ? (cursor === null ? history.length - 1 : Math.max(0, cursor - 1)) : cursor === null ? null : cursor + 1 >= history.length ? null : cursor + 1;
    setCursor(next);
    setInput(next === null ? '' : history[next]!);
  };

  return (
    <div className="console">
      <pre className="console-log" ref={log} data-testid="console-log" aria-live="off">
        {lines.map((l, i) => (
          <div key={i} className={`console-${l.direction}`}>
            {l.direction === 'sent' ? '> ' : l.direction === 'info' ? '# ' : ''}
            {l.line}
          </div>
        ))}
      </pre>
      <form className="row" onSubmit={(e) => void submit(e)}>
        <label htmlFor="console-input" className="sr-only">
          G-code command
        </label>
        <input
          id="console-input"
          className="console-input mono"
          type="text"
          placeholder="G-code, e.g. M115"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={onKey}
          disabled={disabled}
          autoComplete="off"
          spellCheck={false}
          maxLength={96}
        />
        <button type="submit" className="btn" disabled={disabled || input.trim() === ''}>
          Send
        </button>
      </form>
    </div>
  );
}
