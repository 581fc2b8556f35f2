-- CreateTable
CREATE TABLE `providers` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(64) NOT NULL,
    `kind` VARCHAR(32) NOT NULL,
    `base_url` VARCHAR(512) NOT NULL,
    `is_active` BOOLEAN NOT NULL DEFAULT true,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `providers_name_key`(`name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `accounts` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `provider_id` INTEGER NOT NULL,
    `label` VARCHAR(128) NOT NULL,
    `auth_type` VARCHAR(16) NOT NULL,
    `auth_data` TEXT NOT NULL,
    `base_url` VARCHAR(512) NULL,
    `settings` TEXT NULL,
    `proxy_id` INTEGER NULL,
    `is_active` BOOLEAN NOT NULL DEFAULT true,
    `rate_limit_per_min` INTEGER NULL,
    `last_used_at` DATETIME(3) NULL,
    `usage_count` INTEGER NOT NULL DEFAULT 0,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,

    INDEX `accounts_provider_id_is_active_idx`(`provider_id`, `is_active`),
    INDEX `accounts_proxy_id_idx`(`proxy_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `proxy_pool` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `label` VARCHAR(128) NOT NULL,
    `proxy_url` VARCHAR(512) NOT NULL,
    `capacity` INTEGER NOT NULL DEFAULT 10,
    `max_failures` INTEGER NOT NULL DEFAULT 5,
    `failure_count` INTEGER NOT NULL DEFAULT 0,
    `is_active` BOOLEAN NOT NULL DEFAULT true,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `proxy_pool_proxy_url_key`(`proxy_url`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `model_routes` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `pattern` VARCHAR(128) NOT NULL,
    `provider_id` INTEGER NOT NULL,
    `upstream_model` VARCHAR(128) NULL,
    `priority` INTEGER NOT NULL DEFAULT 0,
    `fallback_model` VARCHAR(128) NULL,
    `is_active` BOOLEAN NOT NULL DEFAULT true,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,

    INDEX `model_routes_provider_id_idx`(`provider_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `api_keys` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(128) NOT NULL,
    `key_hash` CHAR(64) NOT NULL,
    `prefix` VARCHAR(16) NOT NULL,
    `rate_limit_per_min` INTEGER NULL,
    `revoked_at` DATETIME(3) NULL,
    `last_used_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `api_keys_key_hash_key`(`key_hash`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `request_logs` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `request_id` VARCHAR(64) NOT NULL,
    `api_key_id` INTEGER NULL,
    `provider_id` INTEGER NULL,
    `model` VARCHAR(128) NOT NULL,
    `upstream_model` VARCHAR(128) NULL,
    `account_id` INTEGER NULL,
    `proxy_id` INTEGER NULL,
    `status_code` SMALLINT NOT NULL,
    `input_tokens` INTEGER NOT NULL DEFAULT 0,
    `output_tokens` INTEGER NOT NULL DEFAULT 0,
    `cached_tokens` INTEGER NOT NULL DEFAULT 0,
    `latency_ms` INTEGER NOT NULL,
    `upstream_latency_ms` INTEGER NOT NULL DEFAULT 0,
    `error_class` VARCHAR(64) NULL,
    `is_stream` BOOLEAN NOT NULL DEFAULT false,
    `attempts` SMALLINT NOT NULL DEFAULT 1,
    `client_format` VARCHAR(16) NOT NULL,
    `dropped_fields` VARCHAR(512) NULL,
    `started_at` DATETIME(3) NOT NULL,
    `created_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `request_logs_request_id_key`(`request_id`),
    INDEX `request_logs_created_at_idx`(`created_at`),
    INDEX `request_logs_provider_id_idx`(`provider_id`),
    INDEX `request_logs_proxy_id_idx`(`proxy_id`),
    INDEX `request_logs_account_id_idx`(`account_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `proxy_stats` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `proxy_id` INTEGER NOT NULL,
    `day` DATE NOT NULL,
    `requests` INTEGER NOT NULL DEFAULT 0,
    `successes` INTEGER NOT NULL DEFAULT 0,
    `failures` INTEGER NOT NULL DEFAULT 0,
    `total_latency_ms` BIGINT NOT NULL DEFAULT 0,
    `avg_latency_ms` INTEGER NOT NULL DEFAULT 0,
    `input_tokens` BIGINT NOT NULL DEFAULT 0,
    `output_tokens` BIGINT NOT NULL DEFAULT 0,

    UNIQUE INDEX `proxy_stats_proxy_id_day_key`(`proxy_id`, `day`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `account_stats` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `account_id` INTEGER NOT NULL,
    `day` DATE NOT NULL,
    `requests` INTEGER NOT NULL DEFAULT 0,
    `successes` INTEGER NOT NULL DEFAULT 0,
    `failures` INTEGER NOT NULL DEFAULT 0,
    `total_latency_ms` BIGINT NOT NULL DEFAULT 0,
    `avg_latency_ms` INTEGER NOT NULL DEFAULT 0,
    `input_tokens` BIGINT NOT NULL DEFAULT 0,
    `output_tokens` BIGINT NOT NULL DEFAULT 0,

    UNIQUE INDEX `account_stats_account_id_day_key`(`account_id`, `day`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `accounts` ADD CONSTRAINT `accounts_provider_id_fkey` FOREIGN KEY (`provider_id`) REFERENCES `providers`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `accounts` ADD CONSTRAINT `accounts_proxy_id_fkey` FOREIGN KEY (`proxy_id`) REFERENCES `proxy_pool`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `model_routes` ADD CONSTRAINT `model_routes_provider_id_fkey` FOREIGN KEY (`provider_id`) REFERENCES `providers`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
