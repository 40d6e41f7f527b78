import { pinyin } from 'pinyin-pro';

// Search keys for names: full pinyin without tones or spaces ("zhangsan") and initials ("zs").
// Surnames with special readings (单 shan, 曾 zeng…) use pinyin-pro's surname mode.
export function pinyinKeys(name: string): { full: string; initials: string } {
  const clean = name.trim();
  if (!clean) return { full: '', initials: '' };
  const syllables = pinyin(clean, { toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive', v: true });
  const words = syllables.map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, '')).filter(Boolean);
  return { full: words.join(''), initials: words.map((w) => w[0]).join('') };
}
