ALTER TABLE `hosts` ADD `kernel_state` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `hosts` ADD `kernel_state_reason` text;--> statement-breakpoint
ALTER TABLE `hosts` ADD `kernel_state_since` integer;--> statement-breakpoint
ALTER TABLE `hosts` ADD `reboot_required` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `hosts` ADD `reboot_reasons` text;--> statement-breakpoint
ALTER TABLE `hosts` ADD `reboot_required_since` integer;--> statement-breakpoint
ALTER TABLE `hosts` ADD `boot_time` integer;--> statement-breakpoint
ALTER TABLE `hosts` ADD `restart_services` text;--> statement-breakpoint
ALTER TABLE `hosts` ADD `restart_service_count` integer;--> statement-breakpoint
ALTER TABLE `hosts` ADD `last_full_report` integer;--> statement-breakpoint
CREATE INDEX `hosts_reboot_idx` ON `hosts` (`reboot_required`);--> statement-breakpoint
CREATE INDEX `hosts_last_full_report_idx` ON `hosts` (`last_full_report`);--> statement-breakpoint
-- Hosts recorded before this migration: their last report stands for their last full report.
UPDATE `hosts` SET `last_full_report` = `modified`;
