import type { RouteCache } from '../routing/route-cache.js';
import type { ListedModel } from '../routing/route-table.js';
import type { ModelCatalog } from './model-catalog.js';
import { describeModel, listModels } from './model-listing.js';

/** What the model-list endpoints answer from: the routing table and, when there is one, the discovered lists. */
export interface ModelDirectory {
  /** Every listable model, sorted by id; may wait briefly for a provider's first discovery. */
  list(): Promise<ListedModel[]>;
  /** One routed model, from what is cached (never waits on an upstream). */
  describe(model: string): ListedModel | undefined;
}

/** The directory over the route cache and the discovered-model catalog (route names only without one). */
export function modelDirectory(routes: RouteCache, catalog: ModelCatalog | undefined): ModelDirectory {
  return {
    async list() {
      const discovered = catalog === undefined ? new Map() : await catalog.lists();
      return listModels(routes.snapshot, discovered);
    },
    describe: (model) => describeModel(routes.snapshot, catalog?.cached() ?? new Map(), model),
  };
}
