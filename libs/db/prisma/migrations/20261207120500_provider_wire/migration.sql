-- AlterTable
ALTER TABLE `providers` ADD COLUMN `wire` VARCHAR(16) NULL;
