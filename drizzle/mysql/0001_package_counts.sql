CREATE TABLE `package_count_deltas` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`package_id` int NOT NULL,
	`installed` int NOT NULL,
	`upgrades` int NOT NULL,
	`security` int NOT NULL,
	CONSTRAINT `package_count_deltas_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `package_counts` (
	`package_id` int NOT NULL,
	`installed` int NOT NULL DEFAULT 0,
	`upgrades` int NOT NULL DEFAULT 0,
	`security` int NOT NULL DEFAULT 0,
	CONSTRAINT `package_counts_package_id` PRIMARY KEY(`package_id`)
);
--> statement-breakpoint
ALTER TABLE `package_count_deltas` ADD CONSTRAINT `package_count_deltas_package_id_fk` FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `package_counts` ADD CONSTRAINT `package_counts_package_id_fk` FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Backfill (hand-written): the counts of the rows already recorded, hosts plus images, as the fold
-- keeps them (src/store/package-counts.ts recounts with the same statement).
INSERT INTO `package_counts` (`package_id`, `installed`, `upgrades`, `security`)
SELECT `package_id`, sum(`installed`), sum(`upgrades`), sum(`security`) FROM (
  SELECT `package_id`, count(*) AS `installed`, 0 AS `upgrades`, 0 AS `security`
    FROM `host_packages` GROUP BY `package_id`
  UNION ALL
  SELECT `upgradable_package_id`, 0, count(*), sum(CASE WHEN `upgrade_type` = 'security' THEN 1 ELSE 0 END)
    FROM `host_packages` WHERE `upgradable_package_id` IS NOT NULL GROUP BY `upgradable_package_id`
  UNION ALL
  SELECT `package_id`, count(*), 0, 0
    FROM `image_packages` GROUP BY `package_id`
  UNION ALL
  SELECT `upgradable_package_id`, 0, count(*), sum(CASE WHEN `upgrade_type` = 'security' THEN 1 ELSE 0 END)
    FROM `image_packages` WHERE `upgradable_package_id` IS NOT NULL GROUP BY `upgradable_package_id`
) AS `recount` GROUP BY `package_id`;
