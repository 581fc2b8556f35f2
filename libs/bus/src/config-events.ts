import { JSONCodec, type NatsConnection, type Subscription } from 'nats';
import type { BusNames } from './names.js';

/** What changed; every replica drops the matching cached data. */
export interface ConfigChange {
  entity: 'provider' | 'account' | 'proxy' | 'route' | 'api_key';
  id?: number;
}

const codec = JSONCodec<ConfigChange>();

/** Tells every replica that configuration changed (core NATS, fire and forget; caches also expire on a timer). */
export function publishConfigChanged(nc: NatsConnection, names: BusNames, change: ConfigChange): void {
  nc.publish(names.configSubject, codec.encode(change));
}

/** Calls `handler` for every configuration change; returns the subscription to unsubscribe. */
export function onConfigChanged(nc: NatsConnection, names: BusNames, handler: (change: ConfigChange) => void): Subscription {
  return nc.subscribe(names.configSubject, {
    callback: (error, message) => {
      if (error) return;
      try {
        handler(codec.decode(message.data));
      } catch {
        // A malformed change message must not break the subscription; the timer refresh still runs.
      }
    },
  });
}
