import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  END_MARKER,
  renderTable,
  repoPaths,
  replaceTable,
  resultsFileFor,
  START_MARKER,
  tableState,
  type ConformanceResult,
  type ResultsFile,
} from './conformance-table.js';

const result = (provider: string, feature: string, mode: 'json' | 'stream', outcome = 'pass'): ConformanceResult => ({
  client: 'openai',
  provider,
  feature,
  mode,
  outcome,
});

const openaiFile: ResultsFile = {
  client: 'openai',
  sdk: 'openai',
  sdkVersion: '6.49.0',
  results: [
    result('gemini', 'plain chat', 'json'),
    result('gemini', 'plain chat', 'stream'),
    result('openai', 'plain chat', 'json'),
    result('openai', 'plain chat', 'stream', 'fail'),
    result('gemini', 'image (URL)', 'json', 'dropped:image_url:remote'),
    result('gemini', 'image (URL)', 'stream', 'dropped:image_url:remote'),
  ],
};
const anthropicFile: ResultsFile = {
  client: 'anthropic',
  sdk: '@anthropic-ai/sdk',
  sdkVersion: '1.14.0',
  results: [{ client: 'anthropic', provider: 'openai', feature: 'plain chat', mode: 'json', outcome: 'pass' }],
};

describe('renderTable', () => {
  const rows = (table: string) => table.split('\n').filter((line) => line.startsWith('| '));

  it('puts client formats in protocol order, providers in a fixed order and features in recorded order', () => {
    expect(rows(renderTable([anthropicFile, openaiFile]))).toEqual([
      '| client format (SDK) | feature | openai | gemini |',
      '| OpenAI Chat Completions (`openai` 6.49.0) | plain chat | json ✅ · stream ❌ | ✅ |',
      '|  | image (URL) | — | ⚠️ dropped `image_url:remote` |',
      '| Anthropic Messages (`@anthropic-ai/sdk` 1.14.0) | plain chat | ✅ | — |',
    ]);
  });

  it('marks a feature once per provider when it has no streaming call, and a missing stream result where it has', () => {
    const file: ResultsFile = {
      ...anthropicFile,
      results: [
        { client: 'anthropic', provider: 'openai', feature: 'count_tokens', mode: 'json', outcome: 'estimate' },
        { client: 'anthropic', provider: 'gemini', feature: 'count_tokens', mode: 'json', outcome: 'pass' },
        { client: 'anthropic', provider: 'openai', feature: 'plain chat', mode: 'json', outcome: 'pass' },
        { client: 'anthropic', provider: 'gemini', feature: 'plain chat', mode: 'stream', outcome: 'pass' },
      ],
    };
    const table = renderTable([file]);
    expect(rows(table).slice(1)).toEqual([
      '| Anthropic Messages (`@anthropic-ai/sdk` 1.14.0) | count_tokens | ≈ estimate | ✅ |',
      '|  | plain chat | json ✅ · stream — | json — · stream ✅ |',
    ]);
    expect(table).toContain('4 cases (client × provider × feature × mode): 3 exact, 0 reported as dropped, 1 estimated, 0 refused as unsupported, 0 failed.');
  });

  it('counts every outcome', () => {
    expect(renderTable([openaiFile, anthropicFile])).toContain(
      '7 cases (client × provider × feature × mode): 4 exact, 2 reported as dropped, 0 estimated, 0 refused as unsupported, 1 failed.',
    );
  });

  it('puts the Responses and embeddings formats beside the others, the Responses-wire provider after openai, and marks unsupported calls', () => {
    const responsesFile: ResultsFile = {
      client: 'responses',
      sdk: 'openai',
      sdkVersion: '6.49.0',
      results: [
        { client: 'responses', provider: 'openai-responses', feature: 'previous_response_id', mode: 'json', outcome: 'pass' },
        { client: 'responses', provider: 'openai-responses', feature: 'previous_response_id', mode: 'stream', outcome: 'pass' },
        { client: 'responses', provider: 'anthropic', feature: 'previous_response_id', mode: 'json', outcome: 'pass' },
        { client: 'responses', provider: 'anthropic', feature: 'previous_response_id', mode: 'stream', outcome: 'pass' },
      ],
    };
    const embeddingsFile: ResultsFile = {
      client: 'embeddings',
      sdk: 'openai',
      sdkVersion: '6.49.0',
      results: [
        { client: 'embeddings', provider: 'anthropic', feature: 'two inputs', mode: 'json', outcome: 'unsupported' },
        { client: 'embeddings', provider: 'openai-responses', feature: 'two inputs', mode: 'json', outcome: 'pass' },
      ],
    };
    const table = renderTable([embeddingsFile, anthropicFile, responsesFile, openaiFile]);
    expect(rows(table)).toEqual([
      '| client format (SDK) | feature | openai | openai-responses | anthropic | gemini |',
      '| OpenAI Chat Completions (`openai` 6.49.0) | plain chat | json ✅ · stream ❌ | — | — | ✅ |',
      '|  | image (URL) | — | — | — | ⚠️ dropped `image_url:remote` |',
      '| OpenAI Responses (`openai` 6.49.0) | previous_response_id | — | ✅ | ✅ | — |',
      '| Anthropic Messages (`@anthropic-ai/sdk` 1.14.0) | plain chat | ✅ | — | — | — |',
      '| OpenAI Embeddings (`openai` 6.49.0) | two inputs | — | ✅ | 🚫 400 | — |',
    ]);
    expect(table).toContain('13 cases (client × provider × feature × mode): 9 exact, 2 reported as dropped, 0 estimated, 1 refused as unsupported, 1 failed.');
  });

  it('escapes pipes so a field name cannot break the table', () => {
    const file = { ...anthropicFile, results: [{ ...anthropicFile.results[0]!, feature: 'a|b', outcome: 'dropped:x|y' }] };
    expect(rows(renderTable([file]))[1]).toBe('| Anthropic Messages (`@anthropic-ai/sdk` 1.14.0) | a\\|b | ⚠️ dropped `x\\|y` |');
  });
});

