ALTER TABLE `packages` ADD `installed_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `packages` ADD `upgrade_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `packages` ADD `security_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `packages_counts_idx` ON `packages` (`security_count`,`upgrade_count`,`installed_count`);
--> statement-breakpoint
-- Backfill (hand-written): the counters of the rows already recorded, as ingest will keep them.
UPDATE `packages` SET
  `installed_count` = (SELECT count(*) FROM `host_packages` h WHERE h.`package_id` = `packages`.`id`)
    + (SELECT count(*) FROM `image_packages` i WHERE i.`package_id` = `packages`.`id`),
  `upgrade_count` = (SELECT count(*) FROM `host_packages` h WHERE h.`upgradable_package_id` = `packages`.`id`)
    + (SELECT count(*) FROM `image_packages` i WHERE i.`upgradable_package_id` = `packages`.`id`),
  `security_count` = (SELECT count(*) FROM `host_packages` h WHERE h.`upgradable_package_id` = `packages`.`id` AND h.`upgrade_type` = 'security')
    + (SELECT count(*) FROM `image_packages` i WHERE i.`upgradable_package_id` = `packages`.`id` AND i.`upgrade_type` = 'security');
