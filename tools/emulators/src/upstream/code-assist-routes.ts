import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../http/read-body.js';
import { renderGoogleError } from './google-error.js';
import type { RequestLog } from './request-log.js';

// Cloud Code's account setup, as Gemini CLI (code_assist/setup.ts) and Antigravity call it after a login:
//   POST /v1internal:loadCodeAssist {cloudaicompanionProject?, metadata:{ideType, platform, pluginType}}
//     → {allowedTiers:[{id, name, isDefault, userDefinedCloudaicompanionProject}], currentTier?, cloudaicompanionProject?}
//       (a user never onboarded has no currentTier and no project)
//   POST /v1internal:onboardUser {tierId, cloudaicompanionProject?, metadata}
//     → a long-running operation {name, done:false}; asked again, {name, done:true, response:{cloudaicompanionProject:{id, name}}}
// Users are told apart by their bearer token (the emulator has no other identity for them); every token
// starts as a user who has not been onboarded.

const TIERS = [
  { id: 'free-tier', name: 'Gemini Code Assist for individuals', isDefault: true, userDefinedCloudaicompanionProject: false },
  { id: 'standard-tier', name: 'Gemini Code Assist Standard', isDefault: false, userDefinedCloudaicompanionProject: true },
];

export interface CodeAssistState {
  /** bearer token → its managed project once onboarded */
  projects: Map<string, { tierId: string; project: string }>;
  /** bearer token → onboardUser calls so far */
  onboarding: Map<string, number>;
}

export function newCodeAssistState(): CodeAssistState {
  return { projects: new Map(), onboarding: new Map() };
}

export function isCodeAssistSetupPath(method: string, pathname: string): boolean {
  return method === 'POST' && (pathname === '/v1internal:loadCodeAssist' || pathname === '/v1internal:onboardUser');
}

function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Serves loadCodeAssist / onboardUser for a bearer token the OAuth emulator issued. */
export async function serveCodeAssistSetup(
  state: CodeAssistState,
  log: RequestLog,
  validateBearer: ((token: string) => boolean) | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
  const at = Date.now();
  const token = /^bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const send = (res: ServerResponse, status: number, body: string): void => {
    log.add({ at, method: 'POST', path: pathname, format: 'antigravity', model: '', credential: token, stream: false, status });
    sendJson(res, status, body);
  };
  let body: Record<string, unknown>;
  try {
    body = JSON.parse((await readBody(req, 1024 * 1024)).toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return send(res, 400, renderGoogleError(400, 'Invalid JSON payload received.'));
  }
  if (token === '' || (validateBearer !== undefined && !validateBearer(token))) return send(res, 401, renderGoogleError(401));
  const metadata = body['metadata'];
  if (typeof metadata !== 'object' || metadata === null) return send(res, 400, renderGoogleError(400, 'metadata is required.'));

  const known = state.projects.get(token);
  if (pathname === '/v1internal:loadCodeAssist') {
    const tiers = { allowedTiers: TIERS };
    if (known === undefined) return send(res, 200, JSON.stringify(tiers));
    const tier = TIERS.find((t) => t.id === known.tierId) ?? TIERS[0];
    return send(res, 200, JSON.stringify({ ...tiers, currentTier: tier, cloudaicompanionProject: known.project }));
  }

  const tierId = body['tierId'];
  if (typeof tierId !== 'string' || !TIERS.some((t) => t.id === tierId)) return send(res, 400, renderGoogleError(400, 'Invalid tierId.'));
  const given = body['cloudaicompanionProject'];
  if (tierId !== 'free-tier' && (typeof given !== 'string' || given === '')) {
    return send(res, 400, renderGoogleError(400, 'This tier needs a cloudaicompanionProject.'));
  }
  const calls = (state.onboarding.get(token) ?? 0) + 1;
  state.onboarding.set(token, calls);
  const name = `operations/onboard-${token.slice(-8)}`;
  // The first call starts the operation; the next one finds it done (the real one takes seconds).
  if (calls < 2 && known === undefined) return send(res, 200, JSON.stringify({ name, done: false }));
  const project = known?.project ?? (typeof given === 'string' && given !== '' ? given : `emu-project-${randomBytes(4).toString('hex')}`);
  state.projects.set(token, { tierId, project });
  return send(
    res,
    200,
    JSON.stringify({
      name,
      done: true,
      response: {
        '@type': 'type.googleapis.com/google.internal.cloud.code.v1internal.OnboardUserResponse',
        cloudaicompanionProject: { id: project, name: project },
      },
    }),
  );
}
