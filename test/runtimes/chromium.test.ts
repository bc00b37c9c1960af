/**
 * Chromium (Debian's, driven by playwright-core): a page built by Vite, as a user's browser app
 * is, and served from one loopback origin, runs the packed SDK against the mock server on another
 * origin, so every call goes through a CORS preflight. The page also proves the
 * `dangerouslyAllowBrowser` guard.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  expectReport,
  installedApp,
  scenarioConfig,
  SETUP_TIMEOUT,
  type App,
  type MockServer,
} from './harness.js';

// `apt-get install -y chromium` (done by .ci/run). Missing, the launch fails: no silent skip.
const CHROMIUM = '/usr/bin/chromium';

let app: App;
let mock: MockServer;
let site: Server;
let origin: string;
let browser: Browser;
beforeAll(async () => {
  app = await installedApp();
  const outDir = join(app.dir, 'dist');
  await build({
    root: app.dir,
    configFile: false,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
  site = createServer(async (req, res) => {
    const path = normalize(req.url === '/' ? '/index.html' : (req.url ?? '/'));
    try {
      const body = await readFile(join(outDir, path));
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  [mock, browser] = await Promise.all([
    app.startMockServer(),
    chromium.launch({ executablePath: CHROMIUM }),
  ]);
}, SETUP_TIMEOUT);
afterAll(async () => {
  await browser?.close();
  await mock?.close();
  await new Promise((resolve) => site?.close(resolve));
  await app?.remove();
});

it('a page calls the API on another origin: one run, a 422, the guard, no environment', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(origin);
  expect(await page.evaluate(() => typeof (globalThis as any).process)).toBe('undefined');

  const config = scenarioConfig(mock, true);
  expect(new URL(config.baseUrl).origin).not.toBe(origin);
  const report = await page.evaluate(
    (c) => (globalThis as any).FeatherApp.scenario((globalThis as any).FeatherApp.sdk, c),
    config,
  );
  expectReport(report, mock, config, { env: 'none', browser: true });
  const sent = mock.requests.find((r) => (r.body as any)?.agent_id === config.ids.agent_id);
  expect(sent?.headers.origin).toBe(origin);
  expect(errors).toEqual([]);
  await page.close();
});
