// Type-aware lint (typescript-eslint's recommendedTypeChecked, projectService) and the layer rules of
// the source tree: which folder of src/ may import which (see the layout in CONTRIBUTING.md).
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** `no-restricted-imports` for a folder of src/: `groups` are the forbidden import patterns. */
function layer(files, groups, message) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }]
    }
  }
}

const ACTIONS = '@actions/*'
const folders = name => [`../${name}/*`, `../../${name}/*`, `**/src/${name}/*`]

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'build/**', '.tmp/**', 'eslint.config.js', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      ecmaVersion: 2022,
      sourceType: 'module',
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off'
    }
  },
  {
    // Tests and test support read untyped JSON (API bodies, fake logs, outputs) on purpose: the unsafe-*
    // rules would demand a cast on every `JSON.parse`; the asserted values are checked by expect().
    files: ['__tests__/**/*.ts', 'test-support/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // expect(obj.method) and jest mocks pass methods unbound on purpose.
      '@typescript-eslint/unbound-method': 'off',
      // Fakes implement Promise-returning ports (Transport, ConfluentApi) with `async` and no await.
      '@typescript-eslint/require-await': 'off'
    }
  },
  // Layers (preamble: "src/action/ is the ONLY place importing @actions/*"; model imports nothing else).
  layer(['src/**/*.ts'], [ACTIONS], 'Only src/action/** imports @actions/*: the core is handed ports (src/model/ports.ts).'),
  {
    files: ['src/action/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' }
  },
  layer(
    ['src/model/**/*.ts'],
    [ACTIONS, ...['action', 'confluent', 'http', 'report', 'secrets', 'stages'].flatMap(folders), '../pipeline.js', '../index.js'],
    'src/model/ holds types only and imports nothing else from src/.'
  ),
  layer(
    ['src/http/**/*.ts'],
    [ACTIONS, ...['confluent', 'stages', 'report', 'action'].flatMap(folders), '../pipeline.js'],
    'src/http/ knows nothing of Confluent, the stages, the report or the action.'
  ),
  layer(
    ['src/confluent/**/*.ts'],
    [ACTIONS, ...['stages', 'report', 'action'].flatMap(folders), '../pipeline.js'],
    'src/confluent/ implements the ConfluentApi port; it knows nothing of the stages, the report or the action.'
  ),
  layer(
    ['src/stages/**/*.ts'],
    [ACTIONS, ...['action', 'report', 'confluent', 'http'].flatMap(folders), '../pipeline.js'],
    'src/stages/ knows nothing of the action layer or the report, and reaches the API only through the ConfluentApi port.'
  ),
  layer(
    ['src/report/**/*.ts'],
    [ACTIONS, ...['action', 'stages'].flatMap(folders), '../pipeline.js'],
    'src/report/ formats an Outcome; it imports nothing from the action layer or the stages.'
  )
)
