import { readFileSync } from 'node:fs';
import { createWorkCalendar, holidayTablesFromJson, type HolidayTable, type WorkCalendar } from './workCalendar';

// Kept apart from workCalendar.ts so the calendar logic stays free of fs and can run anywhere
// (renderer, tests, county server); only Node-side callers need the bundled file.
const HOLIDAYS_URL = new URL('../data/holidays-cn.json', import.meta.url);

/** Reads and validates data/holidays-cn.json shipped with the app. Throws a Chinese-message Error if it is unusable. */
export function loadBundledHolidayTables(): HolidayTable[] {
  let text: string;
  try {
    text = readFileSync(HOLIDAYS_URL, 'utf8');
  } catch (e) {
    throw new Error(`无法读取随软件附带的节假日数据（data/holidays-cn.json）：${e instanceof Error ? e.message : String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('随软件附带的节假日数据（data/holidays-cn.json）不是有效的 JSON');
  }
  return holidayTablesFromJson(json);
}

let cached: WorkCalendar | undefined;

/** Calendar built from the bundled tables only; tables received later by sync need createWorkCalendar. */
export function defaultWorkCalendar(): WorkCalendar {
  // The calendar is immutable, so one instance can be shared and the file read once.
  cached ??= createWorkCalendar(loadBundledHolidayTables());
  return cached;
}

const CATALOG_URL = new URL('../data/catalog-demo.json', import.meta.url);

/** The demo catalog shipped with the app (untyped JSON; db/catalog.ts validates it). */
export function loadBundledCatalog(): unknown {
  try {
    return JSON.parse(readFileSync(CATALOG_URL, 'utf8'));
  } catch (e) {
    throw new Error(`无法读取随软件附带的事项目录（data/catalog-demo.json）：${e instanceof Error ? e.message : String(e)}`);
  }
}
