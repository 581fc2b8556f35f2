export { CLIENT_HEADER_RULES, type ClientHeaderRule, type HeaderProtocol, type WhenNotForwarded } from './client-header-rules.js';
export { collectClientHeaders, planClientHeaders, protocolOfProviderKind, type ClientHeader, type ClientHeaderPlan } from './client-headers.js';
