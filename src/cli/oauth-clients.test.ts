import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/cli.ts';
import { dialects } from '../../test/harness.ts';
import { useTestContext } from '../../test/server-fixture.ts';

describe.each(dialects)('tollgate oauth-clients on %s', (dialect) => {
  const t = useTestContext(dialect);
  const cli = (...args: string[]) => runCli(t.ctx, ...args);

  it('create prints a confidential secret once; list shows no secret; delete removes', async () => {
    const created = await cli(
      'oauth-clients',
      'create',
      '--name',
      'Partner',
      '--type',
      'confidential',
      '--redirect-uri',
      'https://partner.example/cb',
      '--redirect-uri',
      'http://localhost:7777/cb',
      '--json',
    );
    expect(created.exit_code).toBe(0);
    const client = JSON.parse(created.out);
    expect(client.redirect_uris).toEqual([
      'https://partner.example/cb',
      'http://localhost:7777/cb',
    ]);
    expect(client.client_secret).toEqual(expect.any(String));
    const listed = await cli('oauth-clients', 'list');
    expect(listed.out).toContain(client.client_id);
    expect(listed.out).not.toContain(client.client_secret);
    expect((await cli('oauth-clients', 'delete', client.client_id)).out).toBe(
      `deleted ${client.client_id}\n`,
    );
    expect((await cli('oauth-clients', 'list')).out).toBe('no clients\n');
  });

  it('an unknown --type is refused before anything is stored', async () => {
    const args = ['--name', 'x', '--type', 'secret', '--redirect-uri', 'https://a.example/cb'];
    await expect(cli('oauth-clients', 'create', ...args)).rejects.toThrow(
      "argument 'secret' is invalid",
    );
    expect((await cli('oauth-clients', 'list')).out).toBe('no clients\n');
  });
});
