CREATE TABLE `cve_feeds` (
	`id` int AUTO_INCREMENT NOT NULL,
	`state` varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`source` text NOT NULL,
	`feed_time` datetime(3) NOT NULL,
	`imported` datetime(3) NOT NULL,
	`releases` text NOT NULL,
	`status_rows` int NOT NULL,
	`cve_count` int NOT NULL,
	CONSTRAINT `cve_feeds_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `cve_issues` (
	`id` int AUTO_INCREMENT NOT NULL,
	`feed_id` int NOT NULL,
	`cve` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`description` text,
	`scope` varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`debian_bug` int,
	CONSTRAINT `cve_issues_id` PRIMARY KEY(`id`),
	CONSTRAINT `cve_issues_unique` UNIQUE(`feed_id`,`cve`)
);
--> statement-breakpoint
CREATE TABLE `cve_package_status` (
	`id` int AUTO_INCREMENT NOT NULL,
	`feed_id` int NOT NULL,
	`codename` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`source` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`cve` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`status` varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`fixed_version` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`urgency` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`nodsa` text,
	`nodsa_reason` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`next_point_update` boolean NOT NULL,
	`archive_version` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`unstable_fixed_version` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	CONSTRAINT `cve_package_status_id` PRIMARY KEY(`id`),
	CONSTRAINT `cve_package_status_unique` UNIQUE(`feed_id`,`codename`,`source`,`cve`)
);
--> statement-breakpoint
ALTER TABLE `cve_issues` ADD CONSTRAINT `cve_issues_feed_id_fk` FOREIGN KEY (`feed_id`) REFERENCES `cve_feeds`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `cve_package_status` ADD CONSTRAINT `cve_package_status_feed_id_fk` FOREIGN KEY (`feed_id`) REFERENCES `cve_feeds`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `cve_package_status_cve_idx` ON `cve_package_status` (`feed_id`,`cve`);