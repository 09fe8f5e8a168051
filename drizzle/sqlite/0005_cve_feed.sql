CREATE TABLE `cve_feeds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`state` text NOT NULL,
	`source` text NOT NULL,
	`feed_time` integer NOT NULL,
	`imported` integer NOT NULL,
	`releases` text NOT NULL,
	`status_rows` integer NOT NULL,
	`cve_count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `cve_issues` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`feed_id` integer NOT NULL,
	`cve` text NOT NULL,
	`description` text,
	`scope` text,
	`debian_bug` integer,
	FOREIGN KEY (`feed_id`) REFERENCES `cve_feeds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cve_issues_unique` ON `cve_issues` (`feed_id`,`cve`);--> statement-breakpoint
CREATE TABLE `cve_package_status` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`feed_id` integer NOT NULL,
	`codename` text NOT NULL,
	`source` text NOT NULL,
	`cve` text NOT NULL,
	`status` text NOT NULL,
	`fixed_version` text,
	`urgency` text NOT NULL,
	`nodsa` text,
	`nodsa_reason` text,
	`next_point_update` integer NOT NULL,
	`archive_version` text,
	`unstable_fixed_version` text,
	FOREIGN KEY (`feed_id`) REFERENCES `cve_feeds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cve_package_status_unique` ON `cve_package_status` (`feed_id`,`codename`,`source`,`cve`);--> statement-breakpoint
CREATE INDEX `cve_package_status_cve_idx` ON `cve_package_status` (`feed_id`,`cve`);