export { Counter, Gauge, Histogram, Registry } from 'prom-client';
export { createRegistry, serveMetrics } from './create-metrics.js';
