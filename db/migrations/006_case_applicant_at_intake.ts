// Each case keeps its applicant's name and phone as they were at intake, so the case's own prints
// (受理回执, 代办件记录, the monthly 《行政服务代办记录》) reprint exactly as they were signed even after
// the person's record is corrected later. Existing cases take the applicant's current values: that is
// what their prints showed until now.
export const sql = /* sql */ `
ALTER TABLE cases ADD COLUMN intake_applicant_name TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN intake_applicant_phone TEXT NOT NULL DEFAULT '';
UPDATE cases SET
  intake_applicant_name = COALESCE((SELECT a.name FROM applicants a WHERE a.id = cases.applicant_id), ''),
  intake_applicant_phone = COALESCE((SELECT a.phone FROM applicants a WHERE a.id = cases.applicant_id), '');
`;
