CREATE TABLE `package_count_deltas` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_id` integer NOT NULL,
	`installed` integer NOT NULL,
	`upgrades` integer NOT NULL,
	`security` integer NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `package_counts` (
	`package_id` integer PRIMARY KEY NOT NULL,
	`installed` integer DEFAULT 0 NOT NULL,
	`upgrades` integer DEFAULT 0 NOT NULL,
	`security` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
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
