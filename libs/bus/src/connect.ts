import { connect, type NatsConnection } from 'nats';

export type { NatsConnection };

/** Connects to NATS and keeps reconnecting forever; the connection is named after the service. */
export function connectBus(url: string, name: string): Promise<NatsConnection> {
  return connect({
    servers: url.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    timeout: 3_000,
    pingInterval: 10_000,
  });
}
