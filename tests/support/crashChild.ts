// Child process for tests/integration/crash.test.ts: writes to the register through the API as
// fast as it can (intakes, status changes, follow-ups, visits) until it is killed with SIGKILL.
// After each call returns — i.e. after its transaction committed — it prints one line:
//   C <caseId>            case created
//   T <caseId> <action>   status change
//   F <caseId> <kind>     follow-up recorded
//   V <visitId>           visit registered
// Lines go out with a synchronous write so a printed line always means "committed before the kill".
import fs from 'node:fs';
import { randomInt } from 'node:crypto';
import { Register } from '../../db/register';
import { createContext } from '../../api/context';
import { createDaibanApi } from '../../api/service';
import { residentIdCheckChar } from '../../domain/idNumber';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: crashChild.ts DATA_DIR');
  process.exit(2);
}

const say = (line: string) => fs.writeSync(1, `${line}\n`);

function randomIdNumber(): string {
  const y = randomInt(1940, 2006);
  const m = String(randomInt(1, 13)).padStart(2, '0');
  const d = String(randomInt(1, 29)).padStart(2, '0');
  const first17 = `150822${y}${m}${d}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

const open = () => Register.open({ dataDir });
const reg = await open();
const ctx = createContext({ open, initial: reg, shell: 'web' });
const api = createDaibanApi(ctx);
const state = await api.getAppState({});
if (!state.initialized) {
  console.error('register not set up');
  process.exit(3);
}
await api.signIn({ agentId: state.agents[0].id, pin: '135246' });
const items = ['MZ-0003', 'YB-0001', 'RS-0001', 'MZ-0001'];
const catalog = await Promise.all(items.map((code) => api.getCatalogItem({ code })));
say('READY');

for (let i = 0; ; i++) {
  const item = catalog[i % catalog.length];
  const deferred = item.materials.find((m) => m.deferrable);
  const c = await api.createCase({
    applicant: { kind: 'person', name: '测试', idNumber: randomIdNumber(), phone: `139${String(randomInt(0, 1e8)).padStart(8, '0')}`, villageGroup: '第一村民小组' },
    itemCode: item.code,
    handlingMode: 'proxy',
    materials: item.materials.map((m) => ({
      ...m,
      state: m === deferred ? ('deferred' as const) : ('both' as const),
      promisedDate: m === deferred ? '2099-01-01' : null,
      custody: 'none' as const,
    })),
  });
  say(`C ${c.id}`);
  await api.recordFollowup({ caseId: c.id, kind: 'feedback', method: 'phone', reached: true, comment: '已告知进度' });
  say(`F ${c.id} feedback`);
  if (i % 3 === 2) {
    await api.transitionCase({ id: c.id, action: 'withdraw', reason: '申请人主动撤回' });
    say(`T ${c.id} withdraw`);
    continue;
  }
  await api.transitionCase({ id: c.id, action: 'handUp', handedTo: '巴彦镇便民服务中心' });
  say(`T ${c.id} handUp`);
  await api.transitionCase({ id: c.id, action: 'decide', decision: 'approved', note: '准予' });
  say(`T ${c.id} decide`);
  await api.recordFollowup({ caseId: c.id, kind: 'returnVisit', method: 'phone', reached: true, rating: i % 5 === 0 ? 4 : 1, comment: '' });
  say(`F ${c.id} returnVisit`);
  const v = await api.createVisit({ visitorName: '来访人', channel: 'phone', category: 'consult', summary: '咨询医保缴费', handling: 'answered' });
  say(`V ${v.id}`);
}
