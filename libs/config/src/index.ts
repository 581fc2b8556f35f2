export { z } from 'zod';
export { ConfigError, FILE_SUFFIX, loadConfig, resolveFileSettings } from './load-config.js';
export { bool, commonFields, egressFields, encryptionKey, grpcServiceFields, logLevel, port, positiveInt, url } from './fields.js';
