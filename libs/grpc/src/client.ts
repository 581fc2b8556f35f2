import { credentials, type ChannelOptions, type Client, type ServiceError, Metadata, type CallOptions } from '@grpc/grpc-js';
import { HTTP2_WINDOW_BYTES } from './server.js';
import { fromServiceError } from './status-map.js';
import { clientSpan } from './tracing.js';

/** `host:port` → `dns:///host:port`, so grpc-js resolves every replica behind a headless Service. */
export function grpcTarget(address: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(address) && !/^[^:]+:\d+$/.test(address) ? address : `dns:///${address}`;
}

/** Channel settings shared by every client: round robin over resolved addresses, keepalive, transparent retry. */
export function channelOptions(serviceName: string): ChannelOptions {
  return {
    'grpc.service_config': JSON.stringify({
      loadBalancingConfig: [{ round_robin: {} }],
      methodConfig: [
        {
          name: [{ service: serviceName }],
          retryPolicy: {
            maxAttempts: 3,
            initialBackoff: '0.01s',
            maxBackoff: '0.2s',
            backoffMultiplier: 2,
            retryableStatusCodes: ['UNAVAILABLE'],
          },
        },
      ],
    }),
    // A backend that restarts is usable again within about a second: grpc-js's default reconnect backoff (1 s,
    // growing 1.6× to 2 min) left ingress answering 503 for seconds after provider-call was back. Reconnecting to
    // a refused port costs next to nothing, so the cap stays low.
    'grpc.initial_reconnect_backoff_ms': 100,
    'grpc.max_reconnect_backoff_ms': 500,
    // A peer that stopped answering (a stalled process, a dead node, a cut connection) is found within 15 s and
    // its calls fail (UNAVAILABLE, retried elsewhere) instead of waiting for their deadlines. The servers allow
    // pings this often (server.ts).
    'grpc.keepalive_time_ms': 10_000,
    'grpc.keepalive_timeout_ms': 5_000,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.max_receive_message_length': 32 * 1024 * 1024,
    // Large answers arrive in one flight rather than 64 KB at a time (see HTTP2_WINDOW_BYTES).
    'grpc-node.flow_control_window': HTTP2_WINDOW_BYTES,
    'grpc.dns_min_time_between_resolutions_ms': 5_000,
  };
}

type ClientCtor<C> = new (address: string, creds: ReturnType<typeof credentials.createInsecure>, options?: ChannelOptions) => C;

/** Creates a typed ts-proto client for `address` (host:port or a full target). */
export function createClient<C extends Client>(ctor: ClientCtor<C>, address: string, serviceName: string): C {
  return new ctor(grpcTarget(address), credentials.createInsecure(), channelOptions(serviceName));
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => unknown;

/** The call's metadata: the trace context of its client span, when traced. */
export function tracedMetadata(traceparent: string): Metadata {
  const metadata = new Metadata();
  if (traceparent !== '') metadata.set('traceparent', traceparent);
  return metadata;
}

/**
 * Calls a unary method with a deadline (absolute ms); failures come back as AppError. `span` names the call's
 * client span, e.g. ['auth', 'getCredential'] (its trace context travels in the metadata).
 */
export function callUnary<Req, Res>(method: UnaryMethod<Req, Res>, client: Client, request: Req, deadline: number, span?: [backend: string, call: string]): Promise<Res> {
  const traced = span === undefined ? undefined : clientSpan(span[0], span[1]);
  return new Promise<Res>((resolve, reject) => {
    method.call(client, request, tracedMetadata(traced?.traceparent ?? ''), { deadline: new Date(deadline) }, (error, response) => {
      traced?.end(error ? fromServiceError(error) : undefined);
      if (error) reject(fromServiceError(error));
      else resolve(response);
    });
  });
}
