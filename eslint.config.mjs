// Lint enforces the layers of DESIGN.md: lib/ stays pure and isomorphic, the browser never
// reaches into server/.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import nextPlugin from "@next/eslint-plugin-next";
import globals from "globals";

const libForbidden = [
  { group: ["react", "react-dom", "react/*"], message: "lib/ is framework-free." },
  { group: ["next", "next/*"], message: "lib/ is framework-free." },
  { group: ["socket.io", "socket.io-client", "socket.io/*"], message: "lib/ has no sockets." },
  { group: ["@prisma/*", "**/generated/prisma/**"], message: "lib/ has no database." },
  {
    group: ["**/server/**", "@/server/*", "@/app/*", "**/app/**"],
    message: "lib/ never imports app/ or server/.",
  },
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "server/generated/**",
      "public/**",
      "data/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/server/**", "@/server/*"],
              message: "The browser never imports server/.",
            },
            { group: ["@prisma/*"], message: "The browser never touches the database." },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: libForbidden }] },
  },
);
