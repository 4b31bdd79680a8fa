-- Keeps nodes.active_sessions equal to the number of session rows on each node, whatever statement or
-- driver changes them, so capacity checks cost O(1) instead of counting sessions on every pick.
CREATE TRIGGER `sessions_count_insert` AFTER INSERT ON `sessions` BEGIN
  UPDATE `nodes` SET `active_sessions` = `active_sessions` + 1 WHERE `id` = NEW.`node_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `sessions_count_delete` AFTER DELETE ON `sessions` BEGIN
  UPDATE `nodes` SET `active_sessions` = `active_sessions` - 1 WHERE `id` = OLD.`node_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `sessions_count_move` AFTER UPDATE OF `node_id` ON `sessions` WHEN OLD.`node_id` <> NEW.`node_id` BEGIN
  UPDATE `nodes` SET `active_sessions` = `active_sessions` - 1 WHERE `id` = OLD.`node_id`;
  UPDATE `nodes` SET `active_sessions` = `active_sessions` + 1 WHERE `id` = NEW.`node_id`;
END;
