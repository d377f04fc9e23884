import { defineConfig } from "vitest/config";

// Tests import workspace packages from their TypeScript sources (the
// "insight-source" export condition), so a test run never depends on a stale
// dist/. The CLI e2e suite still runs the built binary, after `tsc -b`.
const conditions = ["insight-source", "node", "import", "default"];

export default defineConfig({
  resolve: { conditions },
  // Vitest also passes ssr.resolve.conditions to its workers as `--conditions`,
  // so "import" must stay out of them (Vite adds import/require per request):
  // with it, require() of a dual CJS/ESM package (pg → pg-pool) loaded the ESM
  // build and failed.
  ssr: { resolve: { conditions: ["insight-source", "node"], externalConditions: ["insight-source", "node"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts"],
    // Interop tests start real Rust processes and browsers; two cores are shared.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
    fileParallelism: true,
  },
});
