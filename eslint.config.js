import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

// The folders stack one way: domain ← db ← print / sync ← api ← shells (electron, web, cli, county).
// A module may import from its own layer and the ones below it, never above; the renderer (a browser
// bundle) sees only domain/ and the API's types. Drawn in the README.
const SHELLS = ['./electron', './web', './cli', './county', './renderer'];
const layerZones = [
  { target: './domain', from: ['./db', './print', './sync', './api', ...SHELLS], message: 'domain/ 是最底层：只能引用 domain/ 自己。' },
  { target: './db', from: ['./print', './sync', './api', ...SHELLS], message: 'db/ 只能引用 domain/ 和 db/。' },
  { target: './print', from: ['./sync', './api', ...SHELLS], message: 'print/ 只能引用 domain/、db/ 和 print/。' },
  { target: './sync', from: ['./print', './api', ...SHELLS], message: 'sync/ 只能引用 domain/、db/ 和 sync/。' },
  { target: './sync/wire', from: ['./sync/village'], message: 'sync/wire/（两端共用的格式）不能引用村端的 sync/village/。' },
  { target: './api', from: SHELLS, message: 'api/ 不能引用外壳（electron、web、cli、county、renderer）。' },
  { target: './county', from: ['./sync/village', './electron', './web', './cli', './renderer'], message: 'county/ 只依赖 sync/wire/（两端共用的部分），不依赖村端代码或其他外壳。' },
  { target: ['./electron', './web'], from: ['./cli', './county', './renderer'], message: '外壳之间互不引用。' },
  {
    target: './renderer',
    from: ['./db', './sync', './print', './electron', './web', './cli'],
    message: 'renderer/ 在浏览器里运行：只能引用 domain/ 和 api/ 的类型。',
  },
  {
    // The county console (renderer/county/) speaks the console contract, the one county file meant for a browser.
    target: './renderer',
    from: './county',
    except: ['./console/contract.ts', './console/types.ts'],
    message: 'renderer/ 在浏览器里运行：县级控制台只能引用 county/console/ 的 contract.ts 和 types.ts。',
  },
];

export default tseslint.config(
  { ignores: ['node_modules', 'dist-renderer', 'dist-electron', 'dist-web', 'dist-county', 'dist-cli', 'native', 'release', 'test-results', 'playwright-report', '.tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })] },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: layerZones }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
);
