// Kept equal to package.json's version by __tests__/metadata.test.ts.
export const VERSION = '0.1.0'
