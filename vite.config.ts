import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is a plain web build: the same files load in the Electron window (app:// protocol)
// and in a browser served by `apf serve`.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Electron 45 ships Chromium 142; Debian's Chromium is newer.
    target: 'chrome130',
    sourcemap: false,
  },
});
