import { parseAllDocuments } from 'yaml';

/** Every document of a YAML stream, as plain JSON values (empty documents dropped). */
export function parseYamlDocuments(text: string): unknown[] {
  // merge: compose files share settings through `<<: *anchor` keys (YAML 1.1), which YAML 1.2 leaves alone.
  return parseAllDocuments(text, { merge: true }).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0]!.message}`);
    const value: unknown = doc.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}
