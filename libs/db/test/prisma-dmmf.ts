// Reads the Prisma schema the way Prisma itself does, through the schema WASM the prisma CLI ships
// (prisma/build/prisma_schema_build_bg.wasm), so tests compare the database with Prisma's own reading of
// schema.prisma rather than with a hand-written copy. @prisma/internals, which wraps this WASM as getDMMF(),
// is not installed; the bindings below are the few lines of wasm-bindgen glue getDMMF needs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The parts of Prisma's DMMF datamodel the schema tests read. */
export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  isRequired: boolean;
  isList: boolean;
  isUpdatedAt: boolean;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

export interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  fields: Array<{ name: string }>;
}

export interface DmmfDatamodel {
  models: DmmfModel[];
  indexes: DmmfIndex[];
}

// The base tsconfig's lib (ES2023, no DOM) has no WebAssembly types; declare the little used here.
declare const WebAssembly: {
  Module: { new (bytes: Uint8Array): object; imports(module: object): Array<{ name: string }> };
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
};

interface SchemaWasm {
  memory: { buffer: ArrayBuffer };
  __wbindgen_externrefs: { get(index: number): unknown; set(index: number, value: unknown): void; grow(by: number): number };
  __wbindgen_start(): void;
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_free(ptr: number, size: number, align: number): void;
  __externref_table_dealloc(index: number): void;
  get_dmmf(ptr: number, len: number): [number, number, number, number];
}

let wasm: SchemaWasm | undefined;

/** Prisma's DMMF datamodel of a schema file's text. */
export function getDmmfDatamodel(schemaPath: string, schemaText: string): DmmfDatamodel {
  const exports = loadSchemaWasm();
  const input = new TextEncoder().encode(JSON.stringify({ prismaSchema: [[schemaPath, schemaText]], noColor: true }));
  const inputPtr = exports.__wbindgen_malloc(input.length, 1) >>> 0;
  new Uint8Array(exports.memory.buffer).set(input, inputPtr);
  const [outPtr, outLen, errorIndex, failed] = exports.get_dmmf(inputPtr, input.length);
  if (failed) {
    const error = exports.__wbindgen_externrefs.get(errorIndex) as unknown;
    exports.__externref_table_dealloc(errorIndex);
    throw error instanceof Error ? error : new Error(String(error));
  }
  try {
    return (JSON.parse(readString(exports, outPtr, outLen)) as { datamodel: DmmfDatamodel }).datamodel;
  } finally {
    exports.__wbindgen_free(outPtr, outLen, 1);
  }
}

function loadSchemaWasm(): SchemaWasm {
  if (wasm !== undefined) return wasm;
  const prismaDir = dirname(createRequire(import.meta.url).resolve('prisma/package.json'));
  const module = new WebAssembly.Module(readFileSync(join(prismaDir, 'build', 'prisma_schema_build_bg.wasm')));
  const imports: Record<string, (...args: number[]) => unknown> = {};
  // wasm-bindgen suffixes import names with a hash that changes between builds; match on the stable prefix.
  for (const { name } of WebAssembly.Module.imports(module)) {
    if (name.startsWith('__wbg_set_message_')) imports[name] = () => undefined;
    else if (name.startsWith('__wbg_Error_')) imports[name] = (ptr, len) => new Error(readString(wasm!, ptr!, len!));
    else if (name.startsWith('__wbg___wbindgen_throw_')) {
      imports[name] = (ptr, len) => {
        throw new Error(readString(wasm!, ptr!, len!));
      };
    } else if (name === '__wbindgen_init_externref_table') imports[name] = () => initExternrefTable(wasm!);
    else throw new Error(`prisma schema WASM wants an unknown import ${name}; update test/prisma-dmmf.ts`);
  }
  const instance = new WebAssembly.Instance(module, { __wbindgen_placeholder__: imports });
  wasm = instance.exports as unknown as SchemaWasm;
  wasm.__wbindgen_start();
  return wasm;
}

function initExternrefTable(exports: SchemaWasm): void {
  const table = exports.__wbindgen_externrefs;
  const offset = table.grow(4);
  table.set(0, undefined);
  table.set(offset, undefined);
  table.set(offset + 1, null);
  table.set(offset + 2, true);
  table.set(offset + 3, false);
}

function readString(exports: SchemaWasm, ptr: number, len: number): string {
  const start = ptr >>> 0;
  return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(exports.memory.buffer, start, len));
}
