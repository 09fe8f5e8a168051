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
