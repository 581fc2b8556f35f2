-- AlterTable: the client's own x-request-id, kept apart from the gateway's request_id (issue 14).
ALTER TABLE `request_logs` ADD COLUMN `client_request_id` VARCHAR(64) NULL;

-- CreateIndex
CREATE INDEX `request_logs_client_request_id_idx` ON `request_logs`(`client_request_id`);
