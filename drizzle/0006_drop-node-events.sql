-- The health history written before the outbox moves over with its ids (node.up, node.down, node.restarted,
-- node.ejected), its reason in data.
INSERT INTO `events` (`seq`, `type`, `at`, `node_id`, `data`)
  SELECT `seq`, 'node.' || `type`, `at`, `node_id`, json_object('reason', `reason`) FROM `node_events`;
--> statement-breakpoint
DROP TABLE `node_events`;
