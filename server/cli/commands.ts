import type { Command } from './args';
import { serveCommand } from './serve-command';
import { initCommand } from './init-command';
import { demoCommand } from './demo-command';
import { auditVerifyCommand } from '../audit/audit-verify-command';
import { approverApproveCommand, approverEnrollCommand } from '../admin-client/approver-cli';
import { retentionRunCommand } from '../retention/retention-command';
import { backupCommand, restoreCommand } from './backup-command';

/** Every sub-command; `creative-engine <name> --help` prints its usage. */
export const COMMANDS: readonly Command[] = [serveCommand, initCommand, demoCommand, auditVerifyCommand, approverEnrollCommand, approverApproveCommand, retentionRunCommand, backupCommand, restoreCommand];
