import type { ConsolePage } from './console-page.js';

/**
 * Audits the page (screenshot + axe-core) in the light theme, then in the dark one through
 * the header's toggle, and toggles back: both themes must pass. Starts from the light theme
 * (headless Chromium prefers light, and the suites toggle back after a dark step).
 */
export async function auditInBothThemes(browser: ConsolePage, name: string): Promise<void> {
  await browser.audit(`${name}-light`);
  const toggle = browser.page.getByRole('button', { name: 'Dark theme' });
  await toggle.click();
  try {
    await browser.audit(`${name}-dark`);
  } finally {
    await toggle.click();
  }
}
