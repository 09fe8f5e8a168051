CREATE TABLE `package_change_hours` (
	`hour` integer NOT NULL,
	`kind` text NOT NULL,
	`from_version_id` integer NOT NULL,
	`to_version_id` integer NOT NULL,
	`changes` integer NOT NULL,
	`first_change` integer NOT NULL,
	`last_change` integer NOT NULL,
	PRIMARY KEY(`hour`, `kind`, `from_version_id`, `to_version_id`)
);
--> statement-breakpoint
-- The hours of the host changes recorded before this migration (docs/history.md).
INSERT INTO `package_change_hours` (`hour`, `kind`, `from_version_id`, `to_version_id`, `changes`, `first_change`, `last_change`)
SELECT `created` - `created` % 3600000, `kind`, COALESCE(`from_version_id`, 0), COALESCE(`to_version_id`, 0), COUNT(*), MIN(`created`), MAX(`created`)
FROM `package_events`
WHERE `owner_kind` = 'host' AND `kind` IN ('installed', 'upgraded', 'downgraded', 'removed')
GROUP BY 1, 2, 3, 4;
