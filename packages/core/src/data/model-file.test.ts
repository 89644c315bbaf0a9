import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeModel, networkToModel } from '../model/model.js';
import { createNetwork } from '../network/init.js';
import { readModelFile } from './model-file.js';

const dir = mkdtempSync(join(tmpdir(), 'cvnet-model-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = serializeModel(
  networkToModel(createNetwork({ inputs: 2, sizes: [3, 1], transfers: ['tansig', 'logsig'] }, { seed: 1 }), {
    inputs: { names: ['a', 'b'], min: [0, 0], max: [1, 1] },
    outputs: { names: ['K'] },
  }),
);

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('readModelFile', () => {
  it('reads a file with a UTF-8 byte order mark as the same file without it', async () => {
    expect(await readModelFile(file('bom.json', `\uFEFF${text}`))).toStrictEqual(await readModelFile(file('plain.json', text)));
  });

  it('reports broken JSON in one line, also where the parser quotes text with line breaks', async () => {
    const path = file('broken.json', '{\n  "format":\n  tru\n}\n');
    const error = await readModelFile(path).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON \\(.+\\)$`));
    expect(error?.message).not.toMatch(/[\r\n]/);
  });
});