describe('replaceTable', () => {
  it('replaces only what is between the markers, and is idempotent', () => {
    const readme = `# Title\n\n${START_MARKER}\nold table\n${END_MARKER}\n\n## Next\n`;
    const once = replaceTable(readme, 'new table');
    expect(once).toBe(`# Title\n\n${START_MARKER}\nnew table\n${END_MARKER}\n\n## Next\n`);
    expect(replaceTable(once, 'new table')).toBe(once);
  });

  it('refuses a README without the markers', () => {
    expect(() => replaceTable('# Title\n', 'table')).toThrow(/conformance:start/);
  });
});

describe('tableState', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'conformance-table-'));
    const paths = repoPaths(root);
    mkdirSync(paths.resultsDir, { recursive: true });
    writeFileSync(join(paths.testDir, 'openai-sdk.test.ts'), '');
    writeFileSync(join(paths.testDir, 'anthropic-sdk.test.ts'), '');
    writeFileSync(paths.readme, `# Gateway\n\n${START_MARKER}\n${END_MARKER}\n`);
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });
  const writeResults = (testFile: string, file: ResultsFile) =>
    writeFileSync(resultsFileFor(repoPaths(root).resultsDir, testFile), JSON.stringify(file));

  it('does not compare while a test file has no results (an interrupted or filtered run)', () => {
    writeResults('openai-sdk.test.ts', openaiFile);
    expect(tableState(repoPaths(root))).toEqual({ state: 'incomplete', missing: ['anthropic-sdk.test.ts'] });
  });

  it('is stale until the table is written from the results, then current', () => {
    writeResults('openai-sdk.test.ts', openaiFile);
    writeResults('anthropic-sdk.test.ts', anthropicFile);
    const state = tableState(repoPaths(root));
    expect(state.state).toBe('stale');
    if (state.state !== 'stale') return;
    expect(state.expected).toContain('| OpenAI Chat Completions (`openai` 6.49.0) | plain chat |');
    writeFileSync(repoPaths(root).readme, state.expected);
    expect(tableState(repoPaths(root))).toEqual({ state: 'current' });
  });

  it('names results files after their test files', () => {
    expect(resultsFileFor('/r', 'file:///repo/test/conformance/genai-sdk.test.ts')).toBe(join('/r', 'genai-sdk.json'));
  });
});
