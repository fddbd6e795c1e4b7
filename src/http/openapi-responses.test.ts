/**
 * The documented success responses are what the routes send: real responses of a walk through
 * the customer and operator APIs are validated (JSON Schema 2020-12, as OpenAPI 3.1 uses) against
 * the 2xx schema `/openapi.json` gives for their route. Response schemas only document (replies
 * are serialized by `stringifyJson`), so this is what keeps them honest.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { PHOTO_AVATAR, SPEECH_150_CHARS } from '../../test/avatars.ts';
import { dialects, expectLedgerBalanced } from '../../test/harness.ts';
import { SPEED_MARKED } from '../../test/lipsyncs.ts';
import { useServer } from '../../test/server-fixture.ts';
import { SPEED_LIP_SYNC } from '../../test/translations.ts';
import { CHAT_MARKED } from '../../test/video-agents.ts';
import { PHOTO_720P } from '../../test/videos.ts';

type Document = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
};

const addFormats = ajvFormats.default;

/** Validates `body` against the documented `status` response of `method path`. */
function checkAgainst(
  document: Document,
  method: string,
  path: string,
  status: number,
  body: unknown,
) {
  const schema =
    document.paths[path]?.[method.toLowerCase()]?.responses[String(status)]?.content?.[
      'application/json'
    ]?.schema;
  if (schema === undefined) return [`${method} ${path}: no documented ${status} response`];
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (error) => `${method} ${path}: ${error.instancePath || '/'} ${error.message}`,
  );
}

describe.each(dialects)('documented responses on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: 10_000_000n }, operator: true });

  /** Calls a route, expects 200 and records how its body differs from the documented one. */
  async function walker() {
    const document: Document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const problems: string[] = [];
    const call = async (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      path: string,
      options: { payload?: object; operator?: boolean } = {},
    ) => {
      const headers = options.operator === true ? t.operator : t.ada.headers;
      const res = await t.app.inject({ method, url, headers, payload: options.payload });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(200);
      problems.push(...checkAgainst(document, method, path, res.statusCode, res.json()));
      return res.json();
    };
    return { call, problems };
  }

  it('match the bodies of a walk through the customer and operator APIs', async () => {
    const { call, problems } = await walker();
    await call('GET', '/v3/users/me', '/v3/users/me');
    const created = await call('POST', '/v3/videos', '/v3/videos', { payload: PHOTO_720P });
    await call('GET', `/v3/videos/${created.data.video_id}`, '/v3/videos/{video_id}');
    await call('GET', '/v3/videos', '/v3/videos');
    await call('GET', '/v3/voices?limit=2', '/v3/voices');
    const looks = await call('GET', '/v3/avatars/looks?limit=2', '/v3/avatars/looks');
    await call('GET', `/v3/avatars/looks/${looks.data[0].id}`, '/v3/avatars/looks/{look_id}');
    await call('GET', '/v3/avatars?limit=2', '/v3/avatars');
    await call('GET', '/v3/video-translations/languages', '/v3/video-translations/languages');
    await call('GET', '/billing/v1/rate-card', '/billing/v1/rate-card');
    await call('POST', '/billing/v1/quote', '/billing/v1/quote', { payload: PHOTO_720P });
    await call('GET', '/billing/v1/ledger', '/billing/v1/ledger');

    const account = `/admin/v1/accounts/${t.ada.account_id}`;
    const operator = { operator: true };
    await call('GET', '/admin/v1/accounts', '/admin/v1/accounts', operator);
    await call('GET', account, '/admin/v1/accounts/{account_id}', operator);
    await call('PATCH', account, '/admin/v1/accounts/{account_id}', {
      ...operator,
      payload: { overdraft_limit_usd: '1.00' },
    });
    await call('POST', `${account}/grants`, '/admin/v1/accounts/{account_id}/grants', {
      ...operator,
      payload: { amount_usd: '5.00', kind: 'promotional' },
    });
    const key = await call(
      'POST',
      `${account}/api-keys`,
      '/admin/v1/accounts/{account_id}/api-keys',
      {
        ...operator,
        payload: { name: 'docs' },
      },
    );
    await call('GET', `${account}/api-keys`, '/admin/v1/accounts/{account_id}/api-keys', operator);
    await call(
      'DELETE',
      `/admin/v1/api-keys/${key.data.id}`,
      '/admin/v1/api-keys/{key_id}',
      operator,
    );
    await call('GET', `${account}/ledger`, '/admin/v1/accounts/{account_id}/ledger', operator);
    await call('GET', '/admin/v1/rate-cards', '/admin/v1/rate-cards', operator);
    await call('GET', '/admin/v1/reports/write-offs', '/admin/v1/reports/write-offs', operator);
    expect(problems).toEqual([]);
    await expectLedgerBalanced(t.ctx);
  });

  it('match the bodies of the job products: lipsync, translation, agent, avatar, speech', async () => {
    const { call, problems } = await walker();
    const lipsync = await call('POST', '/v3/lipsyncs', '/v3/lipsyncs', { payload: SPEED_MARKED });
    const lipsyncPath = '/v3/lipsyncs/{lipsync_id}';
    await call('GET', `/v3/lipsyncs/${lipsync.data.lipsync_id}`, lipsyncPath);
    await call('PATCH', `/v3/lipsyncs/${lipsync.data.lipsync_id}`, lipsyncPath, {
      payload: { title: 'renamed' },
    });
    await call('GET', '/v3/lipsyncs', '/v3/lipsyncs');
    const translations = await call('POST', '/v3/video-translations', '/v3/video-translations', {
      payload: SPEED_LIP_SYNC,
    });
    const translationPath = '/v3/video-translations/{video_translation_id}';
    const translationId = translations.data.video_translation_ids[0];
    await call('GET', `/v3/video-translations/${translationId}`, translationPath);
    await call('GET', '/v3/video-translations', '/v3/video-translations');
    const session = await call('POST', '/v3/video-agents', '/v3/video-agents', {
      payload: CHAT_MARKED,
    });
    const sessionUrl = `/v3/video-agents/${session.data.session_id}`;
    await call('GET', sessionUrl, '/v3/video-agents/{session_id}');
    await call('GET', '/v3/video-agents', '/v3/video-agents');
    await call('GET', `${sessionUrl}/videos`, '/v3/video-agents/{session_id}/videos');
    await call('POST', `${sessionUrl}/stop`, '/v3/video-agents/{session_id}/stop');
    await call('POST', '/v3/avatars', '/v3/avatars', { payload: PHOTO_AVATAR });
    await call('POST', '/v3/voices/speech', '/v3/voices/speech', { payload: SPEECH_150_CHARS });

    expect(problems).toEqual([]);
    await expectLedgerBalanced(t.ctx);
  });
});
