// What the UI, CLI and prints say next to a date computed for a year without a published holiday
// table (the estimate of domain/statutoryHolidays.ts). Kept apart from that module so the renderer
// can show the words without bundling the lunar calendar library.
export const ESTIMATE_NOTE = '按法定节假日和周末估算（不含调休）';
