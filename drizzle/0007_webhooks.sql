CREATE TABLE `webhook_deliveries` (
	`webhook_id` text NOT NULL,
	`event_seq` integer NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`last_status` integer,
	`last_error` text,
	`delivered_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`webhook_id`, `event_seq`),
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_updated_idx` ON `webhook_deliveries` (`updated_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`types` text,
	`description` text,
	`secret` text NOT NULL,
	`created_at` integer NOT NULL,
	`after_seq` integer NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`retry_at` integer,
	`lease_owner` text,
	`lease_until` integer
);
