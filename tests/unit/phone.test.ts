import { describe, expect, it } from 'vitest';
import { formatPhone, normalisePhoneField, parsePhone } from '../../domain/phone';
import { maskPhone } from '../../domain/mask';

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
    expect(parsePhone('0476-123-45').ok).toBe(false);
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

describe('one phone rule for every field', () => {
  it('accepts a landline with an extension written with 转, 分机, ext, # or a third dash group', () => {
    for (const typed of ['0478-8412345-801', '0478 8412345 转 801', '0478-8412345转801', '(0478)8412345 分机 801', '0478-8412345 ext. 801', '04788412345#801']) {
      expect(parsePhone(typed), typed).toEqual(landline('0478-8412345-801'));
    }
    // A dashed group that only makes sense as part of the local number is not an extension.
    expect(parsePhone('0476-123-4567')).toEqual(landline('0476-1234567'));
    expect(parsePhone('010-6234-5678')).toEqual(landline('010-62345678'));
  });

  it('refuses an extension after a mobile or without an area code, saying where it belongs', () => {
    expect(parsePhone('13904781234 转 801')).toEqual({ ok: false, error: '分机号只能跟在带区号的固定电话后面，例如 0478-8412345 转 801' });
    expect(parsePhone('8412345 转 801').ok).toBe(false);
  });

  it('accepts 12345 and the other government service numbers only where the field allows them', () => {
    for (const n of ['12345', '12315', '12348', '12333', '110', '120']) {
      expect(parsePhone(n, { allowService: true }), n).toEqual({ ok: true, value: { phone: n, kind: 'service' } });
    }
    expect(parsePhone('１２３４５', { allowService: true })).toEqual({ ok: true, value: { phone: '12345', kind: 'service' } });
    expect(parsePhone('12345')).toEqual({
      ok: false,
      error: '12345 是政务服务热线或紧急求助等特服号码，这里请填写本人的手机或带区号的固定电话',
    });
    // Not every short number is a service number.
    expect(parsePhone('12245', { allowService: true }).ok).toBe(false);
    expect(parsePhone('1234', { allowService: true })).toEqual({
      ok: false,
      error: '手机号码应为11位数字，您输入了 4 位；政务服务热线等特服号码为 12345、12315 这样的5位号码',
    });
  });

  it('shows stored numbers grouped, whatever form they were stored in', () => {
    expect(formatPhone('13904781234')).toBe('139 0478 1234');
    expect(formatPhone('139 0478 1234')).toBe('139 0478 1234');
    expect(formatPhone('139-0478-1234')).toBe('139 0478 1234');
    expect(formatPhone('0478-8412345')).toBe('0478-8412345');
    expect(formatPhone('04788412345')).toBe('0478-8412345');
    expect(formatPhone('0478-8412345-801')).toBe('0478-8412345 转 801');
    expect(formatPhone('12345')).toBe('12345');
    expect(formatPhone('')).toBe('');
    expect(formatPhone('  问村委会 ')).toBe('问村委会');
  });

  it('normalises an optional field for storage and names the field when it is wrong', () => {
    expect(normalisePhoneField('139 0478 1234', '咨询电话')).toBe('13904781234');
    expect(normalisePhoneField('0478 8412345 转 801', '咨询电话')).toBe('0478-8412345-801');
    expect(normalisePhoneField('12345', '投诉电话', { allowService: true })).toBe('12345');
    expect(normalisePhoneField('  ', '咨询电话')).toBe('');
    expect(normalisePhoneField(undefined, '咨询电话')).toBe('');
    expect(() => normalisePhoneField('139 0478 123', '投诉电话', { allowService: true })).toThrow(/^投诉电话不正确：手机号码应为11位数字，您输入了 10 位/);
  });

  it('masks a landline extension without hiding the desk it reaches', () => {
    expect(maskPhone('0478-8412345-801')).toBe('0478-*****45 转 801');
  });
});
