import { describe, expect, it } from 'vitest';
import { AVATAR_TYPES, DEMO_LOOKS, getLook, listLooks } from './looks.ts';

const page = (fields: Partial<Parameters<typeof listLooks>[0]>) =>
  listLooks({
    avatar_type: null,
    group_id: null,
    ownership: null,
    after_id: null,
    limit: 20,
    ...fields,
  });

describe('the demo avatar catalog', () => {
  it('has unique look ids and looks of every avatar type, each rendering with Avatar IV and III', () => {
    expect(new Set(DEMO_LOOKS.map((look) => look.id)).size).toBe(DEMO_LOOKS.length);
    for (const avatar_type of AVATAR_TYPES) {
      expect(
        DEMO_LOOKS.some((look) => look.avatar_type === avatar_type),
        avatar_type,
      ).toBe(true);
    }
    for (const look of DEMO_LOOKS) {
      expect(look.supported_api_engines).toEqual(
        expect.arrayContaining(['avatar_iv', 'avatar_iii']),
      );
    }
  });

  it('pages through every look exactly once, in order, whatever the page size', () => {
    for (let limit = 1; limit <= DEMO_LOOKS.length + 1; limit++) {
      const seen: string[] = [];
      let after_id: string | null = null;
      for (let pages = 0; pages <= DEMO_LOOKS.length; pages++) {
        const result = page({ limit, after_id });
        seen.push(...result.looks.map((look) => look.id));
        if (!result.has_more) break;
        after_id = result.looks[result.looks.length - 1]!.id;
      }
      expect(seen).toEqual(DEMO_LOOKS.map((look) => look.id));
    }
  });

  it('filters by type and group, and finds a look or throws look_not_found', () => {
    expect(
      page({ avatar_type: 'photo_avatar' }).looks.every(
        (look) => look.avatar_type === 'photo_avatar',
      ),
    ).toBe(true);
    expect(page({ group_id: 'group_studio_anna' }).looks.map((look) => look.id)).toEqual([
      'look_studio_anna',
    ]);
    expect(getLook('look_twin_kenji').avatar_type).toBe('digital_twin');
    expect(() => getLook('look_nobody')).toThrow(
      expect.objectContaining({ code: 'look_not_found' }),
    );
  });
});
