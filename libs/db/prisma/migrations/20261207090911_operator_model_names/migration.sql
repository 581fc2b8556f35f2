-- AlterTable
ALTER TABLE `model_routes` ADD COLUMN `models` TEXT NULL;

-- AlterTable
ALTER TABLE `providers` ADD COLUMN `models` TEXT NULL;
