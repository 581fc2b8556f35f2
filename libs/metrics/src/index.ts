export { Counter, Gauge, Histogram, Registry } from 'prom-client';
export { createCacheLookups, createRegistry, registerDbPoolMetrics, serveMetrics, type CacheLookup, type DbPoolReader } from './create-metrics.js';
