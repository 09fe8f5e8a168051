#!/usr/bin/env bun
/** The fleet agent, flag-compatible with debmonitor-client. See docs/agent.md. */
import { runCommand } from 'citty';
import { agentCommand } from './agent/cli/command.ts';

const { result } = await runCommand(agentCommand, { rawArgs: process.argv.slice(2) });
// Exit explicitly: keep-alive sockets of the HTTP client would otherwise hold the process open.
process.exit(typeof result === 'number' ? result : 1);
