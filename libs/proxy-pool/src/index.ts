export { assignProxies, changedBindings, type AccountBinding, type ProxySlot } from './assign-proxies.js';
export { listAssignments, type ProxyAssignments } from './list-assignments.js';
export { recalculateAssignments, type Assignment, type PoolChange, type RecalculateResult } from './recalculate.js';
