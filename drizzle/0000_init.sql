CREATE TABLE `nodes` (
	`id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`uri` text NOT NULL,
	`weight` integer DEFAULT 1 NOT NULL,
	`state` text DEFAULT 'active' NOT NULL,
	`current` integer DEFAULT 0 NOT NULL,
	`op_nonce` text,
	`max_sessions` integer,
	`active_sessions` integer DEFAULT 0 NOT NULL,
	`region` text,
	`labels` text DEFAULT '{}' NOT NULL,
	`connected` integer DEFAULT false NOT NULL,
	`last_heartbeat_at` integer,
	`kms` text,
	`agent` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "nodes_state_check" CHECK("nodes"."state" in ('active', 'draining', 'disabled')),
	CONSTRAINT "nodes_weight_check" CHECK("nodes"."weight" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `nodes_seq_unique` ON `nodes` (`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `nodes_uri_unique` ON `nodes` (`uri`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`node_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`assigned_at` integer NOT NULL,
	`reassigned` integer DEFAULT false NOT NULL,
	`placement` text NOT NULL,
	FOREIGN KEY (`node_id`) REFERENCES `nodes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_id_unique` ON `sessions` (`id`);--> statement-breakpoint
CREATE INDEX `sessions_node_seq_idx` ON `sessions` (`node_id`,`seq`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`name` text,
	`hash` text NOT NULL,
	`node_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`node_id`) REFERENCES `nodes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_node_id_unique` ON `tokens` (`node_id`);