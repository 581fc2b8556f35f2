import type { Connection } from 'mariadb';
import type { ColumnShape, SchemaShape } from './schema-shape.js';

/** The shape of the connection's database as information_schema reports it, without `_prisma_migrations`. */
export async function readDatabaseShape(conn: Connection): Promise<SchemaShape> {
  const shape: SchemaShape = { tables: {}, foreignKeys: {} };

  const columns: Array<Record<string, string | null>> = await conn.query(
    `SELECT table_name AS t, column_name AS c, column_type AS type, is_nullable AS nullable,
            column_default AS dflt, extra
     FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name <> '_prisma_migrations'`,
  );
  for (const row of columns) {
    const table = (shape.tables[row['t']!] ??= { columns: {}, indexes: {} });
    table.columns[row['c']!] = column(row);
  }

  const indexColumns: Array<Record<string, unknown>> = await conn.query(
    `SELECT table_name AS t, index_name AS i, non_unique AS nu, column_name AS c
     FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name <> '_prisma_migrations'
     ORDER BY table_name, index_name, seq_in_index`,
  );
  for (const row of indexColumns) {
    const table = shape.tables[String(row['t'])];
    if (table === undefined) continue;
    const index = (table.indexes[String(row['i'])] ??= { unique: Number(row['nu']) === 0, columns: [] });
    index.columns.push(String(row['c']));
  }

  const keyColumns: Array<Record<string, string>> = await conn.query(
    `SELECT k.constraint_name AS name, k.table_name AS t, k.column_name AS c,
            k.referenced_table_name AS rt, k.referenced_column_name AS rc,
            r.delete_rule AS onDelete, r.update_rule AS onUpdate
     FROM information_schema.key_column_usage k
     JOIN information_schema.referential_constraints r
       ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name
          AND r.table_name = k.table_name
     WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL
     ORDER BY k.constraint_name, k.ordinal_position`,
  );
  for (const row of keyColumns) {
    const foreignKey = (shape.foreignKeys[row['name']!] ??= {
      table: row['t']!,
      columns: [],
      referencedTable: row['rt']!,
      referencedColumns: [],
      onDelete: row['onDelete']!,
      onUpdate: row['onUpdate']!,
    });
    foreignKey.columns.push(row['c']!);
    foreignKey.referencedColumns.push(row['rc']!);
  }
  // MySQL adds an index named after a foreign key when no declared index starts with its columns; Prisma's
  // migrations leave that to the server, so it is not part of what the schema declares.
  for (const [name, foreignKey] of Object.entries(shape.foreignKeys)) {
    delete shape.tables[foreignKey.table]?.indexes[name];
  }
  return shape;
}

function column(row: Record<string, string | null>): ColumnShape {
  const rawType = String(row['type']).toLowerCase();
  // MariaDB (and MySQL before 8.0.19) print integer display widths; only tinyint(1), the boolean, means anything.
  const type = rawType === 'tinyint(1)' ? rawType : rawType.replace(/^(tinyint|smallint|mediumint|int|bigint)\(\d+\)/, '$1');
  return {
    type,
    nullable: row['nullable'] === 'YES',
    default: normalizeDefault(row['dflt'] ?? null),
    autoIncrement: String(row['extra']).toLowerCase().includes('auto_increment'),
  };
}

// MariaDB reports "no default" on a nullable column as the text NULL and quotes string literals; MySQL 8
// does neither and writes expressions in upper case.
function normalizeDefault(value: string | null): string | null {
  if (value === null || value === 'NULL') return null;
  if (/^current_timestamp/i.test(value)) return value.toLowerCase();
  return value.replace(/^'(.*)'$/s, '$1');
}
