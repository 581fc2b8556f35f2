export { connectBus, type NatsConnection } from './connect.js';
export { onConfigChanged, publishConfigChanged, type ConfigChange } from './config-events.js';
export { LogPublisher, type LogPublisherOptions } from './log-publisher.js';
export { deleteLogStream, ensureLogConsumer, ensureLogStream } from './log-stream.js';
export { busNames, type BusNames } from './names.js';
