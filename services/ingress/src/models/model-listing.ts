import { compareIds, type ListedModel, type RouteTable } from '../routing/route-table.js';

/** A model as a provider's own model list names it (ListModels), with what it says about it. */
export interface DiscoveredModel {
  id: string;
  displayName: string;
  inputTokenLimit: number;
  outputTokenLimit: number;
  /** 0 when the upstream does not say. */
  createdAtMs: number;
}

/** The discovered models of each provider, by provider id. */
export type DiscoveredLists = ReadonlyMap<number, ReadonlyMap<string, DiscoveredModel>>;

/** `listed` with what the provider's own list says about it (its name, limits and age win over the route's). */
function withFacts(listed: ListedModel, found: DiscoveredModel | undefined): ListedModel {
  if (found === undefined) return listed;
  const model: ListedModel = { ...listed, displayName: found.displayName };
  if (found.createdAtMs > 0) model.createdAtMs = found.createdAtMs;
  if (found.inputTokenLimit > 0) model.inputTokenLimit = found.inputTokenLimit;
  if (found.outputTokenLimit > 0) model.outputTokenLimit = found.outputTokenLimit;
  return model;
}

/**
 * Every model a client can call: the routing table's own names (RouteTable.listModels), plus each model a
 * provider's upstream lists when a route would send that name to that provider (so a wildcard route lists
 * everything it matches, and a name another route captures is not listed under the wrong provider).
 */
export function listModels(table: RouteTable, discovered: DiscoveredLists): ListedModel[] {
  const listed = new Map(table.listModels().map((model) => [model.id, model]));
  for (const [providerId, models] of discovered) {
    for (const found of models.values()) {
      const routed = listed.get(found.id) ?? table.describe(found.id);
      if (routed === undefined || routed.providerId !== providerId) continue;
      listed.set(found.id, withFacts(routed, found));
    }
  }
  for (const [id, model] of listed) {
    if (model.displayName === undefined) listed.set(id, withFacts(model, discovered.get(model.providerId)?.get(id)));
  }
  return [...listed.values()].sort((a, b) => compareIds(a.id, b.id));
}

/** One model for a detail endpoint: any name routed to a provider with an active account, with its facts. */
export function describeModel(table: RouteTable, discovered: DiscoveredLists, id: string): ListedModel | undefined {
  const routed = table.describe(id);
  return routed === undefined ? undefined : withFacts(routed, discovered.get(routed.providerId)?.get(id));
}
