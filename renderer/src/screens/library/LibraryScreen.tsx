import { EmptyState } from '../../components/EmptyState';

export function LibraryScreen() {
  return (
    <section className="screen" aria-labelledby="library-title">
      <header className="screen-head">
        <h1 id="library-title">Library</h1>
      </header>
      <EmptyState title="The print library is not built yet">G-code files with their slicer metadata and thumbnails will live here, ready to queue.</EmptyState>
    </section>
  );
}
