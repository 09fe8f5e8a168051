ALTER TABLE `cve_matched_versions` ADD `fixed` int;--> statement-breakpoint
ALTER TABLE `cve_matched_versions` ADD `not_affected` int;