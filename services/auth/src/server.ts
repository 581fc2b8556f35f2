import { unary, type ServiceBinding } from '@aigw/grpc';
import type { Logger } from '@aigw/logger';
import {
  AuthServiceService,
  type AuthServiceServer,
  type GetCredentialRequest,
  type GetCredentialResponse,
  type InvalidateCredentialRequest,
  type InvalidateCredentialResponse,
} from '@aigw/proto';
import type { CredentialService } from './credentials/credential-service.js';

export interface AuthServerDeps {
  credentials: CredentialService;
  logger: Logger;
  /** Runs after a successful invalidation (tells sibling replicas to drop their copies). */
  onInvalidated?: (accountId: number) => void;
}

/** Builds the aigw.auth.v1.AuthService binding; the caller decides where it listens. */
export function createServer({ credentials, logger, onInvalidated }: AuthServerDeps): ServiceBinding {
  const implementation: AuthServiceServer = {
    getCredential: unary<GetCredentialRequest, GetCredentialResponse>(logger, 'GetCredential', async (request) => ({
      credential: await credentials.credential(request.accountId),
    })),
    invalidateCredential: unary<InvalidateCredentialRequest, InvalidateCredentialResponse>(logger, 'InvalidateCredential', async (request) => {
      await credentials.invalidate(request.accountId);
      onInvalidated?.(request.accountId);
      return {};
    }),
  };
  return { name: 'aigw.auth.v1.AuthService', definition: AuthServiceService, implementation };
}
