import { buildConnector } from 'undici';
import { EgressRefusedError, type EgressPolicy } from './egress-policy.js';

/**
 * An undici connector that obeys the egress policy: address literals and `localhost`-like names are judged
 * before connecting (Node does no lookup for an IP), names after resolution through the policy's lookup.
 * `options` are buildConnector's (TLS settings, timeout).
 */
export function egressConnector(policy: EgressPolicy, options: buildConnector.BuildOptions = {}): buildConnector.connector {
  const connect = buildConnector({ ...options, lookup: policy.lookup } as buildConnector.BuildOptions);
  return (opts, callback) => {
    const reason = policy.hostRefusal(opts.hostname);
    if (reason !== undefined) {
      callback(new EgressRefusedError(opts.hostname, reason), null);
      return;
    }
    connect(opts, callback);
  };
}
