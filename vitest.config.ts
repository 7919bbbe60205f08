import { defineConfig } from "vitest/config";

// Two projects: fast pure tests in node, and browser tests that drive Debian Chromium
// against the built app (they need `vite build` first; `npm test` does that).
export default defineConfig({
  test: {
    reporters: ["default", "./tests/countReporter.ts"],
    projects: [
      {
        test: {
          name: "unit",
          environment: "node",
          include: ["tests/**/*.test.ts"],
          exclude: ["tests/e2e/**"],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["tests/e2e/**/*.test.ts"],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
