CREATE TABLE `events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`at` integer NOT NULL,
	`node_id` text,
	`session_id` text,
	`data` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_node_seq_idx` ON `events` (`node_id`,`seq`);--> statement-breakpoint
CREATE INDEX `events_type_seq_idx` ON `events` (`type`,`seq`);