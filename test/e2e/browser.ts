import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Real headless Chromium from the system (CI installs the Debian package). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A patient in UTC with an en-GB browser (24-hour times): the doctors in these tests work in
 * Melbourne, so the widget shows both clocks.
 */
export const patientContext: BrowserContextOptions = {
  locale: 'en-GB',
  timezoneId: 'UTC',
  viewport: { width: 1280, height: 900 },
};

export interface PageProblems {
  /** Console errors, uncaught exceptions and CSP violations, in order. */
  list: string[];
}

/**
 * Opens a page that records what should never happen on it: uncaught errors, console errors
 * other than failed requests a test caused on purpose, and Content-Security-Policy violations.
 */
export async function openPage(context: BrowserContext, allowConsole: RegExp[] = []): Promise<{ page: Page; problems: PageProblems }> {
  const problems: PageProblems = { list: [] };
  await context.exposeFunction('__reportViolation', (text: string) => problems.list.push(`csp: ${text}`)).catch(() => {});
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __reportViolation(t: string): void }).__reportViolation(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.list.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !allowConsole.some((re) => re.test(msg.text()))) problems.list.push(`console: ${msg.text()}`);
  });
  return { page, problems };
}

export interface Focused {
  tag: string;
  id: string;
  type: string;
  /** Its label's text, aria-label, or own text. */
  name: string;
  value: string;
  checked: boolean;
}

/** The element with the keyboard focus, looking inside shadow roots. */
export function focused(page: Page): Promise<Focused | null> {
  return page.evaluate(() => {
    let el = document.activeElement as HTMLElement | null;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement as HTMLElement;
    if (!el || el === document.body) return null;
    const input = el as HTMLInputElement;
    const labels = input.labels ? Array.from(input.labels, (l) => l.textContent ?? '').join(' ') : '';
    const name = (labels || el.getAttribute('aria-label') || el.textContent || '').replace(/\s+/g, ' ').trim();
    return { tag: el.tagName.toLowerCase(), id: el.id, type: input.type ?? '', name, value: input.value ?? '', checked: Boolean(input.checked) };
  });
}

/** Presses Tab (or Shift+Tab) until the focused element matches; fails after `max` presses. */
export async function tabTo(page: Page, what: string, matches: (f: Focused) => boolean, options: { back?: boolean; max?: number } = {}): Promise<Focused> {
  const trail: string[] = [];
  for (let i = 0; i < (options.max ?? 40); i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (f && matches(f)) return f;
    trail.push(f ? `${f.tag}#${f.id}(${f.name.slice(0, 30)})` : 'nothing');
  }
  assert.fail(`could not Tab to ${what}; focus went: ${trail.join(' > ')}`);
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page as it is now, shadow roots
 * included. axe goes in through page.evaluate: the page's CSP (Trusted Types, no inline
 * script) rightly refuses page.addScriptTag, and bypassing the CSP would hide real problems.
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`);
}

export const artifactDir = join(__dirname, '..', 'artifacts');

/** Full-page screenshots at a phone's and a laptop's width, into test/artifacts/. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(artifactDir, { recursive: true });
  const original = page.viewportSize();
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.screenshot({ path: join(artifactDir, `${name}-${width}.png`), fullPage: true, animations: 'disabled' });
  }
  if (original) await page.setViewportSize(original);
}

/** Asserts the state passes axe (no serious or critical violations) and records it on screen. */
export async function checkState(page: Page, name: string, shoot = true): Promise<void> {
  assert.deepEqual(await seriousA11yViolations(page), [], `accessibility violations in state "${name}"`);
  if (shoot) await screenshots(page, name);
}
