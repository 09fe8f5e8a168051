CREATE TABLE `package_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner_kind` text NOT NULL,
	`owner_id` integer NOT NULL,
	`created` integer NOT NULL,
	`kind` text NOT NULL,
	`report_type` text,
	`package_id` integer,
	`from_version_id` integer,
	`to_version_id` integer,
	`detail` text,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`from_version_id`) REFERENCES `package_versions`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`to_version_id`) REFERENCES `package_versions`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `package_events_owner_idx` ON `package_events` (`owner_kind`,`owner_id`,`id`);--> statement-breakpoint
CREATE INDEX `package_events_created_idx` ON `package_events` (`created`,`owner_kind`,`kind`,`from_version_id`,`to_version_id`,`owner_id`);--> statement-breakpoint
CREATE INDEX `package_events_package_idx` ON `package_events` (`package_id`,`id`);--> statement-breakpoint
CREATE INDEX `package_events_from_idx` ON `package_events` (`from_version_id`);--> statement-breakpoint
CREATE INDEX `package_events_to_idx` ON `package_events` (`to_version_id`);--> statement-breakpoint
ALTER TABLE `host_packages` ADD `upgrade_since` integer;--> statement-breakpoint
ALTER TABLE `hosts` ADD `last_upgraded` integer;--> statement-breakpoint
ALTER TABLE `hosts` ADD `security_since` integer;--> statement-breakpoint
CREATE INDEX `hosts_last_upgraded_idx` ON `hosts` (`last_upgraded`);--> statement-breakpoint
CREATE INDEX `hosts_security_since_idx` ON `hosts` (`security_since`);--> statement-breakpoint
ALTER TABLE `image_packages` ADD `upgrade_since` integer;--> statement-breakpoint
ALTER TABLE `images` ADD `last_upgraded` integer;--> statement-breakpoint
ALTER TABLE `images` ADD `security_since` integer;--> statement-breakpoint
CREATE INDEX `images_last_upgraded_idx` ON `images` (`last_upgraded`);--> statement-breakpoint
CREATE INDEX `images_security_since_idx` ON `images` (`security_since`);--> statement-breakpoint
-- Upgrades recorded before this migration: pending since their row's last change, the best known.
UPDATE `host_packages` SET `upgrade_since` = `modified` WHERE `upgradable_version_id` IS NOT NULL;--> statement-breakpoint
UPDATE `image_packages` SET `upgrade_since` = `modified` WHERE `upgradable_version_id` IS NOT NULL;--> statement-breakpoint
UPDATE `hosts` SET `security_since` = (SELECT MIN(`upgrade_since`) FROM `host_packages` WHERE `host_packages`.`host_id` = `hosts`.`id` AND `host_packages`.`upgrade_type` = 'security');--> statement-breakpoint
UPDATE `images` SET `security_since` = (SELECT MIN(`upgrade_since`) FROM `image_packages` WHERE `image_packages`.`image_id` = `images`.`id` AND `image_packages`.`upgrade_type` = 'security');
