import { unary, type ServiceBinding } from '@aigw/grpc';
import type { Logger } from '@aigw/logger';
import {
  SelectorServiceService,
  type ReportOutcomeRequest,
  type ReportOutcomeResponse,
  type SelectAccountRequest,
  type SelectAccountResponse,
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
  const implementation: SelectorServiceServer = {
    selectAccount: unary<SelectAccountRequest, SelectAccountResponse>(logger, 'SelectAccount', async (request) => ({
      account: await selector.select(request.providerId, request.model, request.excludeAccountIds),
    })),
    reportOutcome: unary<ReportOutcomeRequest, ReportOutcomeResponse>(logger, 'ReportOutcome', async (request) => ({
      cooldownMs: await outcomes.report(request.accountId, request.model, request.statusCode, request.retryAfterMs),
    })),
  };
  return { name: 'aigw.selector.v1.SelectorService', definition: SelectorServiceService, implementation };
}
