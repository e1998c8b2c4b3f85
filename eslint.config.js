// Lint rules of the repo (docs/conventions.md): strict TypeScript, one direction of imports
// (packages never import apps; web features never import each other; app composes them),
// process.env only in env.ts files, no import cycles.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// bulletproof-react's one direction: shared (components, lib, config, utils) → features → app, and no
// feature imports another.
const WEB_SRC = './apps/web/src';
const webFeatures = readdirSync(`${WEB_SRC}/features`, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const webZones = [
  ...webFeatures.map((feature) => ({
    target: `${WEB_SRC}/features/${feature}`,
    from: `${WEB_SRC}/features`,
    except: [`./${feature}`],
    message: 'Web features never import each other; compose them in app/.',
  })),
  ...['components', 'lib', 'config', 'utils'].map((shared) => ({
    target: `${WEB_SRC}/${shared}`,
    from: [`${WEB_SRC}/features`, `${WEB_SRC}/app`],
    message: 'Shared web code does not import features or the app layer.',
  })),
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'packages/db/src/generated/**',
      'data/**',
      'test-results/**',
      'playwright-report/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './packages', from: './apps', message: 'packages/ never import apps/.' },
            {
              target: './apps/web',
              from: ['./apps/api', './apps/bridge', './apps/simulator', './packages/db'],
              message: 'The web app talks to the API over HTTP only.',
            },
            {
              target: './apps/web/src/features',
              from: './apps/web/src/app',
              message: 'Features do not import the app layer.',
            },
            ...webZones,
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in env.ts (zod-validated), not elsewhere.' },
      ],
    },
  },
  {
    // Configuration is read in these files only; tests and tooling read their own knobs.
    files: [
      '**/env.ts',
      '**/*.env.ts',
      '**/*.test.ts',
      'scripts/**',
      'bench/**',
      '**/playwright.config.ts',
      '**/vite.config.ts',
      'vitest.config.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // apps/api layering (apps/api/README.md: routes → services → repositories): only the data layer — repositories
    // and the shared plumbing in db/ — and the wiring (app.ts, server.ts) use Prisma at run time; types anywhere.
    files: ['apps/api/src/**/*.ts'],
    ignores: [
      'apps/api/src/**/*.repository.ts',
      'apps/api/src/db/**',
      'apps/api/src/app.ts',
      'apps/api/src/server.ts',
      'apps/api/src/test/**',
      'apps/api/src/**/*.test.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@takt/db',
              allowTypeImports: true,
              message: 'Prisma at run time belongs in a *.repository.ts (or db/transaction.ts); import types only.',
            },
          ],
          patterns: [
            {
              group: ['@prisma/*', '@takt/db/*'],
              allowTypeImports: true,
              message: 'Prisma at run time belongs in a *.repository.ts; import types only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Services are plain functions over plain values: the HTTP request and response stay in the routes.
    files: ['apps/api/src/**/*.service.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'express', message: 'Services get no Express request or response; the route passes values.' },
          ],
        },
      ],
    },
  },
  {
    // Ambient declarations extend library interfaces by declaration merging, which needs `interface`.
    files: ['**/*.d.ts'],
    rules: { '@typescript-eslint/consistent-type-definitions': 'off' },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
    },
  },
);
