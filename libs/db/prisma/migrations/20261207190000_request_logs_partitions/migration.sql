-- Day-partitioned request_logs (issue 16): retention drops whole day partitions instead of deleting rows.
-- Every unique key of a partitioned table must hold the partitioning column, so the primary key becomes
-- (id, created_at) and the request id's uniqueness becomes (request_id, created_at). created_at is the event's
-- own finish time, so a redelivered event still collides with its stored row. MariaDB 10.11 and MySQL 8 both
-- document every statement below (RANGE COLUMNS on a DATETIME, PREPARE from a user variable, recursive CTEs).
-- The two ALTERs each copy the table: on a large table, run the migration in a quiet hour.

-- AlterTable: keys that include the partitioning column.
ALTER TABLE `request_logs`
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (`id`, `created_at`),
  DROP INDEX `request_logs_request_id_key`,
  ADD UNIQUE INDEX `request_logs_request_id_created_at_key` (`request_id`, `created_at`);

-- Partition by UTC day, from the oldest row's day (at most 400 days back: older rows share the first
-- partition, which retention then drops first) to 7 days ahead, plus the catch-all pmax that the logging
-- service's partition maintenance splits ahead of time. Partition pYYYYMMDD holds that day's rows.
SET @aigw_first_day = (SELECT GREATEST(LEAST(COALESCE(DATE(MIN(`created_at`)), UTC_DATE()), UTC_DATE()), UTC_DATE() - INTERVAL 400 DAY) FROM `request_logs`);
SET SESSION group_concat_max_len = 1048576;
SET @aigw_partition_sql = (
  WITH RECURSIVE `days` (`d`) AS (
    SELECT CAST(@aigw_first_day AS DATE)
    UNION ALL
    SELECT `d` + INTERVAL 1 DAY FROM `days` WHERE `d` < UTC_DATE() + INTERVAL 7 DAY
  )
  SELECT CONCAT(
    'ALTER TABLE `request_logs` PARTITION BY RANGE COLUMNS(`created_at`) (',
    GROUP_CONCAT(CONCAT('PARTITION p', DATE_FORMAT(`d`, '%Y%m%d'), ' VALUES LESS THAN (''', DATE_FORMAT(`d` + INTERVAL 1 DAY, '%Y-%m-%d'), ''')') ORDER BY `d` SEPARATOR ', '),
    ', PARTITION pmax VALUES LESS THAN (MAXVALUE))'
  )
  FROM `days`
);
PREPARE `aigw_partition_stmt` FROM @aigw_partition_sql;
EXECUTE `aigw_partition_stmt`;
DEALLOCATE PREPARE `aigw_partition_stmt`;
SET @aigw_partition_sql = NULL;
SET @aigw_first_day = NULL;
