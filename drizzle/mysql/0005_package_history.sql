CREATE TABLE `package_events` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`owner_kind` varchar(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`owner_id` int NOT NULL,
	`created` datetime(3) NOT NULL,
	`kind` varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`report_type` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`package_id` int,
	`from_version_id` int,
	`to_version_id` int,
	`detail` text,
	CONSTRAINT `package_events_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `host_packages` ADD `upgrade_since` datetime(3);--> statement-breakpoint
ALTER TABLE `hosts` ADD `last_upgraded` datetime(3);--> statement-breakpoint
ALTER TABLE `hosts` ADD `security_since` datetime(3);--> statement-breakpoint
ALTER TABLE `image_packages` ADD `upgrade_since` datetime(3);--> statement-breakpoint
ALTER TABLE `images` ADD `last_upgraded` datetime(3);--> statement-breakpoint
ALTER TABLE `images` ADD `security_since` datetime(3);--> statement-breakpoint
ALTER TABLE `package_events` ADD CONSTRAINT `package_events_package_id_fk` FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `package_events` ADD CONSTRAINT `package_events_from_version_id_fk` FOREIGN KEY (`from_version_id`) REFERENCES `package_versions`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `package_events` ADD CONSTRAINT `package_events_to_version_id_fk` FOREIGN KEY (`to_version_id`) REFERENCES `package_versions`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `package_events_owner_idx` ON `package_events` (`owner_kind`,`owner_id`,`id`);--> statement-breakpoint
CREATE INDEX `package_events_created_idx` ON `package_events` (`created`,`owner_kind`,`kind`,`from_version_id`,`to_version_id`,`owner_id`);--> statement-breakpoint
CREATE INDEX `package_events_package_idx` ON `package_events` (`package_id`,`id`);--> statement-breakpoint
CREATE INDEX `package_events_from_idx` ON `package_events` (`from_version_id`);--> statement-breakpoint
CREATE INDEX `package_events_to_idx` ON `package_events` (`to_version_id`);--> statement-breakpoint
CREATE INDEX `hosts_last_upgraded_idx` ON `hosts` (`last_upgraded`);--> statement-breakpoint
CREATE INDEX `hosts_security_since_idx` ON `hosts` (`security_since`);--> statement-breakpoint
CREATE INDEX `images_last_upgraded_idx` ON `images` (`last_upgraded`);--> statement-breakpoint
CREATE INDEX `images_security_since_idx` ON `images` (`security_since`);--> statement-breakpoint
-- Upgrades recorded before this migration: pending since their row's last change, the best known.
UPDATE `host_packages` SET `upgrade_since` = `modified` WHERE `upgradable_version_id` IS NOT NULL;--> statement-breakpoint
UPDATE `image_packages` SET `upgrade_since` = `modified` WHERE `upgradable_version_id` IS NOT NULL;--> statement-breakpoint
UPDATE `hosts` SET `security_since` = (SELECT MIN(`upgrade_since`) FROM `host_packages` WHERE `host_packages`.`host_id` = `hosts`.`id` AND `host_packages`.`upgrade_type` = 'security');--> statement-breakpoint
UPDATE `images` SET `security_since` = (SELECT MIN(`upgrade_since`) FROM `image_packages` WHERE `image_packages`.`image_id` = `images`.`id` AND `image_packages`.`upgrade_type` = 'security');
