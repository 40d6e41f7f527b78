// The folder stack (domain ← db ← print / sync ← api ← shells) is enforced by `npm run lint`:
// a wrong-way import must fail lint, a right-way one must pass.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('layer rule', () => {
  it('refuses the data layer importing the API', async () => {
    const errors = await layerErrors('db/layerProbe.ts', "import { API_INPUTS } from '../api/contract';\nexport const x = API_INPUTS;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('db/ 只能引用 domain/ 和 db/');
  });

  it('refuses the county importing village-only sync code', async () => {
    const errors = await layerErrors('county/layerProbe.ts', "import { applyReply } from '../sync/village/reply';\nexport const y = applyReply;\n");
    expect(errors).toHaveLength(1);
  });

  it('refuses domain importing db, and the renderer importing the register', async () => {
    expect(await layerErrors('domain/layerProbe.ts', "import { Register } from '../db/register';\nexport const z = Register;\n")).toHaveLength(1);
    expect(
      await layerErrors('renderer/src/layerProbe.ts', "import { Register } from '../../db/register';\nexport const z = Register;\n"),
    ).toHaveLength(1);
  });

  it('allows imports downward', async () => {
    expect(await layerErrors('api/layerProbe.ts', "import { Register } from '../db/register';\nexport const z = Register;\n")).toEqual([]);
    expect(await layerErrors('county/layerProbe.ts', "import { splitContainer } from '../sync/wire/container';\nexport const z = splitContainer;\n")).toEqual([]);
  });
});
