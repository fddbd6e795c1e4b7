import { describe, expect, it } from 'vitest';
import { DEMO_LOOKS } from './looks.ts';
import { findVoice, PUBLIC_VOICES, requireVoice } from './voices.ts';

describe('the public voice catalog', () => {
  it('has unique voice ids and every demo look’s default voice', () => {
    expect(new Set(PUBLIC_VOICES.map((voice) => voice.voice_id)).size).toBe(PUBLIC_VOICES.length);
    for (const look of DEMO_LOOKS)
      expect(findVoice(look.default_voice_id ?? ''), look.id).not.toBeNull();
  });

  it('requireVoice names the field for an unknown voice and for a voice without the engine', () => {
    expect(requireVoice('voice_ja_yui', { param: 'voice_id', engine: 'starfish' }).language).toBe(
      'Japanese',
    );
    expect(() => requireVoice('voice_nobody', { param: 'voice_id' })).toThrow(
      expect.objectContaining({ code: 'voice_not_usable', param: 'voice_id' }),
    );
    expect(() => requireVoice('voice_en_james', { param: 'voice', engine: 'starfish' })).toThrow(
      expect.objectContaining({ code: 'voice_not_usable', param: 'voice' }),
    );
  });
});
