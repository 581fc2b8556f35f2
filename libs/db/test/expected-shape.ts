import type { DmmfDatamodel, DmmfField, DmmfModel } from './prisma-dmmf.js';
import type { ColumnShape, ForeignKeyShape, IndexShape, SchemaShape } from './schema-shape.js';

// MySQL's identifier limit; Prisma shortens longer default names in a way this file does not reproduce.
const MAX_IDENTIFIER = 64;

/** The tables, columns, indexes and foreign keys Prisma's MySQL connector derives from a datamodel. */
export function expectedShape(datamodel: DmmfDatamodel): SchemaShape {
  const shape: SchemaShape = { tables: {}, foreignKeys: {} };
  const byName = new Map(datamodel.models.map((model) => [model.name, model]));
  for (const model of datamodel.models) {
    const columns: Record<string, ColumnShape> = {};
    for (const field of model.fields.filter((candidate) => candidate.kind === 'scalar')) {
      columns[columnName(field)] = expectedColumn(model, field);
    }
    shape.tables[tableName(model)] = { columns, indexes: expectedIndexes(datamodel, model) };
    for (const field of model.fields.filter((candidate) => (candidate.relationFromFields ?? []).length > 0)) {
      const referenced = byName.get(field.type);
      if (referenced === undefined) throw new Error(`relation ${model.name}.${field.name} to unknown ${field.type}`);
      const [name, foreignKey] = expectedForeignKey(model, field, referenced);
      shape.foreignKeys[name] = foreignKey;
    }
  }
  return shape;
}

function expectedColumn(model: DmmfModel, field: DmmfField): ColumnShape {
  if (field.isList) throw new Error(`${model.name}.${field.name}: scalar lists are not supported on MySQL`);
  const isAutoIncrement = isFunctionDefault(field.default, 'autoincrement');
  return {
    type: columnType(model, field),
    nullable: !field.isRequired,
    default: isAutoIncrement ? null : columnDefault(model, field),
    autoIncrement: isAutoIncrement,
  };
}

// Prisma's MySQL type mapping (schema-engine mysql renderer), spelled as information_schema reports it.
function columnType(model: DmmfModel, field: DmmfField): string {
  const [native, args = []] = field.nativeType ?? [undefined, []];
  const sized = (base: string): string => (args.length === 0 ? base : `${base}(${args.join(',')})`);
  switch (native) {
    case undefined:
      break;
    case 'VarChar':
    case 'Char':
    case 'DateTime':
    case 'Timestamp':
    case 'Time':
    case 'Decimal':
    case 'Binary':
    case 'VarBinary':
      return sized(native.toLowerCase());
    case 'Text':
    case 'TinyText':
    case 'MediumText':
    case 'LongText':
    case 'Date':
    case 'SmallInt':
    case 'MediumInt':
    case 'Int':
    case 'BigInt':
    case 'Double':
    case 'Float':
    case 'Blob':
    case 'LongBlob':
      return native.toLowerCase();
    case 'TinyInt':
      return field.type === 'Boolean' ? 'tinyint(1)' : 'tinyint';
    case 'UnsignedInt':
      return 'int unsigned';
    case 'UnsignedBigInt':
      return 'bigint unsigned';
    default:
      throw new Error(`${model.name}.${field.name}: teach expected-shape.ts the native type @db.${native}`);
  }
  const defaults: Record<string, string> = {
    Int: 'int',
    BigInt: 'bigint',
    Boolean: 'tinyint(1)',
    String: 'varchar(191)',
    DateTime: 'datetime(3)',
    Float: 'double',
    Decimal: 'decimal(65,30)',
    Bytes: 'longblob',
  };
  const type = defaults[field.type];
  if (type === undefined) throw new Error(`${model.name}.${field.name}: teach expected-shape.ts the type ${field.type}`);
  return type;
}

function columnDefault(model: DmmfModel, field: DmmfField): string | null {
  const value = field.default;
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  if (isFunctionDefault(value, 'now')) {
    const precision = field.nativeType?.[1][0] ?? '3';
    return `current_timestamp(${precision})`;
  }
  // uuid(), cuid() and the like are filled in by the client; the column has no default.
  if (isFunctionDefault(value, 'uuid') || isFunctionDefault(value, 'cuid')) return null;
  throw new Error(`${model.name}.${field.name}: teach expected-shape.ts the default ${JSON.stringify(value)}`);
}

function expectedIndexes(datamodel: DmmfDatamodel, model: DmmfModel): Record<string, IndexShape> {
  const indexes: Record<string, IndexShape> = {};
  const fields = new Map(model.fields.map((field) => [field.name, field]));
  for (const index of datamodel.indexes.filter((candidate) => candidate.model === model.name)) {
    const columns = index.fields.map(({ name }) => columnName(fields.get(name) ?? { name }));
    if (index.type === 'fulltext') throw new Error(`${model.name}: teach expected-shape.ts fulltext indexes`);
    const suffix = index.type === 'normal' ? 'idx' : 'key';
    const name = index.type === 'id' ? 'PRIMARY' : (index.dbName ?? defaultName(tableName(model), columns, suffix));
    indexes[name] = { unique: index.type !== 'normal', columns };
  }
  return indexes;
}

function expectedForeignKey(model: DmmfModel, field: DmmfField, referenced: DmmfModel): [string, ForeignKeyShape] {
  const fields = new Map(model.fields.map((candidate) => [candidate.name, candidate]));
  const referencedFields = new Map(referenced.fields.map((candidate) => [candidate.name, candidate]));
  const from = (field.relationFromFields ?? []).map((name) => fields.get(name) ?? { name });
  const columns = from.map(columnName);
  // Prisma's defaults: Restrict when the relation is required, SetNull when optional; updates cascade.
  const required = from.every((scalar) => 'isRequired' in scalar && scalar.isRequired);
  const onDelete = field.relationOnDelete ?? (required ? 'Restrict' : 'SetNull');
  return [
    defaultName(tableName(model), columns, 'fkey'),
    {
      table: tableName(model),
      columns,
      referencedTable: tableName(referenced),
      referencedColumns: (field.relationToFields ?? []).map((name) => columnName(referencedFields.get(name) ?? { name })),
      onDelete: referentialAction(onDelete),
      onUpdate: referentialAction(field.relationOnUpdate ?? 'Cascade'),
    },
  ];
}

function referentialAction(action: string): string {
  const actions: Record<string, string> = {
    Cascade: 'CASCADE',
    Restrict: 'RESTRICT',
    NoAction: 'NO ACTION',
    SetNull: 'SET NULL',
    SetDefault: 'SET DEFAULT',
  };
  const sql = actions[action];
  if (sql === undefined) throw new Error(`unknown referential action ${action}`);
  return sql;
}

function defaultName(table: string, columns: string[], suffix: string): string {
  const name = `${table}_${columns.join('_')}_${suffix}`;
  if (name.length > MAX_IDENTIFIER) throw new Error(`${name} is longer than ${MAX_IDENTIFIER}; give it a map: name`);
  return name;
}

function tableName(model: DmmfModel): string {
  return model.dbName ?? model.name;
}

function columnName(field: Pick<DmmfField, 'name'> & { dbName?: string | null }): string {
  return field.dbName ?? field.name;
}

function isFunctionDefault(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === name;
}
