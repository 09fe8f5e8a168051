CREATE TABLE `host_packages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`host_id` integer NOT NULL,
	`package_id` integer NOT NULL,
	`package_version_id` integer NOT NULL,
	`upgradable_package_id` integer,
	`upgradable_version_id` integer,
	`upgrade_type` text,
	`created` integer NOT NULL,
	`modified` integer NOT NULL,
	FOREIGN KEY (`host_id`) REFERENCES `hosts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`package_version_id`) REFERENCES `package_versions`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`upgradable_package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`upgradable_version_id`) REFERENCES `package_versions`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `host_packages_unique` ON `host_packages` (`host_id`,`package_id`);--> statement-breakpoint
CREATE INDEX `host_packages_package_idx` ON `host_packages` (`package_id`);--> statement-breakpoint
CREATE INDEX `host_packages_version_idx` ON `host_packages` (`package_version_id`);--> statement-breakpoint
CREATE INDEX `host_packages_upgradable_version_idx` ON `host_packages` (`upgradable_version_id`);--> statement-breakpoint
CREATE INDEX `host_packages_upgrade_idx` ON `host_packages` (`upgradable_package_id`,`upgrade_type`);--> statement-breakpoint
CREATE TABLE `hosts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`os_id` integer NOT NULL,
	`kernel_id` integer NOT NULL,
	`package_count` integer DEFAULT 0 NOT NULL,
	`upgrade_count` integer DEFAULT 0 NOT NULL,
	`security_count` integer DEFAULT 0 NOT NULL,
	`created` integer NOT NULL,
	`modified` integer NOT NULL,
	FOREIGN KEY (`os_id`) REFERENCES `os`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`kernel_id`) REFERENCES `kernels`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hosts_name_unique` ON `hosts` (`name`);--> statement-breakpoint
CREATE INDEX `hosts_kernel_idx` ON `hosts` (`kernel_id`);--> statement-breakpoint
CREATE INDEX `hosts_os_idx` ON `hosts` (`os_id`);--> statement-breakpoint
CREATE INDEX `hosts_modified_idx` ON `hosts` (`modified`);--> statement-breakpoint
CREATE INDEX `hosts_counts_idx` ON `hosts` (`security_count`,`upgrade_count`,`package_count`);--> statement-breakpoint
CREATE TABLE `image_packages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`image_id` integer NOT NULL,
	`package_id` integer NOT NULL,
	`package_version_id` integer NOT NULL,
	`upgradable_package_id` integer,
	`upgradable_version_id` integer,
	`upgrade_type` text,
	`created` integer NOT NULL,
	`modified` integer NOT NULL,
	FOREIGN KEY (`image_id`) REFERENCES `images`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`package_version_id`) REFERENCES `package_versions`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`upgradable_package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`upgradable_version_id`) REFERENCES `package_versions`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `image_packages_unique` ON `image_packages` (`image_id`,`package_id`);--> statement-breakpoint
CREATE INDEX `image_packages_package_idx` ON `image_packages` (`package_id`);--> statement-breakpoint
CREATE INDEX `image_packages_version_idx` ON `image_packages` (`package_version_id`);--> statement-breakpoint
CREATE INDEX `image_packages_upgradable_version_idx` ON `image_packages` (`upgradable_version_id`);--> statement-breakpoint
CREATE INDEX `image_packages_upgrade_idx` ON `image_packages` (`upgradable_package_id`,`upgrade_type`);--> statement-breakpoint
CREATE TABLE `images` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`os_id` integer NOT NULL,
	`package_count` integer DEFAULT 0 NOT NULL,
	`upgrade_count` integer DEFAULT 0 NOT NULL,
	`security_count` integer DEFAULT 0 NOT NULL,
	`created` integer NOT NULL,
	`modified` integer NOT NULL,
	FOREIGN KEY (`os_id`) REFERENCES `os`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `images_name_unique` ON `images` (`name`);--> statement-breakpoint
CREATE INDEX `images_os_idx` ON `images` (`os_id`);--> statement-breakpoint
CREATE INDEX `images_modified_idx` ON `images` (`modified`);--> statement-breakpoint
CREATE INDEX `images_counts_idx` ON `images` (`security_count`,`upgrade_count`,`package_count`);--> statement-breakpoint
CREATE TABLE `kernels` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`release` text,
	`os_id` integer NOT NULL,
	`created` integer NOT NULL,
	`modified` integer NOT NULL,
	FOREIGN KEY (`os_id`) REFERENCES `os`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kernels_unique` ON `kernels` (`name`,`os_id`);--> statement-breakpoint
