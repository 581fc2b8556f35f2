// Operator-named models (providers.models, model_routes.models) are stored as a JSON array of strings in a
// text column. Reading is lenient: a value that is not such an array (edited by hand, say) names nothing
// rather than breaking the routing table.

/** The names in a stored `models` value; [] for null or anything that is not a JSON array of strings. */
export function parseModelNames(stored: string | null | undefined): string[] {
  if (stored === null || stored === undefined || stored === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.filter((name): name is string => typeof name === 'string' && name !== '');
}

/** The stored form of a list of names: null for none, so an empty list and an unset one read the same. */
export function storeModelNames(names: readonly string[] | null): string | null {
  return names === null || names.length === 0 ? null : JSON.stringify([...new Set(names)]);
}
