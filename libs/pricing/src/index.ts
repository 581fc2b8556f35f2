export { parsePriceOverride, priceOverrideSchema, storePriceOverride, type PriceOverride } from './price-override.js';
export { overrideCostMicroUsd, priceLookups, requestCostMicroUsd, type ProviderKind, type TokenUsage } from './request-cost.js';
