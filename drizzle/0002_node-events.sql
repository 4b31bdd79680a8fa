CREATE TABLE `node_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`node_id` text NOT NULL,
	`at` integer NOT NULL,
	`type` text NOT NULL,
	`reason` text
);
--> statement-breakpoint
CREATE INDEX `node_events_node_seq_idx` ON `node_events` (`node_id`,`seq`);--> statement-breakpoint
ALTER TABLE `nodes` ADD `reported_health` text DEFAULT 'unknown' NOT NULL;