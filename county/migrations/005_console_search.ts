// County-wide search by catalog item (the village has cases_item; the county copy did not).
export const sql = /* sql */ `
CREATE INDEX cases_item ON cases(item_code, intake_date);
`;
