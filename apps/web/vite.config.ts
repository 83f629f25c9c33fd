import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const server = 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    // The API server runs separately (`pnpm --filter @parley/server dev`); the Host
    // header is kept so its same-origin check sees the page's own origin.
    proxy: {
      '/trpc': { target: server, ws: true },
      '/healthz': { target: server },
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    chunkSizeWarningLimit: 1000,
  },
});
