// 统计用区划代码: 2 province, 2 city, 2 county, 3 township, 3 village.

export type VillageCode = { village: string; township: string; county: string; province: string };

export function parseVillageCode(input: string): { ok: true; value: VillageCode } | { ok: false; error: string } {
  const s = input.trim();
  if (!/^\d{12}$/.test(s)) return { ok: false, error: '村级统计用区划代码应为12位数字，例如 150822101201' };
  if (s.slice(9) === '000') return { ok: false, error: '区划代码末三位为000表示乡镇本级，请填写村（嘎查、社区）的代码' };
  if (s.slice(6, 9) === '000') return { ok: false, error: '区划代码第7至9位（乡镇）不能为000' };
  return { ok: true, value: { village: s, township: s.slice(0, 9), county: s.slice(0, 6), province: s.slice(0, 2) } };
}

export function unitName(p: { countyName: string; townshipName: string; villageName: string }): string {
  return `${p.countyName}${p.townshipName}${p.villageName}便民服务代办点`;
}
