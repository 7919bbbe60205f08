// ESLint (flat config): typescript-eslint's recommended type-aware-free rules, React hooks
// rules, and eslint-config-prettier last so formatting is Prettier's job alone (`npm run
// format:check`). `npm test` runs `npm run lint` (zero warnings) before the unit tests.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "public/", "node_modules/", "test-results/", "bench-results/", "coverage/", ".cache/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["warn", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Non-null assertions are used where a lookup was validated at load (manifests).
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // Functions named use… here are updaters ("use this layer as the role"), not React hooks;
    // src/domain has no React at all.
    files: ["src/domain/**/*.ts", "src/app/imports.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    // Tests build deliberately wrong manifests by mutating untyped JSON.
    files: ["tests/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  prettier,
);
