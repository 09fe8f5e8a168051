ALTER TABLE `cve_matched_versions` ADD `fixed` integer;--> statement-breakpoint
ALTER TABLE `cve_matched_versions` ADD `not_affected` integer;