// The comparable shape of a MySQL schema: what the Prisma schema promises and what information_schema shows,
// normalized so that MariaDB and MySQL 8 spell it the same way.

export interface ColumnShape {
  /** Lowercase column type without integer display widths, e.g. `int`, `varchar(64)`, `tinyint(1)`. */
  type: string;
  nullable: boolean;
  /** Default as the server reports it, unquoted and lowercase for expressions; null when none. */
  default: string | null;
  autoIncrement: boolean;
}

export interface IndexShape {
  unique: boolean;
  /** In index order. */
  columns: string[];
}

export interface ForeignKeyShape {
  table: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  /** By index name; the primary key is `PRIMARY`. */
  indexes: Record<string, IndexShape>;
}

export interface SchemaShape {
  tables: Record<string, TableShape>;
  /** By constraint name. */
  foreignKeys: Record<string, ForeignKeyShape>;
}
