import { EmptyState } from '../../components/EmptyState';

export function KeysScreen() {
  return (
    <section className="screen" aria-labelledby="keys-title">
      <header className="screen-head">
        <h1 id="keys-title">API keys</h1>
      </header>
      <EmptyState title="Cloud keys are not set up yet">Connecting to the AutoPrintFarm cloud with an API key, and managing keys, is being built. Everything on this computer works without it.</EmptyState>
    </section>
  );
}
