CREATE TABLE `host_packages` (
	`id` int AUTO_INCREMENT NOT NULL,
	`host_id` int NOT NULL,
	`package_id` int NOT NULL,
	`package_version_id` int NOT NULL,
	`upgradable_package_id` int,
	`upgradable_version_id` int,
	`upgrade_type` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`created` datetime(3) NOT NULL,
	`modified` datetime(3) NOT NULL,
	CONSTRAINT `host_packages_id` PRIMARY KEY(`id`),
	CONSTRAINT `host_packages_unique` UNIQUE(`host_id`,`package_id`)
);
--> statement-breakpoint
CREATE TABLE `hosts` (
	`id` int AUTO_INCREMENT NOT NULL,
	`name` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`os_id` int NOT NULL,
	`kernel_id` int NOT NULL,
	`package_count` int NOT NULL DEFAULT 0,
	`upgrade_count` int NOT NULL DEFAULT 0,
	`security_count` int NOT NULL DEFAULT 0,
	`created` datetime(3) NOT NULL,
	`modified` datetime(3) NOT NULL,
	CONSTRAINT `hosts_id` PRIMARY KEY(`id`),
	CONSTRAINT `hosts_name_unique` UNIQUE(`name`)
);
--> statement-breakpoint
CREATE TABLE `image_packages` (
	`id` int AUTO_INCREMENT NOT NULL,
	`image_id` int NOT NULL,
	`package_id` int NOT NULL,
	`package_version_id` int NOT NULL,
	`upgradable_package_id` int,
	`upgradable_version_id` int,
	`upgrade_type` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`created` datetime(3) NOT NULL,
	`modified` datetime(3) NOT NULL,
	CONSTRAINT `image_packages_id` PRIMARY KEY(`id`),
	CONSTRAINT `image_packages_unique` UNIQUE(`image_id`,`package_id`)
);
--> statement-breakpoint
CREATE TABLE `images` (
	`id` int AUTO_INCREMENT NOT NULL,
	`name` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`os_id` int NOT NULL,
	`package_count` int NOT NULL DEFAULT 0,
	`upgrade_count` int NOT NULL DEFAULT 0,
	`security_count` int NOT NULL DEFAULT 0,
	`created` datetime(3) NOT NULL,
	`modified` datetime(3) NOT NULL,
	CONSTRAINT `images_id` PRIMARY KEY(`id`),
	CONSTRAINT `images_name_unique` UNIQUE(`name`)
);
--> statement-breakpoint
CREATE TABLE `kernels` (
	`id` int AUTO_INCREMENT NOT NULL,
	`name` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`slug` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`release` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`os_id` int NOT NULL,
	`created` datetime(3) NOT NULL,
	`modified` datetime(3) NOT NULL,
	CONSTRAINT `kernels_id` PRIMARY KEY(`id`),
	CONSTRAINT `kernels_unique` UNIQUE(`name`,`os_id`)
);
--> statement-breakpoint
CREATE TABLE `kubernetes_images` (
	`id` int AUTO_INCREMENT NOT NULL,
	`cluster` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`namespace` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`image_id` int NOT NULL,
	`containers` int NOT NULL,
	`created` datetime(3) NOT NULL,
	`modified` datetime(3) NOT NULL,
	CONSTRAINT `kubernetes_images_id` PRIMARY KEY(`id`),
	CONSTRAINT `kubernetes_images_unique` UNIQUE(`cluster`,`namespace`,`image_id`),
	CONSTRAINT `kubernetes_images_containers_check` CHECK(`kubernetes_images`.`containers` >= 0)
);
--> statement-breakpoint
CREATE TABLE `login_failures` (
	`id` int AUTO_INCREMENT NOT NULL,
	`subject` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`created` datetime(3) NOT NULL,
	CONSTRAINT `login_failures_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `os` (
	`id` int AUTO_INCREMENT NOT NULL,
	`name` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	CONSTRAINT `os_id` PRIMARY KEY(`id`),
	CONSTRAINT `os_name_unique` UNIQUE(`name`)
);
--> statement-breakpoint
CREATE TABLE `package_versions` (
	`id` int AUTO_INCREMENT NOT NULL,
	`package_id` int NOT NULL,
	`version` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`os_id` int NOT NULL,
	`src_package_version_id` int NOT NULL,
	`created` datetime(3) NOT NULL,
	`modified` datetime(3) NOT NULL,
	CONSTRAINT `package_versions_id` PRIMARY KEY(`id`),
	CONSTRAINT `package_versions_unique` UNIQUE(`package_id`,`version`,`os_id`)
);
--> statement-breakpoint
CREATE TABLE `packages` (
	`id` int AUTO_INCREMENT NOT NULL,
	`name` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	CONSTRAINT `packages_id` PRIMARY KEY(`id`),
	CONSTRAINT `packages_name_unique` UNIQUE(`name`)
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` int AUTO_INCREMENT NOT NULL,
	`token_hash` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`user_id` int NOT NULL,
	`csrf_token` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`created` datetime(3) NOT NULL,
	`last_seen` datetime(3) NOT NULL,
	`expires` datetime(3) NOT NULL,
	CONSTRAINT `sessions_id` PRIMARY KEY(`id`),
	CONSTRAINT `sessions_token_hash_unique` UNIQUE(`token_hash`)
);
--> statement-breakpoint
CREATE TABLE `src_package_versions` (
	`id` int AUTO_INCREMENT NOT NULL,
	`src_package_id` int NOT NULL,
	`version` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`os_id` int NOT NULL,
	`created` datetime(3) NOT NULL,
	`modified` datetime(3) NOT NULL,
	CONSTRAINT `src_package_versions_id` PRIMARY KEY(`id`),
	CONSTRAINT `src_package_versions_unique` UNIQUE(`src_package_id`,`version`,`os_id`)
);
--> statement-breakpoint
CREATE TABLE `src_packages` (
	`id` int AUTO_INCREMENT NOT NULL,
	`name` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	CONSTRAINT `src_packages_id` PRIMARY KEY(`id`),
	CONSTRAINT `src_packages_name_unique` UNIQUE(`name`)
);
--> statement-breakpoint
CREATE TABLE `used_tickets` (
	`id` int AUTO_INCREMENT NOT NULL,
	`ticket_hash` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`created` datetime(3) NOT NULL,
	CONSTRAINT `used_tickets_id` PRIMARY KEY(`id`),
	CONSTRAINT `used_tickets_hash_unique` UNIQUE(`ticket_hash`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` int AUTO_INCREMENT NOT NULL,
	`username` varchar(150) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`password_hash` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	`is_active` boolean NOT NULL DEFAULT true,
	`is_superuser` boolean NOT NULL DEFAULT false,
	`last_login` datetime(3),
	`created` datetime(3) NOT NULL,
	CONSTRAINT `users_id` PRIMARY KEY(`id`),
	CONSTRAINT `users_username_unique` UNIQUE(`username`)
);
--> statement-breakpoint
ALTER TABLE `host_packages` ADD CONSTRAINT `host_packages_host_id_fk` FOREIGN KEY (`host_id`) REFERENCES `hosts`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `host_packages` ADD CONSTRAINT `host_packages_package_id_fk` FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `host_packages` ADD CONSTRAINT `host_packages_package_version_id_fk` FOREIGN KEY (`package_version_id`) REFERENCES `package_versions`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `host_packages` ADD CONSTRAINT `host_packages_upgradable_package_id_fk` FOREIGN KEY (`upgradable_package_id`) REFERENCES `packages`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `host_packages` ADD CONSTRAINT `host_packages_upgradable_version_id_fk` FOREIGN KEY (`upgradable_version_id`) REFERENCES `package_versions`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `hosts` ADD CONSTRAINT `hosts_os_id_fk` FOREIGN KEY (`os_id`) REFERENCES `os`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `hosts` ADD CONSTRAINT `hosts_kernel_id_fk` FOREIGN KEY (`kernel_id`) REFERENCES `kernels`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `image_packages` ADD CONSTRAINT `image_packages_image_id_fk` FOREIGN KEY (`image_id`) REFERENCES `images`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `image_packages` ADD CONSTRAINT `image_packages_package_id_fk` FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `image_packages` ADD CONSTRAINT `image_packages_package_version_id_fk` FOREIGN KEY (`package_version_id`) REFERENCES `package_versions`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `image_packages` ADD CONSTRAINT `image_packages_upgradable_package_id_fk` FOREIGN KEY (`upgradable_package_id`) REFERENCES `packages`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `image_packages` ADD CONSTRAINT `image_packages_upgradable_version_id_fk` FOREIGN KEY (`upgradable_version_id`) REFERENCES `package_versions`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `images` ADD CONSTRAINT `images_os_id_fk` FOREIGN KEY (`os_id`) REFERENCES `os`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `kernels` ADD CONSTRAINT `kernels_os_id_fk` FOREIGN KEY (`os_id`) REFERENCES `os`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `kubernetes_images` ADD CONSTRAINT `kubernetes_images_image_id_fk` FOREIGN KEY (`image_id`) REFERENCES `images`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `package_versions` ADD CONSTRAINT `package_versions_package_id_fk` FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `package_versions` ADD CONSTRAINT `package_versions_os_id_fk` FOREIGN KEY (`os_id`) REFERENCES `os`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `package_versions` ADD CONSTRAINT `package_versions_src_package_version_id_fk` FOREIGN KEY (`src_package_version_id`) REFERENCES `src_package_versions`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `sessions` ADD CONSTRAINT `sessions_user_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `src_package_versions` ADD CONSTRAINT `src_package_versions_src_package_id_fk` FOREIGN KEY (`src_package_id`) REFERENCES `src_packages`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `src_package_versions` ADD CONSTRAINT `src_package_versions_os_id_fk` FOREIGN KEY (`os_id`) REFERENCES `os`(`id`) ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `host_packages_package_idx` ON `host_packages` (`package_id`);--> statement-breakpoint
CREATE INDEX `host_packages_version_idx` ON `host_packages` (`package_version_id`);--> statement-breakpoint
CREATE INDEX `host_packages_upgradable_version_idx` ON `host_packages` (`upgradable_version_id`);--> statement-breakpoint
CREATE INDEX `host_packages_upgrade_idx` ON `host_packages` (`upgradable_package_id`,`upgrade_type`);--> statement-breakpoint
CREATE INDEX `hosts_kernel_idx` ON `hosts` (`kernel_id`);--> statement-breakpoint
CREATE INDEX `hosts_os_idx` ON `hosts` (`os_id`);--> statement-breakpoint
CREATE INDEX `hosts_modified_idx` ON `hosts` (`modified`);--> statement-breakpoint
CREATE INDEX `hosts_counts_idx` ON `hosts` (`security_count`,`upgrade_count`,`package_count`);--> statement-breakpoint
CREATE INDEX `image_packages_package_idx` ON `image_packages` (`package_id`);--> statement-breakpoint
CREATE INDEX `image_packages_version_idx` ON `image_packages` (`package_version_id`);--> statement-breakpoint
CREATE INDEX `image_packages_upgradable_version_idx` ON `image_packages` (`upgradable_version_id`);--> statement-breakpoint
CREATE INDEX `image_packages_upgrade_idx` ON `image_packages` (`upgradable_package_id`,`upgrade_type`);--> statement-breakpoint
CREATE INDEX `images_os_idx` ON `images` (`os_id`);--> statement-breakpoint
CREATE INDEX `images_modified_idx` ON `images` (`modified`);--> statement-breakpoint
CREATE INDEX `images_counts_idx` ON `images` (`security_count`,`upgrade_count`,`package_count`);--> statement-breakpoint
CREATE INDEX `kernels_os_slug_idx` ON `kernels` (`os_id`,`slug`);--> statement-breakpoint
CREATE INDEX `kubernetes_images_image_idx` ON `kubernetes_images` (`image_id`);--> statement-breakpoint
CREATE INDEX `login_failures_subject_idx` ON `login_failures` (`subject`,`created`);--> statement-breakpoint
CREATE INDEX `package_versions_src_idx` ON `package_versions` (`src_package_version_id`);--> statement-breakpoint
CREATE INDEX `package_versions_os_idx` ON `package_versions` (`os_id`);--> statement-breakpoint
CREATE INDEX `package_versions_version_idx` ON `package_versions` (`version`);--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `sessions_expires_idx` ON `sessions` (`expires`);--> statement-breakpoint
CREATE INDEX `src_package_versions_os_idx` ON `src_package_versions` (`os_id`);--> statement-breakpoint
CREATE INDEX `src_package_versions_version_idx` ON `src_package_versions` (`version`);--> statement-breakpoint
CREATE INDEX `used_tickets_created_idx` ON `used_tickets` (`created`);