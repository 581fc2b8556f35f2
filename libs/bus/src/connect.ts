import { connect, type NatsConnection } from 'nats';
import { busConnectionOptions, type BusAccess } from './bus-access.js';

export type { NatsConnection };

/**
 * Connects to NATS and keeps reconnecting forever; the connection is named after the service. `access` carries
 * credentials and TLS (busAccess(config)).
 */
export function connectBus(url: string, name: string, access?: BusAccess): Promise<NatsConnection> {
  const servers = url.split(',');
  return connect({
    servers,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    timeout: 3_000,
    pingInterval: 10_000,
    ...busConnectionOptions(servers, access),
  });
}
