import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', 'examples/**/node_modules/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly'},
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_'}],
    },
  },
  {
    // A command reads the environment its terminal was given, so a test's env is the whole truth.
    files: ['src/commands/**/*.ts', 'src/cli/**/*.ts', 'src/render/**/*.ts'],
    ignores: ['src/render/terminal.ts'],
    rules: {'no-restricted-properties': ['error', {object: 'process', property: 'env', message: 'read this.term.env (Terminal.env)'}]},
  },
  {
    // bin/ is CommonJS (bin/package.json).
    files: ['**/*.cjs', 'bin/**/*.js'],
    languageOptions: {sourceType: 'commonjs', globals: {require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly'}},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
)
