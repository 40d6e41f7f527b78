import { describe, expect, it } from 'vitest';
import { decodeHlc, encodeHlc, receiveHlc, tickHlc } from '../../domain/hlc';
import { uuidv7 } from '../../domain/ids';
import { formatCaseNumber, parseCaseNumber } from '../../domain/caseNumber';
import { pinyinKeys } from '../../domain/pinyin';
import { parseVillageCode, unitName } from '../../domain/villageCode';

describe('hybrid logical clock', () => {
  it('keeps moving forward when the wall clock goes backwards', () => {
    const a = tickHlc(null, 1_000, 'n1');
    const b = tickHlc(a, 500, 'n1');
    expect(encodeHlc(b) > encodeHlc(a)).toBe(true);
    expect(b).toEqual({ ms: 1_000, counter: 1, node: 'n1' });
  });
  it('orders a receive after the remote timestamp even when the local clock is days behind', () => {
    const remote = { ms: 10 * 86_400_000, counter: 3, node: 'county' };
    const local = tickHlc(null, 7 * 86_400_000, 'village');
    const after = receiveHlc(local, remote, 7 * 86_400_000, 'village');
    expect(encodeHlc(after) > encodeHlc(remote)).toBe(true);
    expect(decodeHlc(encodeHlc(after))).toEqual(after);
  });
  it('rejects a malformed timestamp', () => {
    expect(() => decodeHlc('yesterday')).toThrow(/时钟戳/);
  });
});

describe('ids and numbers', () => {
  it('makes UUIDv7 ids that sort by time and do not collide', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('formats and parses case numbers carrying the village code', () => {
    const no = formatCaseNumber('150822101201', '2026-11-21', 7);
    expect(no).toBe('150822101201-20261121-007');
    expect(parseCaseNumber(no)).toEqual({ villageCode: '150822101201', date: '2026-11-21', letter: '', seq: 7 });
    expect(() => formatCaseNumber('1508221012', '2026-11-21', 1)).toThrow(/12位/);
  });
  it('derives pinyin search keys, including surname readings', () => {
    expect(pinyinKeys('张三')).toEqual({ full: 'zhangsan', initials: 'zs' });
    expect(pinyinKeys('单雄信').full.startsWith('shan')).toBe(true);
    expect(pinyinKeys('曾小红').initials).toBe('zxh');
  });
  it('validates village codes and names the unit in full', () => {
    expect(parseVillageCode('150822101201')).toEqual({ ok: true, value: { village: '150822101201', township: '150822101', county: '150822', province: '15' } });
    expect(parseVillageCode('15082210120').ok).toBe(false);
    expect(parseVillageCode('150822101000').ok).toBe(false);
    expect(unitName({ countyName: '五原县', townshipName: '巴彦镇', villageName: '红旗村' })).toBe('五原县巴彦镇红旗村便民服务代办点');
  });
});
