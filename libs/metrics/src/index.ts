export { Counter, Gauge, Histogram, Registry } from 'prom-client';
export { createRegistry, registerDbPoolMetrics, serveMetrics, type DbPoolReader } from './create-metrics.js';
