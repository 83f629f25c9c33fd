// One lint config for the workspace: type-aware rules (floating promises matter in
// async generators and socket handlers), React hooks rules for the web app.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.parley/**',
      '**/.turbo/**',
      '**/test-results/**',
      'packages/db/migrations/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.ts', 'bench/*.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // @tanstack/react-virtual is flagged as React Compiler-incompatible; the web app does
    // not run the compiler, and the virtualised thread is this one file.
    files: ['apps/web/src/features/thread/thread-view.tsx'],
    rules: { 'react-hooks/incompatible-library': 'off' },
  },
  {
    // All SQL lives in packages/db: the API reaches the database through its query
    // functions (`(db, params)`), tests through `@parley/db/testing`.
    files: ['packages/api/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'pg', message: 'Use a query function of @parley/db.' }],
          patterns: [
            {
              group: ['drizzle-orm', 'drizzle-orm/*', 'pg/*'],
              message: 'Write the query in packages/db/src/queries and import it from @parley/db.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
