CREATE TABLE `cve_matched_versions` (
	`id` int AUTO_INCREMENT NOT NULL,
	`feed_id` int NOT NULL,
	`codename` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`source` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`version` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	CONSTRAINT `cve_matched_versions_id` PRIMARY KEY(`id`),
	CONSTRAINT `cve_matched_versions_unique` UNIQUE(`feed_id`,`codename`,`source`,`version`)
);
--> statement-breakpoint
CREATE TABLE `cve_version_findings` (
	`id` int AUTO_INCREMENT NOT NULL,
	`feed_id` int NOT NULL,
	`codename` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`source` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`version` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`cve` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`state` varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`reason` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`fixed_version` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`urgency` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`urgency_rank` int NOT NULL,
	CONSTRAINT `cve_version_findings_id` PRIMARY KEY(`id`),
	CONSTRAINT `cve_version_findings_unique` UNIQUE(`feed_id`,`codename`,`source`,`version`,`cve`)
);
--> statement-breakpoint
CREATE TABLE `host_cve_pairs` (
	`id` int AUTO_INCREMENT NOT NULL,
	`host_id` int NOT NULL,
	`codename` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`source` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`version` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	CONSTRAINT `host_cve_pairs_id` PRIMARY KEY(`id`),
	CONSTRAINT `host_cve_pairs_unique` UNIQUE(`host_id`,`source`,`version`)
);
--> statement-breakpoint
CREATE TABLE `image_cve_pairs` (
	`id` int AUTO_INCREMENT NOT NULL,
	`image_id` int NOT NULL,
	`codename` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`source` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`version` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	CONSTRAINT `image_cve_pairs_id` PRIMARY KEY(`id`),
	CONSTRAINT `image_cve_pairs_unique` UNIQUE(`image_id`,`source`,`version`)
);
--> statement-breakpoint
DROP TABLE `host_cves`;--> statement-breakpoint
DROP TABLE `image_cves`;--> statement-breakpoint
ALTER TABLE `cve_matched_versions` ADD CONSTRAINT `cve_matched_versions_feed_id_fk` FOREIGN KEY (`feed_id`) REFERENCES `cve_feeds`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `cve_version_findings` ADD CONSTRAINT `cve_version_findings_feed_id_fk` FOREIGN KEY (`feed_id`) REFERENCES `cve_feeds`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `host_cve_pairs` ADD CONSTRAINT `host_cve_pairs_host_id_fk` FOREIGN KEY (`host_id`) REFERENCES `hosts`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `image_cve_pairs` ADD CONSTRAINT `image_cve_pairs_image_id_fk` FOREIGN KEY (`image_id`) REFERENCES `images`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `cve_version_findings_cve_idx` ON `cve_version_findings` (`feed_id`,`cve`,`state`);--> statement-breakpoint
CREATE INDEX `host_cve_pairs_version_idx` ON `host_cve_pairs` (`codename`,`source`,`version`,`host_id`);--> statement-breakpoint
CREATE INDEX `image_cve_pairs_version_idx` ON `image_cve_pairs` (`codename`,`source`,`version`,`image_id`);--> statement-breakpoint
-- Findings are now per (release, source, version) and owners' pairs (docs/cve.md, "Stored findings"):
-- the previous imports carry no version findings and no owner has pairs yet, so they are dropped and
-- the next import (the refresh loop, or `cve import`) computes everything from the installed rows.
DELETE FROM `cve_package_status`;--> statement-breakpoint
DELETE FROM `cve_issues`;--> statement-breakpoint
DELETE FROM `cve_feeds`;--> statement-breakpoint
DELETE FROM `cve_fleet`;--> statement-breakpoint
UPDATE `hosts` SET `cve_fixable` = 0, `cve_urgent` = 0;--> statement-breakpoint
UPDATE `images` SET `cve_fixable` = 0, `cve_urgent` = 0;
