-- Hand-written, SQLite only: reports on SQLite add their count deltas to package_counts in place
-- (src/store/counts/package-count-writer.ts) and no longer fold, so the deltas an earlier version
-- appended are folded here, once.
INSERT INTO `package_counts` (`package_id`, `installed`, `upgrades`, `security`)
SELECT `package_id`, sum(`installed`), sum(`upgrades`), sum(`security`)
  FROM `package_count_deltas` WHERE true GROUP BY `package_id`
ON CONFLICT (`package_id`) DO UPDATE SET
  `installed` = `installed` + excluded.`installed`,
  `upgrades` = `upgrades` + excluded.`upgrades`,
  `security` = `security` + excluded.`security`;
--> statement-breakpoint
DELETE FROM `package_count_deltas`;
