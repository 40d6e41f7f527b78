import { describe, expect, it } from 'vitest';
import { parsePhone } from '../../domain/phone';

const mobile = (phone: string) => ({ ok: true, value: { phone, kind: 'mobile' } });
const landline = (phone: string) => ({ ok: true, value: { phone, kind: 'landline' } });

describe('parsePhone', () => {
  it('accepts mobiles with spaces, dashes, full-width digits and +86', () => {
    expect(parsePhone('13812345678')).toEqual(mobile('13812345678'));
    expect(parsePhone('138 1234 5678')).toEqual(mobile('13812345678'));
    expect(parsePhone('138-1234-5678')).toEqual(mobile('13812345678'));
    expect(parsePhone('１３８１２３４５６７８')).toEqual(mobile('13812345678'));
    expect(parsePhone('+86 138 1234 5678')).toEqual(mobile('13812345678'));
    expect(parsePhone('008613812345678')).toEqual(mobile('13812345678'));
  });

  it('rejects mobiles of the wrong length', () => {
    expect(parsePhone('1381234567')).toEqual({ ok: false, error: '手机号码应为11位数字，您输入了 10 位' });
    expect(parsePhone('138123456789').ok).toBe(false);
  });

  it('normalises landlines to 区号-号码', () => {
    expect(parsePhone('0476-1234567')).toEqual(landline('0476-1234567'));
    expect(parsePhone('04761234567')).toEqual(landline('0476-1234567'));
    expect(parsePhone('(0476)1234567')).toEqual(landline('0476-1234567'));
    expect(parsePhone('（0476）1234567')).toEqual(landline('0476-1234567'));
    expect(parsePhone('0476 123 4567')).toEqual(landline('0476-1234567'));
    expect(parsePhone('010-62345678')).toEqual(landline('010-62345678'));
    expect(parsePhone('01062345678')).toEqual(landline('010-62345678'));
    expect(parsePhone('02187654321')).toEqual(landline('021-87654321'));
    expect(parsePhone('0476－1234567')).toEqual(landline('0476-1234567'));
  });

  it('rejects malformed landlines', () => {
    expect(parsePhone('047-61234567')).toEqual({
      ok: false,
      error: '区号“047”不正确，区号为0开头的3到4位数字，例如 0476-1234567',
    });
    expect(parsePhone('0476-123456')).toEqual({ ok: false, error: '固定电话号码应为区号加7到8位号码，例如 0476-1234567' });
    expect(parsePhone('0476-0123456').ok).toBe(false);
    expect(parsePhone('0476-1234567-801').ok).toBe(false);
  });

  it('asks for the area code when a local number is given alone', () => {
    expect(parsePhone('1234567').ok).toBe(false);
    expect(parsePhone('8234567')).toEqual({ ok: false, error: '固定电话请加上区号，例如 0476-1234567' });
  });

  it('rejects empty input, letters and foreign numbers', () => {
    expect(parsePhone('  ')).toEqual({ ok: false, error: '请输入联系电话' });
    expect(parsePhone('138abc45678')).toEqual({ ok: false, error: '电话号码只能包含数字，可以用空格、短横线或括号分隔' });
    expect(parsePhone('+1 415 555 0100')).toEqual({ ok: false, error: '只支持中国大陆的电话号码（+86）' });
    expect(parsePhone('12345').ok).toBe(false);
  });
});