CREATE INDEX `kernels_os_slug_idx` ON `kernels` (`os_id`,`slug`);--> statement-breakpoint
CREATE TABLE `kubernetes_images` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cluster` text NOT NULL,
	`namespace` text NOT NULL,
	`image_id` integer NOT NULL,
	`containers` integer NOT NULL,
	`created` integer NOT NULL,
	`modified` integer NOT NULL,
	FOREIGN KEY (`image_id`) REFERENCES `images`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "kubernetes_images_containers_check" CHECK("kubernetes_images"."containers" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kubernetes_images_unique` ON `kubernetes_images` (`cluster`,`namespace`,`image_id`);--> statement-breakpoint
CREATE INDEX `kubernetes_images_image_idx` ON `kubernetes_images` (`image_id`);--> statement-breakpoint
CREATE TABLE `login_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subject` text NOT NULL,
	`created` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `login_failures_subject_idx` ON `login_failures` (`subject`,`created`);--> statement-breakpoint
CREATE TABLE `os` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `os_name_unique` ON `os` (`name`);--> statement-breakpoint
CREATE TABLE `package_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_id` integer NOT NULL,
	`version` text NOT NULL,
	`os_id` integer NOT NULL,
	`src_package_version_id` integer NOT NULL,
	`created` integer NOT NULL,
	`modified` integer NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`os_id`) REFERENCES `os`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`src_package_version_id`) REFERENCES `src_package_versions`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `package_versions_unique` ON `package_versions` (`package_id`,`version`,`os_id`);--> statement-breakpoint
CREATE INDEX `package_versions_src_idx` ON `package_versions` (`src_package_version_id`);--> statement-breakpoint
CREATE INDEX `package_versions_os_idx` ON `package_versions` (`os_id`);--> statement-breakpoint
CREATE INDEX `package_versions_version_idx` ON `package_versions` (`version`);--> statement-breakpoint
CREATE TABLE `packages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `packages_name_unique` ON `packages` (`name`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` integer NOT NULL,
	`csrf_token` text NOT NULL,
	`created` integer NOT NULL,
	`last_seen` integer NOT NULL,
	`expires` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_token_hash_unique` ON `sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `sessions_expires_idx` ON `sessions` (`expires`);--> statement-breakpoint
CREATE TABLE `src_package_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`src_package_id` integer NOT NULL,
	`version` text NOT NULL,
	`os_id` integer NOT NULL,
	`created` integer NOT NULL,
	`modified` integer NOT NULL,
	FOREIGN KEY (`src_package_id`) REFERENCES `src_packages`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`os_id`) REFERENCES `os`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `src_package_versions_unique` ON `src_package_versions` (`src_package_id`,`version`,`os_id`);--> statement-breakpoint
CREATE INDEX `src_package_versions_os_idx` ON `src_package_versions` (`os_id`);--> statement-breakpoint
CREATE INDEX `src_package_versions_version_idx` ON `src_package_versions` (`version`);--> statement-breakpoint
CREATE TABLE `src_packages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `src_packages_name_unique` ON `src_packages` (`name`);--> statement-breakpoint
CREATE TABLE `used_tickets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_hash` text NOT NULL,
	`created` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `used_tickets_hash_unique` ON `used_tickets` (`ticket_hash`);--> statement-breakpoint
CREATE INDEX `used_tickets_created_idx` ON `used_tickets` (`created`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`password_hash` text,
	`is_active` integer DEFAULT true NOT NULL,
	`is_superuser` integer DEFAULT false NOT NULL,
	`last_login` integer,
	`created` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);