// `npm run lint`: ESLint (type-aware typescript-eslint, React hooks in renderer/) and then `prettier --check`.
// Style is Prettier's job alone: eslint-config-prettier comes last and turns off every rule that would argue with it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Each TypeScript file belongs to exactly one of the projects `npm run typecheck` checks; the type-aware rules use
// that same program, so lint and tsc never disagree about a type.
const projects = ['./electron/core/tsconfig.json', './electron/desktop/tsconfig.json', './renderer/tsconfig.json', './tests/tsconfig.json'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'native/**', 'coverage/**', 'test-results/**', 'node_modules/**'] },

  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: projects, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `async` without `await` is how this code base implements a Promise-returning interface (driver methods, RPC
      // handlers, fakes in tests): it keeps the signature honest and turns a throw into a rejection instead of a
      // synchronous exception the caller does not expect. Removing `async` to please the rule would change that.
      '@typescript-eslint/require-await': 'off',
      // `_name` marks a parameter or binding kept on purpose (an interface's argument, a rest-sibling that drops a field).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },

  // Plain JavaScript (bin/, scripts/*.mjs, this file) and vitest.e2e.config.ts are in no tsconfig: linted without type information.
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs', 'vitest.e2e.config.ts'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    // electron-builder loads its hooks with require(), so a .cjs file is CommonJS through and through.
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  {
    // Tests, peers and the cloud stand-in read untyped JSON (JSON.parse, response.json(), WebSocket frames) and check
    // it with expect() or zod; a wrong shape fails the assertion, which is the type check there. Casting every read
    // to please no-unsafe-* would add noise and catch nothing. Product code (electron/, renderer/) keeps these rules.
    files: ['tests/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Stand-ins hand async request handlers to node:http and ws; a rejection there crashes the test run loudly,
      // which is what a test wants. Product code keeps the full check.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      // Fakes reject with whatever a real transport would (strings, plain objects) to test how it is handled.
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      // Tests and stand-ins echo what a client sent; turning it into text is the point, and a bad shape fails the test.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },

  {
    files: ['renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // These two come with react-hooks 7 for the React Compiler, which this app does not use. The patterns they flag
      // are deliberate here: a dialog starts a scan or a load when it opens, which sets state (set-state-in-effect),
      // and the Jobs screen mirrors its drag state into refs during render so its memoised rows' handlers stay
      // stable (refs). Revisit them if the compiler is adopted.
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/refs': 'off',
    },
  },

  prettier,
);
