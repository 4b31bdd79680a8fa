CREATE TABLE `placements` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`node_id` text NOT NULL,
	`outcome` text NOT NULL,
	`at` integer NOT NULL
);
