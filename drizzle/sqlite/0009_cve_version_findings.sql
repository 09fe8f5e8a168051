CREATE TABLE `cve_matched_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`feed_id` integer NOT NULL,
	`codename` text NOT NULL,
	`source` text NOT NULL,
	`version` text NOT NULL,
	FOREIGN KEY (`feed_id`) REFERENCES `cve_feeds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cve_matched_versions_unique` ON `cve_matched_versions` (`feed_id`,`codename`,`source`,`version`);--> statement-breakpoint
CREATE TABLE `cve_version_findings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`feed_id` integer NOT NULL,
	`codename` text NOT NULL,
	`source` text NOT NULL,
	`version` text NOT NULL,
	`cve` text NOT NULL,
	`state` text NOT NULL,
	`reason` text,
	`fixed_version` text,
	`urgency` text NOT NULL,
	`urgency_rank` integer NOT NULL,
	FOREIGN KEY (`feed_id`) REFERENCES `cve_feeds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cve_version_findings_unique` ON `cve_version_findings` (`feed_id`,`codename`,`source`,`version`,`cve`);--> statement-breakpoint
CREATE INDEX `cve_version_findings_cve_idx` ON `cve_version_findings` (`feed_id`,`cve`,`state`);--> statement-breakpoint
CREATE TABLE `host_cve_pairs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`host_id` integer NOT NULL,
	`codename` text NOT NULL,
	`source` text NOT NULL,
	`version` text NOT NULL,
	FOREIGN KEY (`host_id`) REFERENCES `hosts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `host_cve_pairs_unique` ON `host_cve_pairs` (`host_id`,`source`,`version`);--> statement-breakpoint
CREATE INDEX `host_cve_pairs_version_idx` ON `host_cve_pairs` (`codename`,`source`,`version`,`host_id`);--> statement-breakpoint
CREATE TABLE `image_cve_pairs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`image_id` integer NOT NULL,
	`codename` text NOT NULL,
	`source` text NOT NULL,
	`version` text NOT NULL,
	FOREIGN KEY (`image_id`) REFERENCES `images`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `image_cve_pairs_unique` ON `image_cve_pairs` (`image_id`,`source`,`version`);--> statement-breakpoint
CREATE INDEX `image_cve_pairs_version_idx` ON `image_cve_pairs` (`codename`,`source`,`version`,`image_id`);--> statement-breakpoint
DROP TABLE `host_cves`;--> statement-breakpoint
DROP TABLE `image_cves`;--> statement-breakpoint
-- Findings are now per (release, source, version) and owners' pairs (docs/cve.md, "Stored findings"):
-- the previous imports carry no version findings and no owner has pairs yet, so they are dropped and
-- the next import (the refresh loop, or `cve import`) computes everything from the installed rows.
DELETE FROM `cve_package_status`;--> statement-breakpoint
DELETE FROM `cve_issues`;--> statement-breakpoint
DELETE FROM `cve_feeds`;--> statement-breakpoint
DELETE FROM `cve_fleet`;--> statement-breakpoint
UPDATE `hosts` SET `cve_fixable` = 0, `cve_urgent` = 0;--> statement-breakpoint
UPDATE `images` SET `cve_fixable` = 0, `cve_urgent` = 0;
