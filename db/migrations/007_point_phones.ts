// The point's 咨询电话/投诉电话 were stored as typed ("139 0478 1234", "0478 8412345") until the
// one phone rule (domain/phone.ts) normalised them on the way in. This brings stored values to
// the same form: mobiles as 11 digits, landlines as 区号-号码, service numbers (12345) as digits.
// Anything the rule would not recognise unambiguously (extensions, full-width digits, garbage) is
// left as it was: formatPhone still shows it, and the next edit normalises it.
// The point row is this laptop's settings, not a synced record, so plain SQL is the right tool.
// Agents' phones (a synced table) are not rewritten here: that would bypass the change writer;
// the masked and grouped displays parse whatever form is stored.

const cleaned = (col: string) =>
  `replace(replace(replace(replace(replace(replace(trim(${col}), ' ', ''), '-', ''), '(', ''), ')', ''), '（', ''), '）', '')`;

const D = '[0-9]';
const normalised = (col: string) => /* sql */ `
  (SELECT CASE
     WHEN d GLOB '1${D.repeat(10)}' THEN d
     WHEN d GLOB '123${D}${D}' OR d IN ('110', '119', '120', '122') THEN d
     WHEN d GLOB '0[12]${D}[1-9]${D.repeat(6)}' OR d GLOB '0[12]${D}[1-9]${D.repeat(7)}' THEN substr(d, 1, 3) || '-' || substr(d, 4)
     WHEN d GLOB '0[3-9]${D}${D}[1-9]${D.repeat(6)}' OR d GLOB '0[3-9]${D}${D}[1-9]${D.repeat(7)}' THEN substr(d, 1, 4) || '-' || substr(d, 5)
     ELSE ${col}
   END FROM (SELECT ${cleaned(col)} AS d))`;

export const sql = /* sql */ `
UPDATE point SET
  consult_phone = ${normalised('consult_phone')},
  complaint_phone = ${normalised('complaint_phone')}
WHERE id = 1;
`;
