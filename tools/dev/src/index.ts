/** The local stack launcher, demo seed and infrastructure preflight (npm start, e2e tests, benchmark). */
export { startStack, type Stack, type StackOptions, type StackPorts } from './stack.js';
export { startEmulators, type EmulatorSet, type EmulatorSetOptions } from './emulator-set.js';
export { DEMO_ROUTES, ensureClientKey, newClientKey, seedDemo, type SeedOptions, type SeedResult } from './seed.js';
export { checkInfrastructure, describeProblems, type InfrastructureProblem } from './preflight.js';
export { isReadyLine, SERVICE_NAMES, type LogLine, type ServiceHandle, type ServiceName, type ServiceRuntime } from './service-process.js';
