CREATE TABLE `package_change_hours` (
	`hour` datetime(3) NOT NULL,
	`kind` varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`from_version_id` int NOT NULL,
	`to_version_id` int NOT NULL,
	`changes` int NOT NULL,
	`first_change` datetime(3) NOT NULL,
	`last_change` datetime(3) NOT NULL,
	CONSTRAINT `package_change_hours_hour_kind_from_version_id_to_version_id_pk` PRIMARY KEY(`hour`,`kind`,`from_version_id`,`to_version_id`)
);
--> statement-breakpoint
-- The hours of the host changes recorded before this migration (docs/history.md).
INSERT INTO `package_change_hours` (`hour`, `kind`, `from_version_id`, `to_version_id`, `changes`, `first_change`, `last_change`)
SELECT DATE_FORMAT(`created`, '%Y-%m-%d %H:00:00'), `kind`, COALESCE(`from_version_id`, 0), COALESCE(`to_version_id`, 0), COUNT(*), MIN(`created`), MAX(`created`)
FROM `package_events`
WHERE `owner_kind` = 'host' AND `kind` IN ('installed', 'upgraded', 'downgraded', 'removed')
GROUP BY 1, 2, 3, 4;
