// How long a search may be. A name, its pinyin, an ID number, a phone or a case number fits with room
// to spare; anything longer is a paste gone wrong, refused by the API and cut off by the search boxes.
export const SEARCH_MAX_CHARS = 60;
/** The service-item search (事项名称、拼音、首字母、俗称). */
export const CATALOG_SEARCH_MAX_CHARS = 40;

export function searchTooLongMessage(max: number): string {
  return `搜索内容过长（最多${max}个字）：请只输入姓名、拼音、号码、件号或关键词中的一项`;
}
