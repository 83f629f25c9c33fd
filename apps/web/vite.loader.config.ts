import { defineConfig } from 'vite';

/**
 * The widget loader (`/widget.js`): one small classic script at a stable address (the
 * snippet sites paste cannot change), built after the app into the same `dist`.
 */
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: false,
    lib: {
      entry: 'src/widget/loader/loader.ts',
      formats: ['iife'],
      name: 'ParleyWidget',
      fileName: () => 'widget.js',
    },
  },
});
