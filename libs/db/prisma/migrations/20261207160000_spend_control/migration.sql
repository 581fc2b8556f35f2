-- Spend control (issue 15): per-key limits, a request's cost, and operators' price overrides.
ALTER TABLE `api_keys`
  ADD COLUMN `tokens_per_min` INT NULL,
  ADD COLUMN `budget_micro_usd` BIGINT NULL,
  ADD COLUMN `budget_period` VARCHAR(8) NULL,
  ADD COLUMN `expires_at` DATETIME(3) NULL,
  ADD COLUMN `allowed_models` TEXT NULL;

ALTER TABLE `request_logs` ADD COLUMN `cost_micro_usd` BIGINT NULL;

-- Usage per key over a window of days reads by key and time.
CREATE INDEX `request_logs_api_key_id_created_at_idx` ON `request_logs`(`api_key_id`, `created_at`);

ALTER TABLE `model_routes` ADD COLUMN `price` TEXT NULL;
ALTER TABLE `providers` ADD COLUMN `price` TEXT NULL;
