import { defineConfig } from 'vite';

// Run from the repository root (npm run build:web). No @vitejs/plugin-react: Vite 8's own Oxc transform
// compiles TSX with React's automatic runtime, and that plugin's optional Babel 8 peers conflict with
// this repository's Babel 7 (jest). Fast refresh is the only thing given up, in dev mode only.
export default defineConfig({
  root: 'apps/web',
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 900,
  },
  server: {
    // `npm run dev:web` against `npm start` on :3000.
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/auth': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
});
