// What `npm start` prints once the stack is up: the secrets it needs and commands to paste.

export interface BannerInput {
  ingressUrl: string;
  demoKey: string;
  adminToken: string;
  encryptionKeySource: string;
  seeded: boolean;
  /** Each replica's Prometheus endpoint, per service (Stack.metricsUrls). */
  metricsUrls?: Record<string, readonly string[]>;
}

const body = (api: 'openai' | 'anthropic', stream: boolean) => {
  const tokens = api === 'anthropic' ? '"max_tokens":256,' : '';
  return `'{"model":"claude-sonnet-4-5",${tokens}"stream":${String(stream)},"messages":[{"role":"user","content":"Hello!"}]}'`;
};

/** The banner text. */
export function startBanner(input: BannerInput): string {
  const url = input.ingressUrl;
  const json = `-H 'content-type: application/json'`;
  const openai = (stream: boolean) =>
    `curl ${stream ? '-N' : '-s'} ${url}/v1/chat/completions -H "Authorization: Bearer $AIGW_KEY" ${json} -d ${body('openai', stream)}`;
  const anthropic = (stream: boolean) =>
    `curl ${stream ? '-N' : '-s'} ${url}/v1/messages -H "x-api-key: $AIGW_KEY" -H 'anthropic-version: 2023-06-01' ${json} -d ${body('anthropic', stream)}`;
  return [
    '',
    `AIGateway is up at ${url}${input.seeded ? ' (demo data seeded)' : ''}`,
    `  demo API key     ${input.demoKey || '(none: set AIGW_DEMO_API_KEY)'}`,
    `  admin token      ${input.adminToken}`,
    `  web console      ${url}/ui/ (log in with the admin token)`,
    `  encryption key   ${input.encryptionKeySource}`,
    ...metricsLines(input.metricsUrls ?? {}),
    '',
    `export AIGW_KEY='${input.demoKey}' AIGW_ADMIN='${input.adminToken}'`,
    '',
    '# OpenAI Chat Completions, then streaming',
    openai(false),
    openai(true),
    '# Anthropic Messages, then streaming',
    anthropic(false),
    anthropic(true),
    '# OpenAI embeddings (gemini-embedding-001 goes to the Gemini API; text-embedding-3-small to openai)',
    `curl -s ${url}/v1/embeddings -H "Authorization: Bearer $AIGW_KEY" ${json} -d '{"model":"gemini-embedding-001","input":["first text","second text"],"dimensions":8}'`,
    '# Admin API: proxy assignments, latest request logs',
    `curl -s ${url}/api/v1/proxies/assignments -H "Authorization: Bearer $AIGW_ADMIN"`,
    `curl -s '${url}/api/v1/stats/logs?limit=10' -H "Authorization: Bearer $AIGW_ADMIN"`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

/** One `metrics <service>  <urls>` line per service: every service's /metrics is on a port of its own. */
function metricsLines(urls: Record<string, readonly string[]>): string[] {
  const entries = Object.entries(urls).filter(([, list]) => list.length > 0);
  const width = Math.max(0, ...entries.map(([name]) => name.length));
  return entries.map(([name, list], i) => `  ${i === 0 ? 'metrics' : '       '}          ${name.padEnd(width)}  ${list.join(' ')}`);
}
