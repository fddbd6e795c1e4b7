import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli.ts';
import { createCustomer } from '../../test/customers.ts';
import { dialects } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';
import { authenticateUser } from '../users/sign-in.ts';

describe.each(dialects)('tollgate users on %s', (dialect) => {
  const t = useTestContext(dialect);
  const cli = (...args: string[]) => runCli(t.ctx, ...args);

  it('users create makes a user who can sign in; users list shows it without the password', async () => {
    const ada = await createCustomer(t.ctx);
    const password = 'a long passphrase';
    const created = await cli(
      'users',
      'create',
      ada.account_id,
      '--email',
      'ada@example.com',
      '--password',
      password,
      '--json',
    );
    expect(created.exit_code).toBe(0);
    const user = JSON.parse(created.out);
    expect(user).toMatchObject({ account_id: ada.account_id, email: 'ada@example.com' });
    expect(await authenticateUser(t.ctx, { email: 'ada@example.com', password })).toMatchObject({
      user_id: user.id,
    });
    const listed = await cli('users', 'list', ada.account_id);
    expect(listed.out).toBe(`${user.id}  ada@example.com  -\n`);
    expect(listed.out).not.toContain(password);
  });

  it('a short password is refused with a non-zero exit naming the field', async () => {
    const ada = await createCustomer(t.ctx);
    const run = await cli(
      'users',
      'create',
      ada.account_id,
      '--email',
      'a@example.com',
      '--password',
      'short',
    );
    expect(run.exit_code).not.toBe(0);
    expect(run.err).toContain('password');
  });
});
