CREATE TABLE `enroll_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`host_pattern` text NOT NULL,
	`uses_left` integer NOT NULL,
	`expires` integer NOT NULL,
	`created` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enroll_tokens_token_hash_unique` ON `enroll_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `issued_certificates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`serial` text NOT NULL,
	`common_name` text NOT NULL,
	`not_after` integer NOT NULL,
	`origin` text NOT NULL,
	`created` integer NOT NULL,
	`revoked` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `issued_certificates_serial_unique` ON `issued_certificates` (`serial`);--> statement-breakpoint
CREATE INDEX `issued_certificates_common_name_idx` ON `issued_certificates` (`common_name`);--> statement-breakpoint
CREATE INDEX `issued_certificates_revoked_idx` ON `issued_certificates` (`revoked`);