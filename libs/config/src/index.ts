export { z } from 'zod';
export { ConfigError, loadConfig } from './load-config.js';
export { bool, commonFields, encryptionKey, logLevel, port, positiveInt, url } from './fields.js';
