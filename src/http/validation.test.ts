import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness.ts';
import { useServer } from '../../test/server-fixture.ts';

describe.each(dialects)('request validation on %s', (dialect) => {
  const t = useServer(dialect, { customer: { paid_micro_usd: 20_000_000n } });

  it('a JSON body is not coerced: a number sent as a string is a 400 naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v3/videos',
      headers: t.ada.headers,
      payload: {
        type: 'cinematic_avatar',
        avatar_id: ['look_twin_sofia'],
        prompt: 'A walk.',
        duration: '10',
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_parameter', param: 'duration' });
    expect(await t.ctx.db.selectFrom('jobs').select('id').execute()).toEqual([]);
  });

  it('a query string is coerced from text: ?limit=1 is the integer 1', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v3/avatars/looks?limit=1',
      headers: t.ada.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toHaveLength(1);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/v3/avatars/looks?limit=ten',
      headers: t.ada.headers,
    });
    expect(bad.json().error).toMatchObject({ code: 'invalid_parameter', param: 'limit' });
  });

  it('a body that is not a JSON object, or lacks a required field, gets a message saying so', async () => {
    const post = (payload: string, type = 'application/json') =>
      t.app.inject({
        method: 'POST',
        url: '/v3/videos',
        headers: { ...t.ada.headers, 'content-type': type },
        payload,
      });
    const text = await post('a=1', 'application/x-www-form-urlencoded');
    expect(text.statusCode).toBe(415);
    expect(text.json().error.message).toBe(
      'Send the request body as JSON with Content-Type: application/json.',
    );
    const plain = await post('hello', 'text/plain');
    expect(plain.json().error.message).toBe('The request body must be a JSON object.');
    const array = await post('[1, 2]');
    expect(array.json().error).toMatchObject({
      message: 'The request body must be a JSON object.',
      param: null,
    });
    const missing = await post('{}');
    expect(missing.json().error).toMatchObject({
      message: "Missing required field 'type'.",
      param: 'type',
    });
  });
});
