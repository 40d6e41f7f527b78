// Every figure on 统计 explains itself (from the definitions in domain/statistics.ts), and a rate shown
// as "—" says why instead of a bare "0 / 0".
import { test, expect, screenshot } from './fixtures';
import { readyToWork } from './helpers';

test('统计 explains every figure and why a rate is “—”', async ({ page, shell }) => {
  await readyToWork(page, shell.url);
  await page.getByTestId('nav-statistics').click();
  const card = page.getByTestId('figure-completionRate');
  await expect(page.getByTestId('figure-completionRate-value')).toHaveText('—');
  await expect(page.getByTestId('figure-completionRate-sub')).toHaveText('应办结为 0，无从计算');
  await expect(card).toHaveAccessibleDescription(/本期应办结为 0，办结率无从计算.*办结率 = 应办已办结 ÷ 应办结/);
  await expect(page.getByTestId('figure-completed')).toHaveAccessibleDescription(/办结：办结日期在统计期内的代办件/);
  // The same help on hover or keyboard focus.
  await card.focus();
  await expect(page.getByRole('tooltip')).toContainText('办结率 = 应办已办结 ÷ 应办结');
  await screenshot(page, 'statistics-help');
});
