CREATE TABLE `cve_fleet` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cve` text NOT NULL,
	`hosts_fixable` integer NOT NULL,
	`hosts_unfixed` integer NOT NULL,
	`hosts_other` integer NOT NULL,
	`images_fixable` integer NOT NULL,
	`images_unfixed` integer NOT NULL,
	`images_other` integer NOT NULL,
	`fixable` integer NOT NULL,
	`affected` integer NOT NULL,
	`urgency` text NOT NULL,
	`urgency_rank` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cve_fleet_cve_unique` ON `cve_fleet` (`cve`);--> statement-breakpoint
CREATE INDEX `cve_fleet_fixable_idx` ON `cve_fleet` (`fixable`,`urgency_rank`,`cve`);--> statement-breakpoint
CREATE INDEX `cve_fleet_affected_idx` ON `cve_fleet` (`affected`,`cve`);--> statement-breakpoint
CREATE INDEX `cve_fleet_urgency_idx` ON `cve_fleet` (`urgency_rank`,`cve`);--> statement-breakpoint
CREATE TABLE `host_cves` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`host_id` integer NOT NULL,
	`cve` text NOT NULL,
	`source` text NOT NULL,
	`installed_version` text NOT NULL,
	`state` text NOT NULL,
	`reason` text,
	`fixed_version` text,
	`urgency` text NOT NULL,
	`urgency_rank` integer NOT NULL,
	FOREIGN KEY (`host_id`) REFERENCES `hosts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `host_cves_unique` ON `host_cves` (`host_id`,`cve`,`source`);--> statement-breakpoint
CREATE INDEX `host_cves_cve_idx` ON `host_cves` (`cve`,`state`,`host_id`);--> statement-breakpoint
CREATE TABLE `image_cves` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`image_id` integer NOT NULL,
	`cve` text NOT NULL,
	`source` text NOT NULL,
	`installed_version` text NOT NULL,
	`state` text NOT NULL,
	`reason` text,
	`fixed_version` text,
	`urgency` text NOT NULL,
	`urgency_rank` integer NOT NULL,
	FOREIGN KEY (`image_id`) REFERENCES `images`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `image_cves_unique` ON `image_cves` (`image_id`,`cve`,`source`);--> statement-breakpoint
CREATE INDEX `image_cves_cve_idx` ON `image_cves` (`cve`,`state`,`image_id`);--> statement-breakpoint
ALTER TABLE `hosts` ADD `cve_fixable` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `hosts` ADD `cve_urgent` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `hosts_cve_fixable_idx` ON `hosts` (`cve_fixable`);--> statement-breakpoint
CREATE INDEX `hosts_cve_urgent_idx` ON `hosts` (`cve_urgent`);--> statement-breakpoint
ALTER TABLE `images` ADD `cve_fixable` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `images` ADD `cve_urgent` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `images_cve_fixable_idx` ON `images` (`cve_fixable`);--> statement-breakpoint
CREATE INDEX `images_cve_urgent_idx` ON `images` (`cve_urgent`);