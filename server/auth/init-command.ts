import { emailSchema, passwordSchema } from '../../common/schemas/user';
import { AuditLog } from '../audit/audit-log';
import { hashPassword } from './password';
import { newId } from '../store/new-id';
import { createLogger } from '../log/logger';
import { dataKeyFileFrom } from '../privacy/data-key';
import { loadPrivacy } from '../privacy/privacy-services';
import { openDatabase } from '../store/database';
import { SettingsRepo } from '../store/settings-repo';
import { UserRepo } from '../users/user-repo';
import { parseFlags, readStdin, required, UsageError, type Command } from '../command/args';

/**
 * `init`: creates the store and the first admin account (password from standard input). Staff
 * e-mails are encrypted at rest, so it opens (on a new store: creates) the data key as serve does.
 */
export const initCommand: Command = {
  name: 'init',
  summary: 'create the store and the first admin account (password read from standard input)',
  usage:
    'init --data DIR --admin-email E --password-stdin [--name N] [--data-key-file PATH]\n\n' +
    'The data key (created here for a new store) goes to the OS keychain, or to --data-key-file PATH (or CREATIVE_ENGINE_DATA_KEY_FILE) outside DIR; serve needs the same.',
  async run(argv) {
    const f = parseFlags(argv, {
      data: { type: 'string' },
      'admin-email': { type: 'string' },
      'password-stdin': { type: 'boolean' },
      name: { type: 'string' },
      'data-key-file': { type: 'string' },
    });
    const dataDir = required(f.data, '--data');
    const email = emailSchema.safeParse(required(f['admin-email'], '--admin-email'));
    if (!email.success) throw new UsageError('--admin-email must be an e-mail address like admin@agency.example.');
    if (!f['password-stdin']) throw new UsageError('--password-stdin is required: pipe the password into standard input.');
    const name = (f.name ?? 'Administrator').trim();
    if (!name || name.length > 200) throw new UsageError('--name must be 1 to 200 characters.');
    const password = passwordSchema.safeParse(await readStdin());
    if (!password.success) throw new UsageError(`The password from standard input is not acceptable: ${password.error.issues[0]?.message ?? 'invalid'}`);
    const passwordHash = await hashPassword(password.data);

    const db = openDatabase(dataDir);
    try {
      const { cipher } = await loadPrivacy({ dataDir, keyFile: dataKeyFileFrom(f['data-key-file'], process.env), log: createLogger() });
      const users = new UserRepo(db, cipher);
      const audit = new AuditLog(db);
      const id = newId('user');
      db.transaction(() => {
        if (users.count() > 0) {
          throw new Error(`the store in ${dataDir} already has accounts; init only creates the first admin. Sign in and add accounts in the console.`);
        }
        users.insert({ id, email: email.data, name, passwordHash, roles: ['admin'], at: new Date().toISOString() });
        audit.append({ actor: 'cli', action: 'user.create', target: id, details: { fields: ['email', 'name', 'password', 'roles'], roles: ['admin'], via: 'init' } });
      }).immediate();
      console.log(`Created the store in ${dataDir} (installation ${new SettingsRepo(db).get('installation_id')}) and the admin account ${id}. Start the server with: creative-engine serve --data ${dataDir}`);
      return 0;
    } finally {
      db.close();
    }
  },
};
