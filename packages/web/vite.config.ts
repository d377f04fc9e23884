import { defineConfig } from "vite";

// The page is served by `consolation web` from dist/ under a strict CSP:
// no inline scripts or styles, so everything must be an emitted file.
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // No module-preload polyfill: it would be the only inline-ish helper, and every browser we drive supports preload.
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
});
