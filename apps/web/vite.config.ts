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
    // The app, and the chat frame the widget opens (`/widget/frame`, apps/server).
    rollupOptions: { input: { main: 'index.html', widget: 'widget.html' } },
    sourcemap: true,
    chunkSizeWarningLimit: 1000,
  },
});
