CREATE TABLE `enroll_tokens` (
	`id` int AUTO_INCREMENT NOT NULL,
	`token_hash` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`host_pattern` varchar(253) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`uses_left` int NOT NULL,
	`expires` datetime(3) NOT NULL,
	`created` datetime(3) NOT NULL,
	CONSTRAINT `enroll_tokens_id` PRIMARY KEY(`id`),
	CONSTRAINT `enroll_tokens_token_hash_unique` UNIQUE(`token_hash`)
);
--> statement-breakpoint
CREATE TABLE `issued_certificates` (
	`id` int AUTO_INCREMENT NOT NULL,
	`serial` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`common_name` varchar(253) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`not_after` datetime(3) NOT NULL,
	`origin` varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	`created` datetime(3) NOT NULL,
	`revoked` datetime(3),
	CONSTRAINT `issued_certificates_id` PRIMARY KEY(`id`),
	CONSTRAINT `issued_certificates_serial_unique` UNIQUE(`serial`)
);
--> statement-breakpoint
CREATE INDEX `issued_certificates_common_name_idx` ON `issued_certificates` (`common_name`);--> statement-breakpoint
CREATE INDEX `issued_certificates_revoked_idx` ON `issued_certificates` (`revoked`);