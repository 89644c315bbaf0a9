import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { modelJsonSchema } from './schema.js';

const file = fileURLToPath(new URL('../../schema/cvnet-model.v1.schema.json', import.meta.url));

// Regenerate with: CVNET_UPDATE_SCHEMA=1 npx vitest run packages/core/src/model/schema.test.ts
it('published JSON Schema matches the zod schema', () => {
  const expected = `${JSON.stringify(modelJsonSchema(), null, 2)}\n`;
  if (process.env.CVNET_UPDATE_SCHEMA === '1') writeFileSync(file, expected);
  expect(readFileSync(file, 'utf8')).toBe(expected);
});
