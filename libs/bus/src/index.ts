export { connectBus, type NatsConnection } from './connect.js';
export { busAccess, busConnectionOptions, type BusAccess, type BusAccessConfig } from './bus-access.js';
export { onConfigChanged, publishConfigChanged, type ConfigChange } from './config-events.js';
export { LogOutbox, type LogOutboxOptions } from './log-outbox.js';
export { LOG_KIND_BATCH, LOG_KIND_HEADER, LogPublisher, type DropReason, type LogPublisherOptions } from './log-publisher.js';
export { deleteLogStream, ensureLogConsumer, ensureLogStream } from './log-stream.js';
export { busNames, type BusNames } from './names.js';
