import type { Command } from '../command/args';
import { serveCommand } from './serve-command';
import { initWithTlsCommand } from './init-with-tls';
import { demoCommand } from '../catalog/demo-command';
import { auditVerifyCommand } from '../audit/audit-verify-command';
import { approverApproveCommand, approverEnrollCommand } from '../admin-client/approver-cli';
import { retentionRunCommand } from '../retention/retention-command';
import { backupCommand, restoreCommand } from '../backup/backup-command';

/** Every sub-command; `creative-engine <name> --help` prints its usage. */
export const COMMANDS: readonly Command[] = [serveCommand, initWithTlsCommand, demoCommand, auditVerifyCommand, approverEnrollCommand, approverApproveCommand, retentionRunCommand, backupCommand, restoreCommand];
