import { toAppError } from '@aigw/errors';
import { Counter, Histogram, type Registry } from '@aigw/metrics';

// Calls a gRPC server handled, counted where every handler ends (unary, serverStream and each call of a
// multiplexed stream), so the multiplexed calls ingress makes count one by one, not as the stream carrying them;
// and, on the client side, each call a MuxClient sends (by backend and call), with its result.

type Observer = (method: string, code: string, seconds: number) => void;

let observer: Observer | undefined;

/** From now on, this process's handled calls are counted on `registry` (runGrpcService calls it). */
export function countGrpcCalls(registry: Registry): void {
  const handled = new Counter({
    name: 'aigw_grpc_server_handled_total',
    help: 'gRPC calls handled (a multiplexed stream counts each call it carries), by method and result code (OK or the error code)',
    labelNames: ['method', 'code'] as const,
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'aigw_grpc_server_handling_seconds',
    help: 'Time a gRPC handler took (a streamed call: to its last message), by method',
    labelNames: ['method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120],
    registers: [registry],
  });
  observer = (method, code, took) => {
    handled.inc({ method, code });
    seconds.observe({ method }, took);
  };
}

/** Records one handled call that began at `startedAt` (performance.now()); `error` when it failed. */
export function recordCall(method: string, startedAt: number, error?: unknown): void {
  if (observer === undefined) return;
  observer(method, error === undefined ? 'OK' : toAppError(error).code, (performance.now() - startedAt) / 1000);
}

let clientObserver: Observer | undefined;

/** From now on, this process's MuxClient calls (streamed ones when they end) are counted on `registry` (ingress). */
export function countGrpcClientCalls(registry: Registry): void {
  const sent = new Counter({
    name: 'aigw_grpc_client_calls_total',
    help: 'gRPC calls sent over multiplexed streams, by backend and call (target "selector.select") and result code (OK or the error code)',
    labelNames: ['target', 'code'] as const,
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'aigw_grpc_client_call_seconds',
    help: 'Time from sending a multiplexed gRPC call to its answer (a streamed call: to its end), by backend and call',
    labelNames: ['target'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120],
    registers: [registry],
  });
  clientObserver = (target, code, took) => {
    sent.inc({ target, code });
    seconds.observe({ target }, took);
  };
}

/** Records one client call that began at `startedAt` (performance.now()); `error` when it failed. */
export function recordClientCall(target: string, startedAt: number, error?: unknown): void {
  if (clientObserver === undefined) return;
  clientObserver(target, error === undefined ? 'OK' : toAppError(error).code, (performance.now() - startedAt) / 1000);
}
