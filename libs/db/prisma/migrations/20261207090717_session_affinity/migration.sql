-- Session affinity (DESIGN.md section 8): per-route switch, on by default, and what affinity did per request.
-- Both columns are appended with defaults, which MariaDB and MySQL 8 add in place without rebuilding the table.

-- AlterTable
ALTER TABLE `model_routes` ADD COLUMN `session_affinity` BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE `request_logs` ADD COLUMN `affinity` VARCHAR(16) NULL;
