/**
 * The `/client` contract between the server and a self-updating agent (docs/protocol.md,
 * "Agent downloads").
 */

/** The version of the agent binary the server offers (semantic version). */
export const CLIENT_VERSION_HEADER = 'X-Debmonitor-Client-Version';

/** Lowercase hex SHA-256 of the binary itself, whatever the transfer encoding. */
export const CLIENT_CHECKSUM_HEADER = 'X-Debmonitor-Client-Checksum';
