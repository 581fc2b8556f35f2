import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Locator, type Page } from 'playwright-core';

// Debian's chromium (installed by .ci/run with apt-get), headless, with a fresh profile per run and nothing
// that phones home.
export const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface ConsoleBrowser {
  context: BrowserContext;
  /** The console's tab: its console errors and page errors are the walk's problems. */
  page: Page;
  /** Console errors and page errors so far, except the ones `expected` allowed. */
  problems: string[];
  /** Allows console errors whose text or resource URL matches, while `during` runs. */
  expectErrors<T>(pattern: RegExp, during: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<ConsoleBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the console's browser tests need Chromium at ${CHROMIUM}: apt-get install -y chromium (as .ci/run does), or set CHROMIUM_PATH`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'aigw-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  const allowed: RegExp[] = [];
  const describe = (msg: ConsoleMessage) => `${msg.text()} ${msg.location().url}`;
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = describe(msg);
    if (!allowed.some((pattern) => pattern.test(text))) problems.push(`console error: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return {
    context,
    page,
    problems,
    async expectErrors(pattern, during) {
      allowed.push(pattern);
      try {
        return await during();
      } finally {
        allowed.splice(allowed.indexOf(pattern), 1);
      }
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * With CONSOLE_SCREENSHOTS=1, saves the page as docs/console/<name>.png (the README shows them); `secrets` are
 * painted over (a key's secret shown once), so that no picture holds a usable one.
 */
export async function screenshot(page: Page, name: string, secrets: Locator[] = []): Promise<void> {
  if (process.env['CONSOLE_SCREENSHOTS'] !== '1') return;
  const path = join(import.meta.dirname, '..', '..', '..', 'docs', 'console', `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: false, mask: secrets, maskColor: '#1f2937' });
}

/** Logs the console's tab in with the admin token and waits for the overview. */
export async function logIn(page: Page, ui: string, adminToken: string): Promise<void> {
  await page.goto(`${ui}/`);
  await page.getByTestId('login-token').fill(adminToken);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('page-overview').waitFor();
}
