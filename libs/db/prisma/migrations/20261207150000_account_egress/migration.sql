-- How an account reaches its upstream: 'pool' (only through a proxy of the pool; not selectable while it has
-- none) or 'direct' (the operator chose no proxy for it).
ALTER TABLE `accounts` ADD COLUMN `egress` VARCHAR(8) NOT NULL DEFAULT 'pool';

-- An installation without any proxy sent every account direct all along: keep that, now as an explicit choice.
-- Where proxies exist, unbound accounts become 'pool' and wait for room instead of going out directly.
UPDATE `accounts` SET `egress` = 'direct' WHERE NOT EXISTS (SELECT 1 FROM `proxy_pool`);
