// Lint policy for the UI: ESLint's and typescript-eslint's recommended rules, React's hooks
// rules, Prettier left to format, the layout's one rule of direction (`boundaries`), and screens
// reaching the engine only through hooks.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import path from "node:path";
import tseslint from "typescript-eslint";

const SRC = path.resolve(import.meta.dirname, "src");

/** Where a file sits: `app`, `components`, `lib`, `bindings`, `test`, or `features/<name>`. */
function area(file) {
  const parts = path.relative(SRC, file).split(path.sep);
  if (parts[0] === "features") return parts.length > 2 ? `features/${parts[1]}` : "features";
  return parts.length > 1 ? parts[0] : "root";
}

/** May code in `from` use `to`? Shared layers never reach up into the app or the features. */
const MAY_USE = {
  bindings: ["bindings"],
  lib: ["lib", "bindings"],
  components: ["components", "lib", "bindings"],
};

/**
 * The direction of the layout (see ARCHITECTURE.md): a feature is used by others only through
 * its public entry (`features/<name>/index.ts`); `lib`, `components` and `bindings` never use
 * a feature or the app. Tests and their helpers may reach in where they need to.
 */
const boundaries = {
  meta: { type: "problem", messages: { entry: "{{why}}" } },
  create(context) {
    const file = context.filename;
    if (/\.test\.tsx?$/.test(file) || area(file) === "test") return {};
    const from = area(file);
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== "string" || !spec.startsWith(".")) return;
      const target = path.resolve(path.dirname(file), spec);
      const into = area(path.join(target, "x"));
      if (into === from) return;
      const allowed = MAY_USE[from];
      if (allowed && !allowed.includes(into.split("/")[0])) {
        context.report({ node, messageId: "entry", data: { why: `${from} is shared code: it may not use ${into}` } });
        return;
      }
      if (into.startsWith("features/") && path.relative(SRC, target) !== into) {
        context.report({
          node,
          messageId: "entry",
          data: { why: `use ${into} through its public entry ("${path.relative(path.dirname(file), path.join(SRC, into))}")` },
        });
      }
      if (into === "test") {
        context.report({ node, messageId: "entry", data: { why: "only tests use the test helpers" } });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default tseslint.config(
  { ignores: ["dist", "src/bindings"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks, layout: { rules: { boundaries } } },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      "layout/boundaries": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Screens talk to the engine only through hooks: a feature's `api.ts`, or the shared reads in `lib/queries.ts`.
    files: ["src/{app,components,features}/**/*.tsx"],
    ignores: ["**/*.test.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@tanstack/react-query",
              importNames: ["useQuery", "useQueries", "useMutation", "useQueryClient"],
              message: "read and change the engine through a hook in the feature's api.ts (or lib/queries.ts)",
            },
          ],
          patterns: [{ group: ["**/lib/ipc"], importNames: ["call"], message: "call the engine from the feature's api.ts" }],
        },
      ],
    },
  },
  prettier,
);
