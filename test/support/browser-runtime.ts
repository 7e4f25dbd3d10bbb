// Headless Debian Chromium driven by playwright-core, for end-to-end tests of editor UIs.
//
//   const b = await launchBrowser();
//   const p = await b.open(`${nodeRed.url}/`);
//   await p.page.waitForSelector('.red-ui-palette-node');
//   await p.screenshot('/tmp/editor.png');
//   await b.close();
//
// Chromium comes from apt (scripts/tools/chromium.js installs it; env MDCA_CHROMIUM overrides the
// path). Nothing is downloaded by playwright itself.
import * as fs from 'fs';
import * as path from 'path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface BrowserOptions {
  /** Defaults to env MDCA_CHROMIUM or /usr/bin/chromium. */
  executablePath?: string;
  /** Extra Chromium switches. */
  args?: string[];
  viewport?: { width: number; height: number };
  /** Default timeout for page actions in ms (default 30000). */
  timeoutMs?: number;
}

export interface PageHelper {
  readonly page: Page;
  goto(url: string): Promise<void>;
  /** Full-page PNG at `file` (folders created); returns the path. */
  screenshot(file: string): Promise<string>;
  /** Console messages and page errors seen so far. */
  consoleLog(): string[];
  close(): Promise<void>;
}

export interface BrowserSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  /** New tab, optionally navigated to `url` (waits for the load event). */
  open(url?: string): Promise<PageHelper>;
  close(): Promise<void>;
}

export function chromiumPath(explicit?: string): string {
  const p = explicit ?? process.env.MDCA_CHROMIUM ?? '/usr/bin/chromium';
  if (!fs.existsSync(p)) {
    throw new Error(`${p} not found: run \`node scripts/tools/chromium.js\` (apt-get install -y chromium, as root)`);
  }
  return p;
}

export async function launchBrowser(options: BrowserOptions = {}): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(options.executablePath),
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
  context.setDefaultTimeout(options.timeoutMs ?? 30000);
  return {
    browser,
    context,
    async open(url?: string) {
      const page = await context.newPage();
      const messages: string[] = [];
      page.on('console', (m) => messages.push(`[${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => messages.push(`[pageerror] ${e.message}`));
      const helper: PageHelper = {
        page,
        async goto(u: string) {
          await page.goto(u, { waitUntil: 'load' });
        },
        async screenshot(file: string) {
          fs.mkdirSync(path.dirname(file), { recursive: true });
          await page.screenshot({ path: file, fullPage: true });
          return file;
        },
        consoleLog: () => [...messages],
        close: () => page.close(),
      };
      if (url) await helper.goto(url);
      return helper;
    },
    async close() {
      await context.close().catch(() => undefined);
      await browser.close();
    },
  };
}
