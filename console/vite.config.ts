import { defineConfig } from 'vite';

// The console is served by ingress under /ui (services/ingress/src/http/console-routes.ts); `npm run dev -w
// @aigw/console` serves it with hot reload and forwards /api to a local gateway (AIGW_URL, default :8080).
export default defineConfig({
  base: '/ui/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    sourcemap: false,
    rolldownOptions: {
      // react-router ships "use client" for server components; a plain single-page build has none.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/api': process.env['AIGW_URL'] ?? 'http://127.0.0.1:8080' } },
});
