import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        URL: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    plugins: { "import-x": importX },
    settings: {
      // The files whose imports are followed (TypeScript ones too, read with its parser).
      "import-x/extensions": [".ts", ".tsx", ".mts", ".js", ".jsx", ".mjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx", ".mts"] },
      // Resolves as tsc does (`./x.js` finds `x.ts`, workspace packages through node_modules).
      "import-x/resolver-next": [createTypeScriptImportResolver({ alwaysTryTypes: true })],
    },
    rules: {
      // A cycle of values works only while nothing reads an import at load time; type-only
      // imports are erased and may go both ways.
      "import-x/no-cycle": "error",
      // Another package is reached by its name, never by a relative path into its folder.
      "import-x/no-relative-packages": "error",
    },
  },
);
