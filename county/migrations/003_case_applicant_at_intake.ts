// The village's cases carry the applicant's name and phone as at intake (village migration
// 005_case_applicant_at_intake); the county keeps the same columns so batches carrying them import,
// and fills them for cases it already holds from the applicant's current values.
export const sql = /* sql */ `
ALTER TABLE cases ADD COLUMN intake_applicant_name TEXT DEFAULT '';
ALTER TABLE cases ADD COLUMN intake_applicant_phone TEXT DEFAULT '';
UPDATE cases SET
  intake_applicant_name = COALESCE((SELECT a.name FROM applicants a WHERE a.id = cases.applicant_id), ''),
  intake_applicant_phone = COALESCE((SELECT a.phone FROM applicants a WHERE a.id = cases.applicant_id), '');
`;
