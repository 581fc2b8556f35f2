import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '@aigw/errors';
import { fieldsOf, postForJson, textField, type Outbound } from './outbound-json.js';

// After a Google login, Gemini CLI (code_assist/setup.ts) and Antigravity find the account's Cloud Code project:
// loadCodeAssist names it for a user already onboarded; otherwise onboardUser to the default tier (free-tier
// gets a Google-managed project; a tier with userDefinedCloudaicompanionProject needs one of the user's own),
// a long-running operation asked again until `done`, whose response holds the project.

const METADATA = { ideType: 'IDE_UNSPECIFIED', platform: 'PLATFORM_UNSPECIFIED', pluginType: 'GEMINI' };
const HEADERS = {
  'content-type': 'application/json',
  'user-agent': 'google-api-nodejs-client/9.15.1',
  'x-goog-api-client': 'google-cloud-sdk vscode_cloudshelleditor/0.1',
  'client-metadata': JSON.stringify(METADATA),
};

/** Cloud Code's production endpoint, for a provider without a base URL. */
export const DEFAULT_CLOUD_CODE_URL = 'https://cloudcode-pa.googleapis.com';
/** onboardUser checks before giving up (Gemini CLI keeps asking; here a person is waiting). */
export const MAX_ONBOARD_POLLS = 12;

export interface ProjectDiscovery {
  outbound: Outbound;
  /** Between onboardUser calls (Gemini CLI waits 5 s). */
  pollMs: number;
  /** onboardUser calls before giving up. */
  maxPolls: number;
}

/** The project id in `cloudaicompanionProject`, a string (loadCodeAssist) or `{id}` (onboardUser). */
function projectOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  return textField(fieldsOf(value), 'id');
}

async function call(discovery: ProjectDiscovery, baseUrl: string, method: string, accessToken: string, body: object): Promise<Record<string, unknown>> {
  const url = `${baseUrl.replace(/\/+$/, '')}/v1internal:${method}`;
  const answer = await postForJson(discovery.outbound, `Cloud Code (${method})`, url, { ...HEADERS, authorization: `Bearer ${accessToken}` }, JSON.stringify(body));
  if (answer.status < 200 || answer.status > 299) {
    const message = textField(fieldsOf(fieldsOf(answer.body)['error']), 'status');
    throw new AppError('UPSTREAM_ERROR', `Cloud Code refused ${method} (status ${answer.status}${message ? `, ${message}` : ''})`);
  }
  return fieldsOf(answer.body);
}

/** The Cloud Code project of the account behind `accessToken`, onboarding it first when it has none. */
export async function discoverProject(discovery: ProjectDiscovery, providerBaseUrl: string, accessToken: string): Promise<string> {
  const baseUrl = providerBaseUrl || DEFAULT_CLOUD_CODE_URL;
  const loaded = await call(discovery, baseUrl, 'loadCodeAssist', accessToken, { metadata: METADATA });
  const existing = projectOf(loaded['cloudaicompanionProject']);
  if (existing !== undefined) return existing;

  const tiers = Array.isArray(loaded['allowedTiers']) ? loaded['allowedTiers'].map(fieldsOf) : [];
  const tier = tiers.find((t) => t['isDefault'] === true) ?? { id: 'legacy-tier', userDefinedCloudaicompanionProject: true };
  const tierId = textField(tier, 'id') ?? 'legacy-tier';
  if (tier['userDefinedCloudaicompanionProject'] === true) {
    throw new AppError('INVALID_REQUEST', `this Google account's tier (${tierId}) needs a Google Cloud project of its own: set "project" in the account's settings`);
  }
  for (let attempt = 1; attempt <= discovery.maxPolls; attempt++) {
    const operation = await call(discovery, baseUrl, 'onboardUser', accessToken, { tierId, metadata: METADATA });
    if (operation['done'] === true) {
      const project = projectOf(fieldsOf(operation['response'])['cloudaicompanionProject']);
      if (project === undefined) throw new AppError('UPSTREAM_ERROR', 'Cloud Code onboarded the account without naming its project');
      return project;
    }
    if (attempt < discovery.maxPolls) await sleep(discovery.pollMs);
  }
  throw new AppError('UPSTREAM_ERROR', `Cloud Code onboarding did not finish after ${discovery.maxPolls} checks; try again`);
}
