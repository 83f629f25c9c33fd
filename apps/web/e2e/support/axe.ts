import axe from 'axe-core';
import type { Frame, Page } from 'playwright-core';

export type Finding = { rule: string; impact: string; help: string; targets: string[] };

/**
 * Runs axe-core (WCAG 2.1 A/AA and best practices) on the page as it is now and
 * returns the serious and critical findings, each with where it was found. The
 * source goes in through the DevTools protocol, which the page's CSP does not govern.
 */
export async function seriousA11yFindings(page: Page | Frame): Promise<Finding[]> {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const runner = (window as unknown as { axe: typeof axe }).axe;
    const results = await runner.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
      resultTypes: ['violations'],
    });
    return results.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
