CREATE TABLE `observer` (
	`id` integer PRIMARY KEY NOT NULL,
	`observed_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `nodes` ADD `ejected_until` integer;--> statement-breakpoint
ALTER TABLE `nodes` ADD `ejection_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `nodes` ADD `last_ejected_at` integer;--> statement-breakpoint
ALTER TABLE `nodes` ADD `up_since` integer;--> statement-breakpoint
ALTER TABLE `nodes` ADD `cpu_load` real;--> statement-breakpoint
ALTER TABLE `placements` ADD `decision` text;