ALTER TABLE `hosts` ADD `kernel_state` int DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `hosts` ADD `kernel_state_reason` text;--> statement-breakpoint
ALTER TABLE `hosts` ADD `kernel_state_since` datetime(3);--> statement-breakpoint
ALTER TABLE `hosts` ADD `reboot_required` int DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `hosts` ADD `reboot_reasons` text;--> statement-breakpoint
ALTER TABLE `hosts` ADD `reboot_required_since` datetime(3);--> statement-breakpoint
ALTER TABLE `hosts` ADD `boot_time` datetime(3);--> statement-breakpoint
ALTER TABLE `hosts` ADD `restart_services` text;--> statement-breakpoint
ALTER TABLE `hosts` ADD `restart_service_count` int;--> statement-breakpoint
ALTER TABLE `hosts` ADD `last_full_report` datetime(3);--> statement-breakpoint
CREATE INDEX `hosts_reboot_idx` ON `hosts` (`reboot_required`);--> statement-breakpoint
CREATE INDEX `hosts_last_full_report_idx` ON `hosts` (`last_full_report`);--> statement-breakpoint
-- Hosts recorded before this migration: their last report stands for their last full report.
UPDATE `hosts` SET `last_full_report` = `modified`;
