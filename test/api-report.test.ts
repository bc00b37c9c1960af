/**
 * The public API is recorded in etc/*.api.md by API Extractor (`npm run api:report`). This test
 * takes the package's build (the one the consumer tests pack: `tsup`, as `npm run build` runs it),
 * runs API Extractor on a copy of its declarations against the committed reports, and fails when
 * the exported surface moved without the reports being updated.
 */
import { Extractor, ExtractorConfig, type ExtractorResult } from '@microsoft/api-extractor';
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../scripts/generate.js';
import { packedSdk } from './consumers/pack.js';

const ENTRIES = [
  { config: 'api-extractor.json', dts: 'index.d.ts', report: 'etc/sdk.api.md' },
  {
    config: 'api-extractor.testing.json',
    dts: 'testing/index.d.ts',
    report: 'etc/sdk-testing.api.md',
  },
  { config: 'api-extractor.otel.json', dts: 'otel/index.d.ts', report: 'etc/sdk-otel.api.md' },
];

let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'feather-api-report-'));
  // A copy: the test below adds an export to it, and the build is shared.
  const { packageDir } = await packedSdk();
  await cp(join(packageDir, 'dist'), join(out, 'dist'), { recursive: true });
}, 300_000);
afterAll(() => rm(out, { recursive: true, force: true }));

/** API Extractor with a project's config, pointed at the temp build; never writes to etc/. */
function extract(entry: (typeof ENTRIES)[number], dts = join(out, 'dist', entry.dts)) {
  const configFile = join(ROOT, entry.config);
  const config = ExtractorConfig.loadFile(configFile);
  config.mainEntryPointFilePath = dts;
  (config.compiler!.overrideTsconfig as { files: string[] }).files = [dts];
  config.apiReport!.reportTempFolder = join(out, 'report');
  const extractorConfig = ExtractorConfig.prepare({
    configObject: config,
    configObjectFullPath: configFile,
    packageJsonFullPath: join(ROOT, 'package.json'),
  });
  const messages: string[] = [];
  const result: ExtractorResult = Extractor.invoke(extractorConfig, {
    localBuild: false,
    messageCallback: (message) => {
      if (message.logLevel === 'error') messages.push(message.text);
      message.handled = true;
    },
  });
  return {
    result,
    messages,
    fresh: join(out, 'report', `${config.apiReport!.reportFileName}.api.md`),
  };
}

describe('public API report', () => {
  it.each(ENTRIES)(
    '$report matches the exported surface of dist/$dts',
    async (entry) => {
      const { result, messages, fresh } = extract(entry);
      expect(messages).toEqual([]);
      // On failure the diff says how the public types moved; `npm run api:report` records it.
      expect(await readFile(fresh, 'utf8')).toBe(await readFile(join(ROOT, entry.report), 'utf8'));
      expect(result.apiReportChanged).toBe(false);
      // Every export and member is documented: generated ones from the spec's own words.
      const undocumented = (await readFile(fresh, 'utf8')).split('(undocumented)').length - 1;
      expect(undocumented).toBe(0);
    },
    60_000,
  );

  it('fails when an export is added without updating the report', async () => {
    // On the smaller entry: the same check, in a third of the time.
    const dts = join(out, 'dist', 'testing', 'index.d.ts');
    await appendFile(dts, '\nexport declare function sneakyNewExport(): void;\n');
    const { result, fresh } = extract(ENTRIES[1], dts);
    expect(result.apiReportChanged).toBe(true);
    expect(await readFile(fresh, 'utf8')).toContain('export function sneakyNewExport(): void;');
  }, 60_000);
});
