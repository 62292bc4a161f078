// Lint: typescript-eslint's strict and stylistic rules over src, test and bench (`npm run lint`; `npm test` runs it).
// Formatting is prettier's (see .prettierrc.json), so no formatting rule is enabled here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...tseslint.configs.stylistic,
  // A CommonJS preload (NODE_OPTIONS=--require) is loaded with require by definition.
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    rules: {
      // TypeScript itself reports undefined names (and knows Node's globals from @types/node); typescript-eslint
      // advises turning this core rule off for TypeScript code.
      'no-undef': 'off',
      // `_name` marks a binding kept on purpose (a destructured member left out, an unused parameter of a contract).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
);
