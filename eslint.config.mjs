// ESLint (flat config) for the Excel add-in: typescript-eslint's recommended rules plus the rules of
// eslint-plugin-office-addins that catch Office.js mistakes (reading before load and sync, sync in a
// loop, testing for null instead of isNullObject). `npm run lint` checks addin/.
import tseslint from 'typescript-eslint';
import officeAddins from 'eslint-plugin-office-addins';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**'] },
  {
    files: ['addin/**/*.ts'],
    extends: [...tseslint.configs.recommended],
    plugins: { 'office-addins': officeAddins },
    rules: {
      'office-addins/call-sync-after-load': 'error',
      'office-addins/call-sync-before-read': 'error',
      'office-addins/load-object-before-read': 'error',
      'office-addins/no-context-sync-in-loop': 'warn',
      'office-addins/no-empty-load': 'warn',
      'office-addins/no-navigational-load': 'warn',
      'office-addins/no-office-initialize': 'warn',
      'office-addins/test-for-null-using-isNullObject': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
