import { muxService, unary, type ServiceBinding } from '@aigw/grpc';
import type { Logger } from '@aigw/logger';
import {
  SelectorServiceService,
  type ReportOutcomeRequest,
  type ReportOutcomeResponse,
  type SelectAccountRequest,
  type SelectAccountResponse,
  type SelectorMuxRequest,
  type SelectorMuxResponse,
  type SelectorServiceServer,
} from '@aigw/proto';
import type { OutcomeRecorder } from './outcomes/outcome-recorder.js';
import type { AccountSelector } from './selection/account-selector.js';

export interface SelectorServerDeps {
  selector: AccountSelector;
  outcomes: OutcomeRecorder;
  logger: Logger;
}

/** Builds the aigw.selector.v1.SelectorService binding; the caller decides where it listens. */
export function createServer({ selector, outcomes, logger }: SelectorServerDeps): ServiceBinding {
  const select = (request: SelectAccountRequest): Promise<SelectAccountResponse> =>
    selector.select(request.providerId, request.model, request.excludeAccountIds, request.affinityKey);
  const report = async (request: ReportOutcomeRequest): Promise<ReportOutcomeResponse> => ({
    cooldownMs: await outcomes.report(request.accountId, request.model, request.statusCode, request.retryAfterMs, {
      retryAfterSource: request.retryAfterSource,
      resetAtMs: request.resetAtS * 1000,
      message: request.message,
    }),
  });
  const mux = muxService<SelectorMuxRequest, SelectorMuxResponse>(logger, 'Mux', { select, report });
  const implementation: SelectorServiceServer = {
    selectAccount: unary(logger, 'SelectAccount', select),
    reportOutcome: unary(logger, 'ReportOutcome', report),
    mux: mux.handler,
  };
  return { name: 'aigw.selector.v1.SelectorService', definition: SelectorServiceService, implementation, drain: mux.drain };
}
