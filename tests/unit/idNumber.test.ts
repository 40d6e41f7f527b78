import { describe, expect, it } from 'vitest';
import { parseResidentId, residentIdCheckChar } from '../../domain/idNumber';

// Reference implementation written straight from GB 11643 / ISO 7064 MOD 11-2, independent of the module.
function refCheckChar(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const map = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
  const sum = first17.split('').reduce((acc, c, i) => acc + Number(c) * weights[i], 0);
  return map[sum % 11];
}

function withCheck(first17: string): string {
  return first17 + refCheckChar(first17);
}

const TODAY = { today: '2026-03-01' };

describe('residentIdCheckChar', () => {
  it('matches the GB 11643 example numbers', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
  });

  it('agrees with the reference algorithm on many numbers', () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < 500; i++) {
      const first17 = Array.from({ length: 17 }, () => String(rnd() % 10)).join('');
      expect(residentIdCheckChar(first17)).toBe(refCheckChar(first17));
    }
  });

  it('refuses input that is not 17 digits', () => {
    expect(() => residentIdCheckChar('1101051949123100')).toThrow();
    expect(() => residentIdCheckChar('1101051949123100A')).toThrow();
  });
});

describe('parseResidentId', () => {
  it('accepts the standard example and derives birth date, sex and address code', () => {
    const r = parseResidentId('11010519491231002X', TODAY);
    expect(r).toEqual({
      ok: true,
      value: { id18: '11010519491231002X', birthDate: '1949-12-31', sex: 'female', addressCode: '110105', upgradedFrom15: false },
    });
  });

  it('accepts lower-case x, surrounding spaces and full-width digits from an IME', () => {
    const a = parseResidentId('  11010519491231002x ', TODAY);
    const b = parseResidentId('１１０１０５１９４９１２３１００２Ｘ', TODAY);
    expect(a.ok && a.value.id18).toBe('11010519491231002X');
    expect(b.ok && b.value.id18).toBe('11010519491231002X');
  });

  it('derives sex from the 17th digit (odd = male)', () => {
    const male = parseResidentId(withCheck('15082219850817003'), TODAY);
    const female = parseResidentId(withCheck('15082219850817004'), TODAY);
    expect(male.ok && male.value.sex).toBe('male');
    expect(female.ok && female.value.sex).toBe('female');
    expect(male.ok && male.value.birthDate).toBe('1985-08-17');
  });

  it('rejects a wrong check character with the exact message', () => {
    expect(parseResidentId('110105194912310021', TODAY)).toEqual({
      ok: false,
      error: '身份证号码校验位不正确，请核对最后一位',
    });
    // 150822198508170045 has check 5 per the reference; any other last digit must fail.
    expect(refCheckChar('15082219850817004')).toBe('5');
    expect(parseResidentId('150822198508170046', TODAY).ok).toBe(false);
  });

  it('rejects wrong lengths and non-digits with distinct messages', () => {
    const short = parseResidentId('11010519491231002', TODAY);
    const letters = parseResidentId('1101051949123A002X', TODAY);
    const empty = parseResidentId('   ', TODAY);
    expect(short).toEqual({ ok: false, error: '身份证号码应为18位（旧证为15位），您输入了 17 位' });
    expect(letters).toEqual({ ok: false, error: '身份证号码前17位必须是数字，最后一位是数字或字母X' });
    expect(empty).toEqual({ ok: false, error: '请输入身份证号码' });
  });

  it('rejects impossible dates even when the check character is right', () => {
    const feb30 = parseResidentId(withCheck('11010519900230001'), TODAY);
    const month13 = parseResidentId(withCheck('11010519901301001'), TODAY);
    const month00 = parseResidentId(withCheck('11010519900015001'), TODAY);
    const day00 = parseResidentId(withCheck('11010519900100001'), TODAY);
    expect(feb30.ok).toBe(false);
    expect(!feb30.ok && feb30.error).toContain('出生日期 1990年2月30日 不存在');
    expect(!month13.ok && month13.error).toContain('出生月份“13”不存在');
    expect(!month00.ok && month00.error).toContain('出生月份“00”不存在');
    expect(!day00.ok && day00.error).toContain('不存在');
  });

  it('accepts 29 February only in leap years', () => {
    expect(parseResidentId(withCheck('11010520000229001'), TODAY).ok).toBe(true); // 2000 divisible by 400
    expect(parseResidentId(withCheck('11010519960229001'), TODAY).ok).toBe(true);
    const nonLeap = parseResidentId(withCheck('11010520230229001'), TODAY);
    const century = parseResidentId(withCheck('11010519000229001'), TODAY); // 1900 is not a leap year
    expect(!nonLeap.ok && nonLeap.error).toBe('身份证号码中的出生日期 2023年2月29日 不存在（2023 年不是闰年），请核对第13至14位');
    expect(!century.ok && century.error).toContain('1900 年不是闰年');
  });

  it('rejects birth dates in the future and before 1900', () => {
    const future = parseResidentId(withCheck('11010520260302001'), TODAY);
    const todayBirth = parseResidentId(withCheck('11010520260301001'), TODAY);
    const old = parseResidentId('440524188001010014', TODAY); // valid checksum, born 1880
    expect(!future.ok && future.error).toContain('晚于今天');
    expect(todayBirth.ok).toBe(true);
    expect(old).toEqual({ ok: false, error: '身份证号码中的出生年份 1880 早于 1900 年，请核对第7至10位' });
  });

  it('upgrades a 15-digit legacy number to 18 digits', () => {
    const r = parseResidentId('150822850817003', TODAY);
    const expected = withCheck('15082219850817003');
    expect(r).toEqual({
      ok: true,
      value: { id18: expected, birthDate: '1985-08-17', sex: 'male', addressCode: '150822', upgradedFrom15: true },
    });
    const std = parseResidentId('110105491231002', TODAY);
    expect(std.ok && std.value.id18).toBe('11010519491231002X');
    expect(std.ok && std.value.sex).toBe('female');
  });

  it('rejects a 15-digit number with letters or an impossible date', () => {
    expect(parseResidentId('11010549123100X', TODAY)).toEqual({ ok: false, error: '15位旧身份证号码必须全部是数字' });
    const feb29 = parseResidentId('110105970229001', TODAY);
    expect(!feb29.ok && feb29.error).toContain('1997 年不是闰年');
  });

  it('does not crash on non-string input', () => {
    expect(parseResidentId(undefined as unknown as string).ok).toBe(false);
  });
});
